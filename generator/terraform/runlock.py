"""One hclgen run per environment at a time: .hclgen/locks/<env>.lock, held with flock.

A second plan/apply/destroy of the same env is refused at once, before any Terraform work,
naming the holder, instead of failing on the state lock after a full plan and touching the
first run's saved plan. The OS drops the lock when the holder exits, even on SIGKILL."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from generator.errors import HclgenError, RefusedError
from generator.paths import check_name, work_dir


def lock_path(root: Path, env: str) -> Path:
    return work_dir(root) / "locks" / f"{check_name(env, 'env')}.lock"


@contextmanager
def hold(root: Path, envs: list[str], command: str) -> Iterator[None]:
    """Hold every env's run lock (sorted, so two multi-env runs cannot deadlock) or refuse."""
    with ExitStack() as stack:
        for env in sorted(set(envs)):
            stack.enter_context(_hold_one(root, env, command))
        yield


@contextmanager
def _hold_one(root: Path, env: str, command: str) -> Iterator[None]:
    path = lock_path(root, env)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    except OSError as err:
        raise HclgenError(
            f"cannot open the run lock {path}: {err.strerror or err}; it must be a plain file "
            "(remove what is in its place; nothing was done)"
        ) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 400, 0).decode("utf-8", "replace").strip() or "unknown"
            raise RefusedError(
                f"another hclgen run is working on {env} ({holder}); wait for it to finish and retry (nothing was done)"
            ) from None
        stamp = time.strftime("%H:%M:%S", time.localtime())
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}, `{command}`, since {stamp}\n".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
