"""The output folder of `convert`: written only when it is new, empty, or already the tool's.

A marker file lists the files the tool wrote there, so a re-run replaces exactly those and a
folder of someone else's files is never touched. (One function, to be swapped for the shared
output-folder guard of issue 21 when both land.)
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from generator.errors import UsageError
from generator.render import writer
from generator.render.writer import Difference

MARKER = ".hclgen-convert"


def guard_output_folder(out: Path) -> None:
    """Refuse an output path that is a file, or a non-empty folder without the tool's marker."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: exists and is not a folder; choose another --out")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise UsageError(
            f"{out}: a folder with files that hclgen did not write (no {MARKER} marker); choose a new or empty --out"
        )


def previous_files(out: Path) -> set[str]:
    marker = out / MARKER
    if not marker.is_file():
        return set()
    return {line.strip() for line in marker.read_text(encoding="utf-8").splitlines() if line.strip()}


def difference(out: Path, files: Mapping[str, str], label: str) -> Difference:
    """What writing `files` (relative names) into `out` would create, update and remove."""
    diff = Difference(label)
    for name, text in sorted(files.items()):
        target = out / name
        if not target.exists():
            diff.created.append(str(target))
        elif target.read_text(encoding="utf-8") != text:
            diff.updated.append(str(target))
    diff.removed.extend(str(out / name) for name in sorted(previous_files(out) - set(files)) if (out / name).exists())
    return diff


def write(out: Path, files: Mapping[str, str]) -> None:
    """Every file plus the marker, atomically; files the tool wrote before and no longer renders go."""
    changes: dict[Path, str | None] = {out / name: text for name, text in files.items()}
    for stale in previous_files(out) - set(files):
        if (out / stale).exists():
            changes[out / stale] = None
    changes[out / MARKER] = "".join(f"{name}\n" for name in sorted(files))
    writer.apply(changes, durable=False)  # hundreds of files, all regenerable from the JSON: no fsync each
