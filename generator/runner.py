"""Every subprocess the product starts lives here: terraform, git and the local AWS daemon.

terraform runs in its own process group so a terminal Ctrl-C reaches only us; we forward
exactly one SIGINT per signal received and wait, so terraform stops cleanly and releases the
state lock (a second, duplicate SIGINT would make it abort hard).
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from generator.errors import HclgenError, TerraformError
from generator.processes import INSTALL_HINT as INSTALL_HINT
from generator.processes import MIN_TERRAFORM as MIN_TERRAFORM
from generator.processes import Completed as Completed
from generator.processes import binary_sink, quiet_cli_env, write_chunk
from generator.processes import python_argv as python_argv
from generator.processes import terraform_binary as terraform_binary

_FORWARDED = (signal.SIGINT, signal.SIGTERM)
_daemons: dict[int, subprocess.Popen[bytes]] = {}
# terraform processes started from worker threads (parallel plans): the main thread forwards
# Ctrl-C to them, since only it receives signals and terraform runs in its own process group.
_running: set[subprocess.Popen[bytes]] = set()
_running_lock = threading.Lock()
_interrupted_pids: set[int] = set()


@functools.cache
def terraform_version() -> tuple[int, int, int]:
    """The installed terraform's version; raises when it is missing or older than 1.11."""
    binary = terraform_binary()
    try:
        proc = subprocess.run(
            [binary, "version", "-json"], capture_output=True, text=True, timeout=60, check=False, env=quiet_cli_env()
        )
        raw = json.loads(proc.stdout)["terraform_version"]
    except (OSError, ValueError, KeyError, subprocess.TimeoutExpired):
        raise TerraformError(f"could not run `{binary} version`: {INSTALL_HINT}") from None
    match = re.match(r"(\d+)\.(\d+)\.(\d+)", raw)
    version = tuple(int(part) for part in match.groups()) if match else (0, 0, 0)
    if version < MIN_TERRAFORM:
        raise TerraformError(f"terraform {raw} is too old (need >= 1.11): {INSTALL_HINT}")
    return version  # type: ignore[return-value]


def run_terraform(
    args: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    echo_stdout: bool = True,
    echo_stderr: bool = True,
    stdout_to_stderr: bool = False,
    log: Path | None = None,
    watch: Callable[[bytes], None] | None = None,
) -> Completed:
    """Run terraform with output streamed live (and kept); signals are forwarded, not fatal.

    stdout_to_stderr: stream terraform's stdout to our stderr (chatter such as init's that
    must not mix into output meant for a pipe, e.g. `output --json`). log: append what would
    be echoed to this file instead. watch: sees every chunk of stdout (progress counting)."""
    terraform_version()
    argv = [terraform_binary(), *args]
    proc = subprocess.Popen(
        argv,
        cwd=cwd,
        env=dict(env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        process_group=0,
    )
    assert proc.stdout is not None and proc.stderr is not None
    with _running_lock:
        _running.add(proc)
    out, err = bytearray(), bytearray()
    log_handle = log.open("ab") if log is not None else None
    stdout_sink = (log_handle or binary_sink(sys.stderr if stdout_to_stderr else sys.stdout)) if echo_stdout else None
    pumps = [
        _pump(proc.stdout, stdout_sink, out, watch),
        _pump(proc.stderr, (log_handle or binary_sink(sys.stderr)) if echo_stderr else None, err),
    ]
    try:
        interrupted = _wait_forwarding(proc)
    finally:
        with _running_lock:
            _running.discard(proc)
            signalled = proc.pid in _interrupted_pids  # by interrupt_running(), from another thread
            _interrupted_pids.discard(proc.pid)
    interrupted = interrupted or signalled
    for pump in pumps:
        pump.join()
    if log_handle is not None:
        log_handle.close()
    return Completed(proc.returncode, out.decode(errors="replace"), err.decode(errors="replace"), interrupted)


def interrupt_running() -> int:
    """Pass an interrupt to every terraform still running; returns how many got it."""
    with _running_lock:
        alive = [proc for proc in _running if proc.poll() is None]
    for proc in alive:
        with _running_lock:
            _interrupted_pids.add(proc.pid)
        proc.send_signal(signal.SIGINT)
    return len(alive)


def _pump(
    source: IO[bytes], sink: Any, keep: bytearray, watch: Callable[[bytes], None] | None = None
) -> threading.Thread:
    def copy() -> None:
        for chunk in iter(lambda: os.read(source.fileno(), 65536), b""):
            keep.extend(chunk)
            if sink is not None:
                write_chunk(sink, chunk)
            if watch is not None:
                watch(chunk)
        source.close()

    thread = threading.Thread(target=copy, daemon=True)
    thread.start()
    return thread


def _wait_forwarding(proc: subprocess.Popen[bytes]) -> bool:
    if threading.current_thread() is not threading.main_thread():
        proc.wait()
        return False
    received: list[int] = []

    def forward(signum: int, _frame: object) -> None:
        received.append(signum)
        if proc.poll() is None:
            print(
                "\nhclgen: passing the interrupt to terraform; waiting for it to stop cleanly "
                "and release the state lock",
                file=sys.stderr,
                flush=True,
            )
            proc.send_signal(signum)

    previous = {sig: signal.signal(sig, forward) for sig in _FORWARDED}
    try:
        while proc.poll() is None:
            try:
                proc.wait()
            except KeyboardInterrupt:  # a handler installed by someone else raced ours
                continue
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return bool(received)


def git_output(root: Path, *args: str) -> str:
    """stdout of `git -C root ARGS...`; a one-line HclgenError when git fails or is missing."""
    if shutil.which("git") is None:
        raise HclgenError("git was not found on PATH")
    proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        detail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise HclgenError(f"git {' '.join(args)} failed: {detail}")
    return proc.stdout


def spawn_daemon(
    argv: Sequence[str], *, log: Path, cwd: Path | None = None, env: Mapping[str, str] | None = None
) -> int:
    """Start a long-lived background process detached from our session; returns its pid."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as handle:
        proc = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=cwd,
            env=dict(env) if env is not None else None,
        )
    _daemons[proc.pid] = proc
    return proc.pid


def process_alive(pid: int) -> bool:
    """True when pid runs (a zombie, i.e. exited but not reaped, counts as gone)."""
    child = _daemons.get(pid)
    if child is not None:
        return child.poll() is None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    stat = Path(f"/proc/{pid}/stat")
    try:
        return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def process_identity(pid: int) -> tuple[str, str] | None:
    """(command line, start time) of a running pid, or None: what tells our daemon from a
    reused pid. Linux reads /proc; elsewhere `ps` answers with its own start column."""
    if pid <= 1:
        return None
    proc = Path(f"/proc/{pid}")
    if Path("/proc/self/stat").is_file():
        try:
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace").strip()
            started = (proc / "stat").read_text().rsplit(")", 1)[1].split()[19]
        except (OSError, IndexError):
            return None
        return (command, started) if command else None
    try:
        out = subprocess.run(
            ["ps", "-o", "lstart=", "-o", "command=", "-p", str(pid)], capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        return None
    return (out[24:].strip(), out[:24].strip()) if len(out) > 24 else None


def stop_process(pid: int, identity: tuple[str, str], *, timeout: float = 10.0) -> bool:
    """SIGTERM, wait, then SIGKILL, for a process this tool started (the local AWS): each signal
    only while pid is still the process recorded at launch (identity), never pid <= 1.
    Returns False when the pid was not (or no longer) that process and nothing was signalled."""
    if pid <= 1:
        return False
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
        if process_identity(pid) != identity:
            return sig != signal.SIGTERM  # gone after our SIGTERM, or never ours
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + wait
        while process_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if not process_alive(pid):
            break
    child = _daemons.pop(pid, None)
    if child is not None:
        child.poll()
    return True


def run_tool(
    argv: Sequence[str], *, cwd: Path | None = None, env: Mapping[str, str] | None = None, timeout: float | None = None
) -> Completed:
    """Run a helper program (a tool's own virtualenv, checkov) to completion, output captured.

    A missing program or a timeout is a Completed with code 127 / 124 and the reason in stderr."""
    try:
        proc = subprocess.run(
            list(argv),
            cwd=cwd,
            env=dict(env) if env is not None else None,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=timeout,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError as err:
        return Completed(127, "", str(err))
    except subprocess.TimeoutExpired:
        return Completed(124, "", f"{argv[0]} did not finish within {timeout:.0f}s")
    return Completed(proc.returncode, proc.stdout, proc.stderr)
