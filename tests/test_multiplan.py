"""Choosing the environments `plan` runs for: names, --all, --affected."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.errors import UsageError
from generator.terraform import multiplan
from scripts.projectcopy import env_names


def test_exactly_one_way_of_choosing(project: Path) -> None:
    with pytest.raises(UsageError, match="exactly one of --all / --affected"):
        multiplan.choose(project, ("dev",), all_envs=True, affected=False, base=None)
    with pytest.raises(UsageError):
        multiplan.choose(project, (), all_envs=False, affected=False, base=None)
    result = CliRunner().invoke(cli, ["plan"])
    assert result.exit_code == 64 and "exactly one of --all / --affected" in result.stderr


def test_all_plans_every_env(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert multiplan.choose(project, (), all_envs=True, affected=False, base=None) == env_names(project)
    assert f"planning all environments: {', '.join(env_names(project))}" in capsys.readouterr().err


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(root), "-c", "user.email=t@t", "-c", "user.name=t", *args], check=True, capture_output=True
    )


def test_affected_plans_only_what_the_change_touches(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _git(project, "init", "-q", "-b", "main")
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "base")
    config = project / "environments" / "prod" / "config.py"
    config.write_text(config.read_text() + "\n")
    _git(project, "commit", "-qam", "touch prod")
    assert multiplan.choose(project, (), all_envs=False, affected=True, base="HEAD~1") == ["prod"]
    assert "affected prod: environments/prod/config.py changed" in capsys.readouterr().err
    (project / "modules" / "alb.py").write_text((project / "modules" / "alb.py").read_text() + "\n")
    _git(project, "commit", "-qam", "touch a module")
    assert multiplan.choose(project, (), all_envs=False, affected=True, base="HEAD~1") == env_names(project)
    assert multiplan.choose(project, (), all_envs=False, affected=True, base="HEAD") == []
    assert "nothing to plan" in capsys.readouterr().err


def test_ctrl_c_between_terraform_runs_is_not_lost_and_starts_no_waiting_env() -> None:
    """The interrupt lands while the running envs are in Python (no terraform to pass it to)."""
    started: list[str] = []

    def work(ws: Any) -> int:
        started.append(ws.name)
        time.sleep(1.5)
        return 0

    envs: Any = [SimpleNamespace(name=name) for name in ("a", "b", "c")]  # in_parallel reads only the name
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        multiplan.in_parallel(envs, work, jobs=2)
    timer.join()
    assert started == ["a", "b"]  # c was waiting for a free slot at the interrupt: it never started
