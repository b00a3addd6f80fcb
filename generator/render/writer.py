"""The only code that touches generated files. A set of writes lands whole or not at all."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import HclgenError
from generator.render.emit import GENERATED_MARK


@dataclass
class Difference:
    """What synth would change on disk for one environment or the workflows (repo-relative paths)."""

    env: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def paths(self) -> list[str]:
        return sorted(self.created + self.updated + self.removed)


@contextmanager
def exclusive(root: Path) -> Iterator[None]:
    """One writer per checkout at a time: a second synth waits here (never deletes the first one's
    temporary files as leftovers); the OS drops the lock when a holder dies, even on SIGKILL."""
    from generator.paths import work_dir

    path = work_dir(root) / "locks" / "write.lock"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    except OSError as err:
        raise HclgenError(
            f"cannot open the write lock {path}: {err.strerror or err}; it must be a plain file"
        ) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            import sys

            print("another hclgen run is writing generated files in this checkout; waiting for it", file=sys.stderr)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def generated_files(env_root: Path) -> Iterator[Path]:
    """Files in an env folder that synth wrote (they open with the generated-by mark)."""
    for path in sorted([*env_root.glob("*.tf"), *env_root.glob("*.md")]):
        with open(path, encoding="utf-8", errors="replace") as handle:
            if GENERATED_MARK in handle.readline():
                yield path


_TMP = ".hclgen-tmp"
_BAK = ".hclgen-bak"


def apply(changes: Mapping[Path, str | None], durable: bool = True) -> None:
    """Write each path's text (or delete it for None) as one transaction.

    New text first goes to temporary files beside their targets; originals are hard-linked to
    backups; then each target is swapped in with os.replace. Any failure restores every file
    already swapped, so a crash part-way never leaves a mix of old and new files. `durable=False`
    skips the fsync of each file (still all-or-nothing), for output that is cheap to regenerate.
    """
    clean_leftovers({path.parent for path in changes})
    staged = _stage(changes, durable)
    backups: dict[Path, Path] = {}
    done: list[Path] = []
    path = next(iter(changes), Path("."))
    try:
        backups = _backup([target for target in changes if target.exists()])
        for path, text in changes.items():
            if text is None:
                os.remove(path)
            else:
                os.replace(staged[path], path)
            done.append(path)
    except OSError as err:
        _rollback(done, backups)
        _discard(staged.values())
        raise HclgenError(f"could not write {path}: {err.strerror or err}; no file was changed") from None
    finally:
        _discard(backups.values())


def clean_leftovers(folders: set[Path]) -> list[Path]:
    """Remove `.*.hclgen-tmp` / `.*.hclgen-bak` a killed run left (they are git-ignored too)."""
    removed: list[Path] = []
    for folder in sorted(folders):
        for pattern in (f".*{_TMP}", f".*{_BAK}"):
            for leftover in sorted(folder.glob(pattern)):
                try:
                    leftover.unlink()
                except IsADirectoryError:
                    continue  # not ours to delete; _backup then fails with a clear message
                except OSError:
                    continue
                removed.append(leftover)
    return removed


def _sibling(path: Path, suffix: str) -> Path:
    return path.with_name(f".{path.name}{suffix}")


def _stage(changes: Mapping[Path, str | None], durable: bool = True) -> dict[Path, Path]:
    staged: dict[Path, Path] = {}
    try:
        for path, text in changes.items():
            if text is None:
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = _sibling(path, _TMP)
            staged[path] = tmp  # before writing, so a failure part-way still discards it
            with open(tmp, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                if durable:
                    handle.flush()
                    os.fsync(handle.fileno())
    except OSError as err:
        _discard(staged.values())
        raise HclgenError(f"could not stage {path}: {err.strerror or err}; no file was changed") from None
    return staged


def _backup(paths: list[Path]) -> dict[Path, Path]:
    backups: dict[Path, Path] = {}
    try:
        for path in paths:
            backup = _sibling(path, _BAK)
            backup.unlink(missing_ok=True)
            os.link(path, backup)
            backups[path] = backup
    except OSError:
        _discard(backups.values())
        raise
    return backups


def _rollback(done: list[Path], backups: dict[Path, Path]) -> None:
    for path in reversed(done):
        if path in backups:
            os.replace(backups.pop(path), path)
        else:
            path.unlink(missing_ok=True)


def _discard(paths: object) -> None:
    for path in list(paths):  # type: ignore[call-overload]
        try:
            Path(path).unlink(missing_ok=True)
        except OSError:  # e.g. a folder in the way: never turn cleanup into a traceback
            continue
