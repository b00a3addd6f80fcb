"""Rails that need no terraform: the remote-branch check, empty protected envs, stateful replace,
plan's stale-HCL warning in the comment, and the per-env run lock."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.errors import RefusedError
from generator.plan import files as planfiles
from generator.plan.model import PlanReport
from generator.plan.source import load_env_plan
from generator.review.comment.render import render_comment
from generator.terraform import rails, runlock

GIT = ["-c", "user.email=t@t", "-c", "user.name=t"]


def _git(where: Path, *args: str) -> str:
    return subprocess.run(["git", *GIT, *args], cwd=where, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    remote = tmp_path / "remote.git"
    _git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    work = tmp_path / "work"
    _git(tmp_path, "clone", "-q", str(remote), str(work))
    (work / "a.txt").write_text("a\n")
    _git(work, "add", "-A")
    _git(work, "commit", "-qm", "one")
    _git(work, "push", "-q", "-u", "origin", "main")
    return work


def test_main_equal_to_its_upstream_passes(clone: Path) -> None:
    rails.check_branch(clone, "prod", override=False, flag="--override-branch-check")


def test_an_unpushed_commit_on_main_is_refused(clone: Path) -> None:
    (clone / "a.txt").write_text("b\n")
    _git(clone, "commit", "-qam", "unpushed")
    with pytest.raises(RefusedError, match=r"prod is protected: HEAD \w{8} is not origin/main \w{8}"):
        rails.check_branch(clone, "prod", override=False, flag="--override-branch-check")


def test_main_without_upstream_says_the_check_cannot_be_made(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "a.txt").write_text("a\n")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "one")
    with pytest.raises(RefusedError, match="has no upstream, so whether it matches the remote cannot be checked"):
        rails.check_branch(tmp_path, "prod", override=False, flag="--override-branch-check")


def test_empty_protected_envs_warns_on_every_run(tmp_path: Path) -> None:
    env = {**os.environ, "HCLGEN_PROTECTED_ENVS": ""}
    done = subprocess.run(
        [sys.executable, "main.py", "envs"], cwd=Path(__file__).parent.parent, env=env, capture_output=True, text=True
    )
    assert "HCLGEN_PROTECTED_ENVS is set but empty: no environment is protected" in done.stderr
    quiet = subprocess.run(
        [sys.executable, "main.py", "envs"],
        cwd=Path(__file__).parent.parent,
        env={k: v for k, v in os.environ.items() if k != "HCLGEN_PROTECTED_ENVS"},
        capture_output=True,
        text=True,
    )
    assert "HCLGEN_PROTECTED_ENVS" not in quiet.stderr


def test_stateful_replace_needs_its_own_flag() -> None:
    changes = [("aws_db_instance.this", "replace")]
    with pytest.raises(RefusedError) as caught:
        rails.check_stateful("dev", changes, allowed=False, flag=rails.STATEFUL_FLAG)
    message = str(caught.value)
    assert "aws_db_instance.this (replace)" in message and "--allow-stateful-replace" in message
    assert "untaint dev aws_db_instance.this" in message
    rails.check_stateful("dev", changes, allowed=True, flag=rails.STATEFUL_FLAG)  # loud, not refused
    rails.check_stateful("dev", [], allowed=False, flag=rails.STATEFUL_FLAG)


def test_stale_files_recorded_by_plan_show_in_the_comment(tmp_path: Path) -> None:
    folder = tmp_path / "dev"
    folder.mkdir()
    (folder / planfiles.PLAN_JSON).write_text('{"format_version": "1.2", "resource_changes": []}')
    saved = planfiles.SavedPlan(folder, folder / "plan.1.tfplan")
    saved.write_meta(planfiles.PlanMeta(env="dev", stale=["environments/dev/vpc.tf"]))
    plan = load_env_plan(folder, None, None)
    assert plan.stale == ("environments/dev/vpc.tf",)
    comment = render_comment(PlanReport((plan,)))
    assert "`dev`: the committed HCL is not what the Python renders** (`environments/dev/vpc.tf`)" in comment


def test_a_second_run_on_one_env_is_refused_naming_the_holder(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import sys, time; from pathlib import Path; from generator.terraform import runlock\n"
                f"with runlock.hold(Path({str(tmp_path)!r}), ['dev'], 'apply dev'):\n"
                "    print('held', flush=True); time.sleep(60)\n"
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parent.parent,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(
            RefusedError, match=rf"another hclgen run is working on dev \(pid {holder.pid}, `apply dev`"
        ):
            with runlock.hold(tmp_path, ["prod", "dev"], "plan prod dev"):
                pass
        with runlock.hold(tmp_path, ["prod"], "plan prod"):  # other envs stay free
            pass
    finally:
        holder.kill()
        holder.wait()
    with runlock.hold(tmp_path, ["dev"], "apply dev"):  # released when the holder died
        assert runlock.lock_path(tmp_path, "dev").read_text().startswith(f"pid {os.getpid()}")
