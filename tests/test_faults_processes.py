"""Issue 21 items 4, 11 and 12 for real: which pids `local down` signals, Node.js missing,
two synths at once, and a full disk (a real tmpfs filled to the last byte; needs root to
mount, skipped elsewhere) while writing the HCL and the cache."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import runner
from scripts.projectcopy import copy_project

DEV_CONFIG = "environments/dev/config.py"


def run(
    root: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "HCLGEN_ROOT": str(root), **(env or {})}
    return subprocess.run(
        [sys.executable, str(root / "main.py"), *args],
        cwd=root,
        env=environ,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )


def start(root: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(root / "main.py"), *args],
        cwd=root,
        env={**os.environ, "HCLGEN_ROOT": str(root)},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def leftovers(root: Path) -> list[Path]:
    return [
        p
        for p in root.rglob("*")
        if ".venv" not in p.parts
        and (p.name.endswith(".hclgen-tmp") or p.name.endswith(".hclgen-bak") or p.name.endswith(".tmp"))
    ]


@pytest.fixture
def server_root(tmp_path: Path) -> Iterator[tuple[Path, dict[str, object]]]:
    root = copy_project(tmp_path / "project")
    result = run(root, "local", "up")
    assert result.returncode == 0, result.stderr
    record_file = root / ".hclgen" / "local" / "server.json"
    record = json.loads(record_file.read_text())
    yield root, record
    if runner.process_identity(int(record["pid"])) is not None:  # type: ignore[call-overload]
        os.kill(int(record["pid"]), signal.SIGKILL)  # type: ignore[call-overload]


def test_local_down_signals_only_its_own_server(server_root: tuple[Path, dict[str, object]]) -> None:
    root, record = server_root
    record_file = root / ".hclgen" / "local" / "server.json"
    victim = subprocess.Popen(["sleep", "300"], start_new_session=True)
    try:
        deadline = time.monotonic() + 10  # a loaded machine may not have exec'd `sleep` yet
        while (victim_identity := runner.process_identity(victim.pid)) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert victim_identity is not None
        forged = [
            {**record, "pid": victim.pid},  # a record pointing at another program
            {**record, "pid": victim.pid, "command": victim_identity[0], "start_ticks": victim_identity[1]},
            {**record, "start_ticks": str(int(str(record["start_ticks"])) + 1)},  # the pid reused by a newer process
            {**record, "command": "sleep 300"},
            {**record, "pid": 1},
            {**record, "pid": 0},
            {**record, "pid": -1},
            {**record, "pid": "123"},
            {"pid": record["pid"]},
            [record["pid"]],
            "garbage",
        ]
        for bad in forged:
            record_file.write_text(bad if isinstance(bad, str) else json.dumps(bad))
            result = run(root, "local", "down")
            assert result.returncode == 0 and "Traceback" not in result.stderr, (bad, result.stderr)
            assert "local AWS was not running" in result.stdout, (bad, result.stdout)
            assert victim.poll() is None, f"{bad} killed another program"
            assert runner.process_alive(int(record["pid"])), f"{bad}: the server was signalled"  # type: ignore[call-overload]
            status = run(root, "local", "status")
            assert status.returncode == 1 and "Traceback" not in status.stderr
        record_file.write_text(json.dumps(record))  # the true record: now it stops
        result = run(root, "local", "down")
        assert result.returncode == 0 and f"local AWS stopped (pid {record['pid']})" in result.stdout, result.stdout
        assert runner.process_identity(int(record["pid"])) is None  # type: ignore[call-overload]
    finally:
        victim.kill()
        victim.wait()


def test_node_missing_is_one_line(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    empty = tmp_path / "bin"
    empty.mkdir()
    result = run(root, "synth", "--no-cache", env={"PATH": str(empty)})
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 64 and len(lines) == 1, result.stderr[-3000:]
    assert "Node.js" in lines[0] and "install" in lines[0]
    result = run(root, "synth", "--no-cache", env={"JSII_NODE": "/nonexistent/node"})
    assert result.returncode == 64 and "Node.js" in result.stderr and "Traceback" not in result.stderr


def _make_stale(root: Path) -> None:
    config = root / DEV_CONFIG
    config.write_text(config.read_text().replace('"APP_ENV": "dev"', '"APP_ENV": "dev", "FEATURE": "on"'))


def test_two_synths_at_once_equal_one(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    _make_stale(root)
    first, second = start(root, "synth"), start(root, "synth")
    results = [(p.wait(timeout=900), p.stderr.read() if p.stderr else "") for p in (first, second)]
    for code, err in results:
        assert code == 0 and "Traceback" not in err, err[-3000:]
    assert leftovers(root) == [], "a temporary file was left"
    assert '"FEATURE"' in (root / "environments" / "dev" / "ecs.tf").read_text()
    check = run(root, "synth", "--check", "--no-cache")
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(mount)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {made.stderr.decode(errors='replace').strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(folder: Path) -> Path:
    """Fill the file system of `folder` to the last byte (ENOSPC for every later write)."""
    filler = folder / "filler"
    with open(filler, "wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
    for size in (4096, 1):
        try:
            with open(folder / f"filler-{size}", "wb") as handle:
                while True:
                    handle.write(b"\0" * size)
                    handle.flush()
        except OSError:
            pass
    return filler


def test_disk_full_while_writing_hcl_is_one_line(tmpfs: Path) -> None:
    root = copy_project(tmpfs / "project")
    _make_stale(root)
    before = tree_hash(root / "environments")
    _fill(tmpfs)
    result = run(root, "synth")
    lines = result.stderr.strip().splitlines()
    assert result.returncode != 0 and "Traceback" not in result.stderr, result.stderr[-3000:]
    errors = [line for line in lines if line.startswith("error:")]  # progress lines ("rendered dev") may precede
    assert errors == lines[-1:] and "No space left on device" in errors[0], result.stderr[-3000:]
    assert tree_hash(root / "environments") == before, "a committed file changed"
    assert leftovers(root) == []


def test_disk_full_in_the_cache_folder_is_one_line(tmp_path: Path, tmpfs: Path) -> None:
    root = copy_project(tmp_path / "project")
    _make_stale(root)
    work = root / ".hclgen"
    work.symlink_to(tmpfs)  # the tool's working folder on a full disk; the checkout has room
    before = tree_hash(root / "environments")
    _fill(tmpfs)
    result = run(root, "synth")
    lines = result.stderr.strip().splitlines()
    assert result.returncode != 0 and "Traceback" not in result.stderr, result.stderr[-3000:]
    errors = [line for line in lines if line.startswith("error:")]  # progress lines ("rendered dev") may precede
    assert errors == lines[-1:] and "No space left on device" in errors[0], result.stderr[-3000:]
    assert tree_hash(root / "environments") == before, "the HCL changed without its manifest and cache"
    assert leftovers(root) == [] and leftovers(tmpfs) == []
