"""`apply --verify-reviewed` end to end: real terraform plans environments/dev on the local AWS, the
real `comment` records its digest, a local GitHub stand-in serves it as the merged pull request's
plan comment; a different reviewed plan stops the apply before anything is applied, the same one
applies. About 3-5 minutes on 2 cores (one full apply of dev)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.localaws import server as local_aws
from generator.plan.digest import block, recorded
from generator.plan.model import PlanReport, env_plan
from generator.review.comment.render import render_comment
from tests.conftest import copy_project
from tests.support.fakegithub import NUMBER, REPO, TOKEN, FakeGitHub

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.terraform,
    pytest.mark.skipif(
        shutil.which("terraform") is None and os.environ.get("CI") != "true", reason="terraform is not installed"
    ),
]
SHA = "c" * 40
OTHER = Path(__file__).parent / "fixtures" / "plans" / "dev-update" / "plan.json"


@pytest.fixture
def root(tmp_path: Path) -> Iterator[Path]:
    project = copy_project(tmp_path / "project")
    yield project
    local_aws.down(project)


def run(root: Path, github: FakeGitHub, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "HCLGEN_ROOT": str(root),
        "GITHUB_API_URL": github.url,
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_TOKEN": TOKEN,
        "GITHUB_SHA": SHA,
        "GITHUB_STEP_SUMMARY": "",
        "GITHUB_SERVER_URL": "",
        "GITHUB_EVENT_PATH": "",
    }
    return subprocess.run(
        [sys.executable, str(root / "main.py"), *args],
        cwd=root,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_only_the_reviewed_plan_is_applied(root: Path, github: FakeGitHub) -> None:
    planned = run(root, github, "plan", "dev", "--local")
    assert planned.returncode == 0, planned.stderr[-3000:]
    reviewed = run(root, github, "comment", str(root / ".hclgen" / "plans" / "dev"), "--no-diagram")
    assert reviewed.returncode == 0, reviewed.stderr[-3000:]
    assert "dev" in recorded(reviewed.stdout)[0]
    github.pulls[SHA] = [{"number": NUMBER, "merged_at": "2026-11-25T10:00:00Z", "merge_commit_sha": SHA}]

    other = env_plan("dev", json.loads(OTHER.read_text()))  # a real plan of dev, but not this one
    github.add(render_comment(PlanReport((other,)), trailer=block([other])))
    stopped = run(root, github, "apply", "dev", "--local", "--auto-approve", "--verify-reviewed")
    assert stopped.returncode == 4, stopped.stdout[-2000:] + stopped.stderr[-3000:]
    error = stopped.stderr.strip().splitlines()[-1]
    assert error.startswith(
        f"error: dev: the plan differs from the one reviewed in pull request #{NUMBER}: new: + aws_"
    )
    assert "Apply complete" not in stopped.stdout + stopped.stderr
    assert json.loads((root / ".hclgen" / "plans" / "dev" / "meta.json").read_text())["applied"] is False

    github.comments[-1]["body"] = reviewed.stdout  # the plan comment as the pull request's last run left it
    applied = run(root, github, "apply", "dev", "--local", "--auto-approve", "--verify-reviewed")
    assert applied.returncode == 0, applied.stdout[-2000:] + applied.stderr[-3000:]
    assert f"dev: the plan is the one reviewed in pull request #{NUMBER} (sha256:" in applied.stderr
    assert "Apply complete" in applied.stdout
    assert json.loads((root / ".hclgen" / "plans" / "dev" / "meta.json").read_text())["applied"] is True
