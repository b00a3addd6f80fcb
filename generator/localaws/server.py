"""The embedded local AWS: one moto server per working folder, started on demand and reused.

Its pid and port are recorded in .hclgen/local/server.json, so `apply --local` and a later
`plan --local` talk to the same in-memory AWS. `python main.py local down` ends it (and
everything created in it). The record also holds the daemon's command line and start time as
the OS reported them at launch: a pid is signalled only while it is still that process, so a
reused pid, pid 0/1 or an edited record never gets a signal.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from generator import runner
from generator.errors import HclgenError
from generator.paths import work_dir
from generator.program import command

ACCESS_KEY = "test"  # moto accepts any key; fixed ones keep the state's account stable
SECRET_KEY = "test"
START_TIMEOUT = 60.0
_PACKAGE_PARENT = Path(__file__).resolve().parents[2]
_LAUNCHER = "generator.localaws.launcher"
ANSWER_PATIENCE = 20.0  # seconds a running server of ours may take to answer before it counts as hung


@dataclass(frozen=True)
class Server:
    pid: int
    port: int
    started_at: float
    command: str = ""  # /proc/<pid>/cmdline at launch
    start_ticks: str = ""  # the process's start time at launch (/proc/<pid>/stat field 22)

    @property
    def identity(self) -> tuple[str, str]:
        return (self.command, self.start_ticks)

    def is_ours(self, root: Path) -> bool:
        """pid is still the launcher this checkout started (not a reused pid or another program)."""
        return (
            self.pid > 1
            and _LAUNCHER in self.command
            and str(_port_file(root)) in self.command
            and runner.process_identity(self.pid) == self.identity
        )

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def local_dir(root: Path) -> Path:
    return work_dir(root.resolve()) / "local"  # absolute: the daemon runs from another folder


def _state_file(root: Path) -> Path:
    return local_dir(root) / "server.json"


def _port_file(root: Path) -> Path:
    return local_dir(root) / "server.port"


def log_file(root: Path) -> Path:
    return local_dir(root) / "server.log"


def status(root: Path) -> Server | None:
    """The recorded server when it is our own launcher and answering; a record of anything else is removed."""
    server = _ours(root)
    return server if server is not None and _answering(server) else None


def _ours(root: Path) -> Server | None:
    """The recorded server if its pid is still the launcher this checkout started (answering or not)."""
    server = _recorded(root)
    if server is None:
        return None
    if server.is_ours(root):
        return server
    _forget(root)
    return None


def _answering(server: Server) -> bool:
    """A busy machine can keep moto from answering at once: ask again for a while before giving up."""
    deadline = time.monotonic() + ANSWER_PATIENCE
    while not _answers(server.endpoint):
        if time.monotonic() > deadline or runner.process_identity(server.pid) != server.identity:
            return False
        time.sleep(0.5)
    return True


def _recorded(root: Path) -> Server | None:
    """The record as written by _start, or None (missing, or not of the shape _start writes)."""
    try:
        data = json.loads(_state_file(root).read_text(encoding="utf-8"))
        server = Server(**data)
    except (OSError, ValueError, TypeError):
        return None
    fields = (server.pid, server.port, server.command, server.start_ticks)
    if not (
        isinstance(fields[0], int)
        and isinstance(fields[1], int)
        and isinstance(fields[2], str)
        and isinstance(fields[3], str)
        and 0 < server.port < 65536
    ):
        return None
    return server


def _forget(root: Path) -> None:
    try:
        _state_file(root).unlink(missing_ok=True)
    except OSError:
        pass  # e.g. a folder in its place: status stays "not running", nothing is signalled


def ensure(root: Path) -> tuple[Server, bool]:
    """The running server, starting one if needed; the flag says whether it was started now."""
    running = _ours(root)
    if running is None:
        return _start(root), True
    if _answering(running):
        return running, False
    # Starting another would plan against an empty AWS as if nothing existed: never silently.
    raise HclgenError(
        f"the local AWS (pid {running.pid}) runs but does not answer on {running.endpoint}; retry, or drop it "
        f"and everything in it with `{command('local', 'down')}`"
    )


def down(root: Path) -> Server | None:
    """Stop the recorded server; returns it, or None when none was running (a record that does
    not point at our own launcher is dropped and its pid left alone)."""
    running = _ours(root)
    if running is not None:
        runner.stop_process(running.pid, running.identity)
    _forget(root)
    return running


def _start(root: Path) -> Server:
    folder = local_dir(root)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise HclgenError(f"cannot use {folder} for the local AWS: {err.strerror or err}") from None
    port_file = _port_file(root)
    port_file.unlink(missing_ok=True)
    argv = runner.python_argv(_LAUNCHER, "--port-file", str(port_file))
    # cwd: `python -m` puts it first on sys.path; it must be the package running this code.
    pid = runner.spawn_daemon(argv, log=log_file(root), cwd=_PACKAGE_PARENT, env=_daemon_env())
    port = _wait_for_port(pid, port_file, log_file(root))
    command, ticks = runner.process_identity(pid) or ("", "")
    server = Server(pid=pid, port=port, started_at=time.time(), command=command, start_ticks=ticks)
    if not _wait_answering(server.endpoint):
        _stop_child(pid)
        raise HclgenError(f"local AWS did not answer on {server.endpoint}; see {log_file(root)}")
    _record(root, server)
    return server


def _record(root: Path, server: Server) -> None:
    tmp = _state_file(root).with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(server)), encoding="utf-8")
    os.replace(tmp, _state_file(root))


def _stop_child(pid: int) -> None:
    """Stop a daemon this very process spawned (still unreaped, so its pid cannot be reused)."""
    identity = runner.process_identity(pid)
    if identity is not None:
        runner.stop_process(pid, identity)


def _daemon_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(_PACKAGE_PARENT), env.get("PYTHONPATH")) if p)
    return env


def _wait_for_port(pid: int, port_file: Path, log: Path) -> int:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if port_file.is_file():
            return int(port_file.read_text())
        if not runner.process_alive(pid):
            raise HclgenError(f"local AWS exited while starting; see {log}")
        time.sleep(0.05)
    _stop_child(pid)
    raise HclgenError(f"local AWS did not start within {START_TIMEOUT:.0f}s; see {log}")


def _answers(endpoint: str) -> bool:
    import httpx

    try:
        # Cheap, and only our launcher answers "immediate" for this model.
        reply = httpx.get(
            f"{endpoint}/moto-api/state-manager/get-transition", params={"model_name": "ecs::task"}, timeout=2.0
        )
        return reply.status_code == 200 and reply.json().get("progression") == "immediate"
    except (httpx.HTTPError, ValueError):
        return False


def _wait_answering(endpoint: str) -> bool:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if _answers(endpoint):
            return True
        time.sleep(0.1)
    return False


def client_settings(server: Server, region: str) -> dict[str, str]:
    """boto3 client keyword arguments for the local server."""
    return {
        "endpoint_url": server.endpoint,
        "region_name": region,
        "aws_access_key_id": ACCESS_KEY,
        "aws_secret_access_key": SECRET_KEY,
    }
