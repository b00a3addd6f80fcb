"""Content-hash cache that lets `synth` and `synth --check` skip cdktf when no input changed.

The key is a digest of everything synth output can depend on: the engine and module code, every
non-generated file under environments/, templates/ (the workflows), pyproject.toml, and the
versions of Python and the CDK libraries. Only repo-relative paths and file contents go in (no
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

from generator.errors import HclgenError

from generator.paths import work_dir

DISABLE_VAR = "HCLGEN_NO_CACHE"
_LIBRARIES = ("cdktf", "cdktf-cdktf-provider-aws", "constructs", "jsii", "python-hcl2")
_INPUT_DIRS = ("generator", "modules", "environments", "templates")


def inputs_digest(root: Path) -> str:
    digest = hashlib.sha256()
    digest.update(sys.version.encode())
    for library in _LIBRARIES:
        digest.update(f"{library}={_version(library)}\n".encode())
    for path in _input_files(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
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
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # per process: two runs never share one
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps({"inputs": digest, "envs": {**kept, **envs}}, indent=1, sort_keys=True))
        os.replace(tmp, path)
    except OSError as err:
        if tmp.is_file():
            tmp.unlink()
        raise HclgenError(f"could not write the render cache {path}: {err.strerror or err} "
                          "(the generated files are written; the next run renders again)") from None


def _input_files(root: Path) -> list[Path]:
    files = [root / "pyproject.toml"]
    for folder in _INPUT_DIRS:
        for directory, subdirs, names in os.walk(root / folder):
            # Skip terraform's working dirs (.terraform/ holds the provider) and bytecode.
            subdirs[:] = [d for d in subdirs if not d.startswith(".") and d != "__pycache__"]
            files += [Path(directory) / name for name in names if _is_input(name, folder)]
    return sorted(f for f in files if f.is_file())


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


def _path(root: Path) -> Path:
    return work_dir(root) / "cache" / "synth.json"
