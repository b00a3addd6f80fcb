"""What synth owns on disk and whether it matches a render: the manifests of the files synth
wrote, per-file differences, and the content hashes the cache vouches for."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from generator.paths import work_dir
from generator.render import movedfile
from generator.render.emit import GENERATED_MARK
from generator.render.moved import MOVED_FILE
from generator.render.writer import Difference, generated_files


def manifest_path(root: Path, env: str) -> Path:
    return work_dir(root) / "manifests" / f"{env}.json"


def owned_files(root: Path, env_root: Path) -> list[Path]:
    """Generated files synth itself wrote here: only these are reported when no longer rendered, and removed.

    Synth's own: named in its manifest (.hclgen/manifests/<env>.json), or, in a checkout without
    .hclgen/ (a fresh clone, CI), a file whose header says it was made from modules/<m>.py for this
    env and is named <m>.tf, as synth names a module's file. A user's copy that keeps the
    generated header under another name is never deleted."""
    path = manifest_path(root, env_root.name)
    try:
        listed = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # missing, not UTF-8, not JSON: the headers still tell
        listed = []
    names = {name for name in listed if isinstance(name, str)} if isinstance(listed, list) else set()
    return [p for p in generated_files(env_root) if p.name in names or _module_file(p, env_root.name)]


def _module_file(path: Path, env: str) -> bool:
    """Whether the header names the module this file is named after, with this env's inputs."""
    with open(path, encoding="utf-8", errors="replace") as handle:
        first = handle.readline()
    module = f"modules/{path.stem}.py"
    return path.suffix == ".tf" and f"{GENERATED_MARK} from {module} with inputs from environments/{env}/" in first


def difference(root: Path, env: str, env_root: Path, files: dict[str, str]) -> Difference:
    diff = Difference(env)
    for name, text in sorted(files.items()):
        path = env_root / name
        rel = path.relative_to(root).as_posix()
        if not path.exists():
            diff.created.append(rel)
        elif path.read_bytes() != text.encode("utf-8"):  # bytes: CRLF is stale with or without the cache
            diff.updated.append(rel)
    diff.removed = [p.relative_to(root).as_posix() for p in owned_files(root, env_root) if p.name not in files]
    return diff


def stale_by_hash(root: Path, env_root: Path, hashes: dict[str, str]) -> list[str]:
    stale = []
    for name, digest in hashes.items():
        path = env_root / name
        if not path.exists() or sha(path.read_bytes()) != digest:
            stale.append(path.relative_to(root).as_posix())
    stale += [
        p.relative_to(root).as_posix()
        for p in owned_files(root, env_root)
        if p.name not in hashes and not (p.name == MOVED_FILE and movedfile.is_canonical(p, env_root.name))
    ]
    return stale


def hashes(files: dict[str, str]) -> dict[str, str]:
    """Hashes the cache vouches for. Not moved.tf: it also depends on what was committed before
    and on pruning, so a hit only checks it is in the form synth writes (no new move is due
    when every other file already matches)."""
    return {name: sha(text.encode("utf-8")) for name, text in files.items() if name != MOVED_FILE}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
