"""generator.runner and workspace: terraform discovery, live output, signal forwarding, CLI config."""

from __future__ import annotations

import os
import signal
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import runner
from generator.errors import HclgenError, TerraformError
from generator.render.project import LoadedEnv
from generator.terraform import workspace

FAKE_TERRAFORM = """#!/bin/sh
if [ "$1" = "version" ]; then echo '{"terraform_version": "VERSION"}'; exit 0; fi
if [ "$1" = "wait-for-int" ]; then
  trap 'echo "stopping cleanly"; exit 7' INT
  echo ready
  i=0; while [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
  echo "no signal"; exit 0
fi
echo "out:$*"; echo "err:$*" >&2; exit 3
"""


@pytest.fixture
def fake_terraform(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    def install(version: str) -> Path:
        script = tmp_path / "bin" / "terraform"
        script.parent.mkdir(exist_ok=True)
        script.write_text(FAKE_TERRAFORM.replace("VERSION", version))
        script.chmod(script.stat().st_mode | stat.S_IEXEC)
        runner.terraform_version.cache_clear()
        return script

    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    yield install  # type: ignore[misc]
    runner.terraform_version.cache_clear()


def test_missing_terraform_says_how_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    runner.terraform_version.cache_clear()
    with pytest.raises(TerraformError, match="not found on PATH: install Terraform >= 1.11"):
        runner.terraform_version()
    runner.terraform_version.cache_clear()


def test_old_terraform_is_refused(fake_terraform) -> None:  # type: ignore[no-untyped-def]
    fake_terraform("1.5.7")
    with pytest.raises(TerraformError, match=r"terraform 1.5.7 is too old \(need >= 1.11\)"):
        runner.terraform_version()


def test_output_is_streamed_and_kept(fake_terraform, tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    fake_terraform("1.11.4")
    result = runner.run_terraform(["plan", "-x"], cwd=tmp_path, env=os.environ)
    assert (result.code, result.stdout, result.stderr) == (3, "out:plan -x\n", "err:plan -x\n")
    seen = capfd.readouterr()
    assert "out:plan -x" in seen.out and "err:plan -x" in seen.err


def test_chatter_can_go_to_stderr(fake_terraform, tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    fake_terraform("1.11.4")
    result = runner.run_terraform(["init"], cwd=tmp_path, env=os.environ, stdout_to_stderr=True)
    seen = capfd.readouterr()
    assert result.stdout == "out:init\n" and seen.out == "" and "out:init" in seen.err


def test_sigint_is_forwarded_once_and_terraform_is_waited_for(fake_terraform, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fake_terraform("1.11.4")
    timer = threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    result = runner.run_terraform(["wait-for-int"], cwd=tmp_path, env=os.environ)
    timer.join()
    assert result.interrupted
    assert result.code == 7 and "stopping cleanly" in result.stdout
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_git_output_and_errors(tmp_path: Path) -> None:
    runner.git_output(tmp_path, "init", "-q", "-b", "main")
    assert runner.git_output(tmp_path, "symbolic-ref", "--short", "HEAD").strip() == "main"
    with pytest.raises(HclgenError, match="git no-such-command failed"):
        runner.git_output(tmp_path, "no-such-command")


def test_daemon_spawn_and_stop(tmp_path: Path) -> None:
    pid = runner.spawn_daemon(runner.python_argv("http.server", "--bind", "127.0.0.1", "0"), log=tmp_path / "d.log")
    assert runner.process_alive(pid)
    deadline = time.monotonic() + 10
    while (identity := runner.process_identity(pid)) is None or "http.server" not in identity[0]:
        assert time.monotonic() < deadline, identity  # before exec the command line is still ours or empty
        time.sleep(0.02)
    assert not runner.stop_process(pid, ("something else", identity[1]))  # not the recorded process
    assert runner.process_alive(pid)
    assert runner.stop_process(pid, identity)
    assert not runner.process_alive(pid)


def test_cli_config_only_with_mirror(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "environments" / "dev").mkdir(parents=True)
    loaded = LoadedEnv(env=_FakeEnv(), root=tmp_path / "environments" / "dev", config_path=tmp_path)  # type: ignore[arg-type]
    ws = workspace.Workspace(tmp_path, loaded)
    monkeypatch.setenv("TF_CLI_CONFIG_FILE", "/users/own.rc")
    monkeypatch.delenv(workspace.MIRROR_ENV_VAR, raising=False)
    assert ws.environ()["TF_CLI_CONFIG_FILE"] == "/users/own.rc"
    monkeypatch.setenv(workspace.MIRROR_ENV_VAR, "/mirror")
    env = ws.environ()
    text = Path(env["TF_CLI_CONFIG_FILE"]).read_text()
    assert 'path    = "/mirror"' in text and 'exclude = ["registry.terraform.io/*/*"]' in text
    assert env["TF_DATA_DIR"].endswith(".hclgen/terraform/dev/aws")
    assert "AWS_ENDPOINT_URL" not in env or env["AWS_ENDPOINT_URL"] == os.environ.get("AWS_ENDPOINT_URL")


def test_local_workspace_points_at_the_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.localaws.server import Server

    monkeypatch.setenv("AWS_PROFILE", "real-account")
    loaded = LoadedEnv(env=_FakeEnv(), root=tmp_path, config_path=tmp_path)  # type: ignore[arg-type]
    ws = workspace.Workspace(tmp_path, loaded, Server(pid=1, port=4321, started_at=0))
    env = ws.environ()
    assert env["AWS_ENDPOINT_URL"] == "http://127.0.0.1:4321" and "AWS_PROFILE" not in env
    assert env["TF_DATA_DIR"].endswith("terraform/dev/local")
    config = Path(ws.backend_args()[0].split("=", 1)[1]).read_text()
    assert 'endpoints = { s3 = "http://127.0.0.1:4321" }' in config and "use_path_style = true" in config


class _FakeEnv:
    name = "dev"
