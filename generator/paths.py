"""Where the project lives on disk. The working folder (.hclgen/) is git-ignored."""

from __future__ import annotations

import os
import re
from pathlib import Path

from generator.errors import UsageError

ROOT_ENV_VAR = "HCLGEN_ROOT"
WORK_DIR_NAME = ".hclgen"


def project_root() -> Path:
    """The checkout holding environments/: $HCLGEN_ROOT, else the nearest parent of cwd."""
    override = os.environ.get(ROOT_ENV_VAR)
    if override:
        root = Path(override).resolve()
        if not (root / "environments").is_dir():
            raise UsageError(f"{ROOT_ENV_VAR}={override} has no environments/ folder")
        return root
    here = Path.cwd().resolve()
    for candidate in (here, *here.parents):
        if (candidate / "environments").is_dir() and (candidate / "pyproject.toml").is_file():
            return candidate
    package_root = Path(__file__).resolve().parent.parent
    if (package_root / "environments").is_dir():
        return package_root
    raise UsageError("no hclgen project here: run inside a checkout that has environments/ and pyproject.toml")


def work_dir(root: Path) -> Path:
    """The tool's git-ignored working folder (plans, caches, local AWS state)."""
    return root / WORK_DIR_NAME


def templates_dir() -> Path:
    """The jinja2 templates: generator/templates/ in an installed wheel, templates/ in a checkout."""
    package = Path(__file__).resolve().parent
    installed = package / "templates"
    return installed if installed.is_dir() else package.parent / "templates"


# Folders the tool fills or replaces carry this file; only such a folder (or an empty or new one) is replaced.
OWNED_MARKER = ".hclgen-output"
# Under .hclgen/ only these hold user-visible outputs; everything else there is the tool's own state.
_OUTPUT_AREAS = ("artifacts", "status")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")


def check_name(value: str, what: str) -> str:
    """An env or job name that becomes part of a path: letters, digits, `_ . -`, no `..`, no `/`."""
    if not _NAME.fullmatch(value) or ".." in value:
        raise UsageError(f"{what} {value!r} is not a valid name (letters, digits, _ . -; no '/' or '..')")
    return value


def _refusal(root: Path, path: Path) -> str | None:
    """Why `path` (resolved) is never an output location, or None."""
    if path == root or root.is_relative_to(path):
        return "is the checkout or contains it"
    for name in ("environments", ".git"):
        if path.is_relative_to(root / name):
            return f"is or is inside {name}/"
    work = work_dir(root)
    if path.is_relative_to(work) and not any(path.is_relative_to(work / area) for area in _OUTPUT_AREAS):
        return f"is or is inside {WORK_DIR_NAME}/ (the tool's own state)"
    return None


def check_output_dir(root: Path, target: Path, flag: str) -> Path:
    """The resolved folder an output may fill or replace; UsageError naming the flag when it may not.

    Refused: the checkout or a folder containing it, environments/, .git/, the tool's state in
    .hclgen/, a file, and a non-empty folder without OWNED_MARKER (the tool did not make it)."""
    path = target.expanduser().resolve()
    reason = _refusal(root.resolve(), path)
    if reason is None and path.exists() and not path.is_dir():
        reason = "is a file, not a folder"
    if reason is None and path.is_dir() and any(path.iterdir()) and not (path / OWNED_MARKER).is_file():
        reason = f"is a non-empty folder this tool did not create (no {OWNED_MARKER} in it)"
    if reason is not None:
        raise UsageError(f"{flag} {target}: refused, it {reason}; name a new or empty folder")
    return path


def check_output_file(root: Path, target: Path, flag: str, signature: bytes) -> Path:
    """The resolved file an output may write; an existing file is replaced only when it starts with
    `signature` (a file of the kind this tool writes), never a folder or a protected location."""
    path = target.expanduser().resolve()
    reason = _refusal(root.resolve(), path)
    if reason is None and path.is_dir():
        reason = "is a folder"
    if reason is None and path.exists():
        try:
            with path.open("rb") as handle:
                same_kind = handle.read(len(signature)) == signature
        except OSError as err:
            raise UsageError(f"{flag} {target}: cannot read it ({err.strerror or err})") from None
        if not same_kind:
            reason = "exists and is not a file of the kind this command writes"
    if reason is not None:
        raise UsageError(f"{flag} {target}: refused, it {reason}; name a new file")
    return path


def mark_owned(folder: Path, command: str) -> None:
    (folder / OWNED_MARKER).write_text(f"made by `{command}`; replaced whole on its next run\n", encoding="utf-8")
