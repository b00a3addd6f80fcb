"""Content-hash cache that lets `synth` and `synth --check` skip cdktf when no input changed.

The key is a digest of everything synth output can depend on: the engine and module code (the
engine and templates actually running, also when installed outside the project), every
non-generated file under environments/, templates/ (the workflows), pyproject.toml, the
versions of Python, the engine (HCLGEN_ENGINE) and the CDK libraries, and environment variables: RENDER_SWITCHES (what
cdktf itself reads) and every variable the project's own configs and modules read during the
last render (recorded then, names only, in .hclgen/cache/env-reads.json). Only repo-relative paths and file contents go in (no
mtimes, no absolute paths), so the cache stays valid in another checkout of the same commit: CI
restores .hclgen/cache and .hclgen/sources between jobs. The value is the sha256 of each file
synth produced (the workflows under the key "_workflows"). A hit only says which bytes the
generated files must have; the files on disk are still hashed and compared every time.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from importlib import metadata
from pathlib import Path

from generator.paths import templates_dir, work_dir
from generator.render import envreads

DISABLE_VAR = "HCLGEN_NO_CACHE"
# Environment variables the render reads that change its output: cdktf's context (feature flags), the engine.
RENDER_SWITCHES = ("CDKTF_CONTEXT_JSON", "HCLGEN_ENGINE")
# cdktn: "absent" unless installed as an extra; its own virtualenv's pins are in generator/enginevenv.py (an input).
_LIBRARIES = ("cdktf", "cdktf-cdktf-provider-aws", "cdktn", "cdktn-provider-aws", "constructs", "jsii", "python-hcl2")
_INPUT_DIRS = ("generator", "modules", "environments", "templates")


def inputs_digest(root: Path) -> str:
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
    return digest.hexdigest()


def lookup(root: Path, envs: list[str], digest: str | None = None) -> dict[str, dict[str, str]] | None:
    """Expected file hashes for these envs, or None when the cache cannot vouch for them.

    digest: the inputs_digest the caller already computed (hashing every input is the cost here)."""
    if os.environ.get(DISABLE_VAR):
        return None
    try:
        stored = json.loads(_path(root).read_text())
    except (OSError, ValueError):
        return None
    if stored.get("inputs") != (digest or inputs_digest(root)) or not all(env in stored.get("envs", {}) for env in envs):
        return None
    return {env: stored["envs"][env] for env in envs}


def store(root: Path, envs: dict[str, dict[str, str]], digest: str) -> None:
    """Record the file hashes rendered from the inputs whose digest is given."""
    try:
        stored = json.loads(_path(root).read_text())
    except (OSError, ValueError):
        stored = {}
    kept = stored.get("envs", {}) if stored.get("inputs") == digest else {}
    path = _path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"inputs": digest, "envs": {**kept, **envs}}, indent=1, sort_keys=True))
    os.replace(tmp, path)


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
        for directory, subdirs, names in os.walk(base):
            # Skip terraform's working dirs (.terraform/ holds the provider) and bytecode.
            subdirs[:] = [d for d in subdirs if not d.startswith(".") and d != "__pycache__"]
            files += [(Path(directory) / name, f"{folder}/{(Path(directory) / name).relative_to(base).as_posix()}")
                      for name in names if _is_input(name, folder)]
    return sorted((f for f in files if f[0].is_file()), key=lambda item: item[1])


_CONFIG_SUFFIXES = (".py", ".json", ".yaml", ".yml", ".toml")


def _is_input(name: str, folder: str) -> bool:
    """Everything in the engine and modules; in environments/, configs but not synth's output."""
    if name.startswith("."):
        return False
    return folder != "environments" or name.endswith(_CONFIG_SUFFIXES)  # running-*: engine files, all inputs


def _version(library: str) -> str:
    try:
        return metadata.version(library)
    except metadata.PackageNotFoundError:
        return "absent"


def _path(root: Path) -> Path:
    return work_dir(root) / "cache" / "synth.json"
