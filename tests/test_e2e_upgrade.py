"""Upgrading to services= never destroys: dev applied with the code before it, planned with the code after.

The "before" is the project as it was at BEFORE (the last commit without services=, queues, caches,
uploads and the API front), taken from git; the "after" is this checkout. One apply of the old dev on
the local AWS, then the new code's synth and plan against the same state: nothing is destroyed or
replaced (the services= change renames nothing in an env without services, so no moved block is due;
the alarm table changes thresholds in place and adds the 4xx alarm).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import runner
from generator.localaws import server as local_aws
from scripts.projectcopy import PROJECT_PARTS, copy_project
from tests.conftest import ROOT

BEFORE = "61ebef3a28a2d88ec2e64ee7baaaf03dd7ac2d2f"


def _git(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, timeout=120)


def _before_available() -> bool:
    return shutil.which("git") is not None and _git("cat-file", "-e", f"{BEFORE}^{{commit}}").returncode == 0


pytestmark = [
    pytest.mark.e2e,
    pytest.mark.terraform,
    pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not installed"),
    pytest.mark.skipif(not _before_available(), reason=f"commit {BEFORE} is not in this clone"),
]


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(root / "main.py"), *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "HCLGEN_ROOT": str(root)},
        stdin=subprocess.DEVNULL,
        timeout=1800,
    )


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    project = tmp_path_factory.mktemp("upgrade") / "project"
    project.mkdir()
    archive = _git("archive", "--format=tar", BEFORE, *PROJECT_PARTS)
    assert archive.returncode == 0, archive.stderr.decode()
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(project, filter="data")
    yield project
    local_aws.down(project)


def _switch_to_this_checkout(project: Path) -> None:
    """The new code and configs over the old ones; the local AWS, its state and .hclgen/ stay.

    The new code trusts a local AWS record only with the command line and start time recorded at
    launch, which the old code did not write; a user restarts the local AWS once. To plan against
    the state the old code applied, the test writes what the old launcher's record lacked."""
    record_file = project / ".hclgen" / "local" / "server.json"
    record = json.loads(record_file.read_text())
    identity = runner.process_identity(record["pid"])
    assert identity is not None, "the old code's local AWS is not running"
    record_file.write_text(json.dumps({**record, "command": identity[0], "start_ticks": identity[1]}))
    for part in PROJECT_PARTS:
        path = project / part
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    copy_project(project)


def test_old_dev_applied_then_new_code_plans_no_destroy_no_replace(root: Path) -> None:
    applied = _run(root, "apply", "dev", "--local", "--auto-approve")
    assert applied.returncode == 0, applied.stdout[-3000:] + applied.stderr[-3000:]
    _switch_to_this_checkout(root)
    assert _run(root, "synth", "--check", "dev").returncode == 0  # the committed HCL is the new render
    plan = _run(root, "plan", "dev", "--local", "--detailed-exitcode")
    assert plan.returncode in (0, 2), plan.stdout[-3000:] + plan.stderr[-3000:]
    summary = [line for line in plan.stdout.splitlines() if line.startswith("dev: ") and " to add" in line]
    print("\n".join(summary))  # the closing note quotes it
    assert summary and "0 to destroy, 0 to replace" in summary[-1]
    changes = json.loads((root / ".hclgen" / "plans" / "dev" / "plan.json").read_text())["resource_changes"]
    actions = {rc["address"]: tuple(rc["change"]["actions"]) for rc in changes}
    assert not [address for address, act in actions.items() if "delete" in act], actions
    assert actions.get("aws_cloudwatch_metric_alarm.alb_4xx_ratio") == ("create",)
    assert actions.get("aws_cloudwatch_metric_alarm.alb_5xx_ratio") == ("update",)
    assert actions.get("aws_ecs_service.this") == ("no-op",) and actions.get("aws_db_instance.this") == ("no-op",)
