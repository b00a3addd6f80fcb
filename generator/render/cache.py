"""Content-hash cache that lets `synth` and `synth --check` skip cdktf when no input changed.

The key is a digest of everything synth output can depend on: the engine and module code (the
engine and templates actually running, also when installed outside the project), every
non-generated file under environments/, templates/ (the workflows), pyproject.toml, the
versions of Python, the engine (HCLGEN_ENGINE) and the CDK libraries, and environment variables: RENDER_SWITCHES (what
cdktf itself reads) and every variable the project's own configs and modules read during the
last render (recorded then, names only, in .hclgen/cache/env-reads.json). Only repo-relative
paths and file contents go in (no mtimes; a file outside the checkout that a config imports is
named by its absolute path), so the cache stays valid in another checkout of the same commit: CI
restores .hclgen/cache and .hclgen/sources between jobs. The value is the sha256 of each file
synth produced (the workflows under the key "_workflows"). A hit only says which bytes the
generated files must have; the files on disk are still hashed and compared every time.

Python files a config imports from elsewhere (a helper at the repo root, a folder symlinked into
modules/) are inputs too: each render records the non-library module files first imported while
a config loaded or a stack rendered in this process (.hclgen/cache/imports.json), and the digest
hashes them as well. A change to the import graph is
a change to an importing file, which is hashed, so the record is always current before it counts.
Every cache file may be corrupt (not UTF-8, not JSON, the wrong shape): that is a miss, never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import site
import sys
import sysconfig
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

from generator.errors import HclgenError
from generator.paths import templates_dir, work_dir
from generator.render import envreads

DISABLE_VAR = "HCLGEN_NO_CACHE"
# Environment variables the render reads that change its output: cdktf's context (feature flags), the engine.
RENDER_SWITCHES = ("CDKTF_CONTEXT_JSON", "HCLGEN_ENGINE")
# cdktn: "absent" unless installed as an extra; its own virtualenv's pins are in generator/enginevenv.py (an input).
_LIBRARIES = ("cdktf", "cdktf-cdktf-provider-aws", "cdktn", "cdktn-provider-aws", "constructs", "jsii", "python-hcl2")
_INPUT_DIRS = ("generator", "modules", "environments", "templates")


def inputs_digest(root: Path, imports: list[str] | None = None) -> str:
    """The inputs' hash; `imports`: the imported files to count (default: the recorded ones)."""
    digest = hashlib.sha256()
    digest.update(sys.version.encode())
    for library in _LIBRARIES:
        digest.update(f"{library}={_version(library)}\n".encode())
    for path, name in _input_files(root):
        digest.update(name.encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    for variable in sorted({*RENDER_SWITCHES, *envreads.recorded(root)}):
        value = os.environ.get(variable)
        digest.update(f"${variable}=".encode() + (b"\1" + value.encode() if value is not None else b"\0") + b"\n")
    for name in recorded_imports(root) if imports is None else imports:
        digest.update(b"import\0" + name.encode() + b"\0")
        try:
            digest.update(hashlib.sha256(_import_path(root, name).read_bytes()).digest())
        except OSError:
            digest.update(b"missing")
    return digest.hexdigest()


_IMPORTED: set[Path] = set()  # files first imported while a config loaded or a stack rendered, this process


@contextlib.contextmanager
def tracking() -> Iterator[None]:
    """Note every module first imported inside (a config, the helpers it imports, lazy imports
    of the constructs): what the CLI itself imported (main.py, click) is never an input."""
    before = set(sys.modules)
    try:
        yield
    finally:
        _IMPORTED.update(_files([sys.modules[name] for name in set(sys.modules) - before if name in sys.modules]))


def imported_names(root: Path) -> list[str]:
    """The files this process's configs and renders imported that the input folders do not cover."""
    covered = {path.resolve() for path, _ in _input_files(root)}
    return sorted({_import_name(root, path) for path in _IMPORTED if path not in covered})


def record_imports(root: Path, names: list[str]) -> None:
    """Keep them for inputs_digest; written with what a render persists (a failing check keeps nothing)."""
    if names != recorded_imports(root) or not _imports_path(root).is_file():  # an empty record is a record too
        _write(_imports_path(root), json.dumps(names, indent=1) + "\n")


def _files(modules: list[Any]) -> set[Path]:
    """Resolved files of these modules outside the standard library and installed packages."""
    libraries = _library_dirs()
    out = set()
    for module in modules:
        name = getattr(module, "__file__", None)
        if not isinstance(name, str) or not os.path.isfile(name):
            continue
        path = Path(name).resolve()
        if not any(path.is_relative_to(folder) for folder in libraries):
            out.add(path)
    return out


def _library_dirs() -> list[Path]:
    folders = {
        sysconfig.get_paths(vars={"base": base, "platbase": base})[key]
        for base in {sys.prefix, sys.base_prefix, sys.exec_prefix}
        for key in ("stdlib", "platstdlib", "purelib", "platlib")
    }
    folders |= set(site.getsitepackages()) | {site.getusersitepackages()}
    return [Path(folder).resolve() for folder in folders if folder]


def _import_name(root: Path, path: Path) -> str:
    resolved = root.resolve()
    return path.relative_to(resolved).as_posix() if path.is_relative_to(resolved) else path.as_posix()


def _import_path(root: Path, name: str) -> Path:
    return Path(name) if Path(name).is_absolute() else root / name


def recorded_imports(root: Path) -> list[str]:
    data = _read_json(_imports_path(root))
    return sorted({n for n in data if isinstance(n, str)}) if isinstance(data, list) else []


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # ValueError: not UTF-8 or not JSON
        return None


def _write(path: Path, text: str) -> None:
    """Atomically, or one line (a full disk, .hclgen/cache being a file): never a half-written cache."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as err:
        if tmp.parent.is_dir():
            tmp.unlink(missing_ok=True)
        raise HclgenError(f"cannot write the synth cache {path}: {err.strerror or err}") from None


def lookup(root: Path, envs: list[str], digest: str | None = None) -> dict[str, dict[str, str]] | None:
    """Expected file hashes for these envs, or None when the cache cannot vouch for them.

    digest: the inputs_digest the caller already computed (hashing every input is the cost here)."""
    if os.environ.get(DISABLE_VAR):
        return None
    stored = _stored(root)
    if stored.get("inputs") != (digest or inputs_digest(root)) or not all(env in stored["envs"] for env in envs):
        return None
    return {env: stored["envs"][env] for env in envs}


def _stored(root: Path) -> dict[str, Any]:
    """The cache file, or an empty one when it is missing or has any other shape than store() writes."""
    data = _read_json(_path(root))
    empty: dict[str, Any] = {"inputs": None, "envs": {}}
    if not isinstance(data, dict) or not isinstance(data.get("inputs"), str) or not isinstance(data.get("envs"), dict):
        return empty
    envs = {
        env: hashes
        for env, hashes in data["envs"].items()
        if isinstance(hashes, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in hashes.items())
    }
    return {"inputs": data["inputs"], "envs": envs}


def store(root: Path, envs: dict[str, dict[str, str]], digest: str) -> None:
    """Record the file hashes rendered from the inputs whose digest is given."""
    stored = _stored(root)
    kept = stored["envs"] if stored["inputs"] == digest else {}
    _write(_path(root), json.dumps({"inputs": digest, "envs": {**kept, **envs}}, indent=1, sort_keys=True))


def _input_files(root: Path) -> list[tuple[Path, str]]:
    """(file, the name it goes into the key under): repo-relative, or engine-/templates-relative."""
    folders = {folder: root / folder for folder in _INPUT_DIRS}
    # The engine and templates that really render, when they are not the project's own (an installed hclgen).
    running = {"generator": Path(__file__).resolve().parent.parent, "templates": templates_dir().resolve()}
    for folder, base in running.items():
        if not (root / folder).is_dir() or (root / folder).resolve() != base:
            folders[f"running-{folder}"] = base
    files = [(root / "pyproject.toml", "pyproject.toml")]
    for folder, base in folders.items():
        seen: set[str] = set()
        for directory, subdirs, names in os.walk(base, followlinks=True):
            # Skip terraform's working dirs (.terraform/ holds the provider) and bytecode; a
            # symlinked folder is walked once (a link back up would loop).
            subdirs[:] = [
                d
                for d in subdirs
                if not d.startswith(".") and d != "__pycache__" and _first_visit(Path(directory) / d, seen)
            ]
            files += [
                (Path(directory) / name, f"{folder}/{(Path(directory) / name).relative_to(base).as_posix()}")
                for name in names
                if _is_input(name, folder)
            ]
    return sorted((f for f in files if f[0].is_file()), key=lambda item: item[1])


_CONFIG_SUFFIXES = (".py", ".json", ".yaml", ".yml", ".toml")


def _is_input(name: str, folder: str) -> bool:
    """Everything in the engine and modules; in environments/, configs but not synth's output."""
    if name.startswith("."):
        return False
    return folder != "environments" or name.endswith(_CONFIG_SUFFIXES)


def _version(library: str) -> str:
    try:
        return metadata.version(library)
    except metadata.PackageNotFoundError:
        return "absent"


def _first_visit(folder: Path, seen: set[str]) -> bool:
    real = os.path.realpath(folder)
    if real in seen:
        return False
    seen.add(real)
    return True


def _path(root: Path) -> Path:
    return work_dir(root) / "cache" / "synth.json"


def _imports_path(root: Path) -> Path:
    return work_dir(root) / "cache" / "imports.json"
