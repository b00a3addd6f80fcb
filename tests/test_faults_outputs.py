"""Issue 21 items 1 and 9: output paths and names from flags and CI variables, for real.

Each case runs `python main.py ...` in a subprocess on a project copy and checks the exit code,
that stderr is one line naming the problem, and that nothing outside the tool's own output
areas changed (a content hash of the checkout, .hclgen/ excepted, before and after)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.paths import OWNED_MARKER
from generator.plan import files as planfiles
from scripts.projectcopy import copy_project


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("faults") / "project")
    planfiles.SavedPlan.for_run(project / ".hclgen" / "plans" / "dev").publish_failure("dev", "a failed plan")
    (project / ".hclgen" / "cache.json").write_text("{}")  # a file of the tool's state that must survive
    return project


def run(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "HCLGEN_ROOT": str(root), **(env or {})}
    return subprocess.run(
        [sys.executable, str(root / "main.py"), *args],
        cwd=root,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def tree_hash(folder: Path, skip: tuple[str, ...] = ()) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if any(rel == s or rel.startswith(s + "/") for s in skip) or "__pycache__" in rel:
            continue
        digest.update(rel.encode() + b"\0")
        if path.is_file() and not path.is_symlink():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def one_line_refusal(result: subprocess.CompletedProcess[str], code: int, *needles: str) -> None:
    lines = result.stderr.strip().splitlines()
    assert result.returncode == code, (result.returncode, result.stderr[-2000:])
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


ARTIFACT_REFUSED = [
    ("environments", "is or is inside environments/"),
    ("environments/dev", "is or is inside environments/"),
    ("environments/dev/new", "is or is inside environments/"),
    (".", "is the checkout or contains it"),
    ("..", "is the checkout or contains it"),
    ("/", "is the checkout or contains it"),
    (".hclgen", "is or is inside .hclgen/"),
    (".hclgen/plans/dev", "is or is inside .hclgen/"),
    (".hclgen/terraform", "is or is inside .hclgen/"),
    (".git", "is or is inside .git/"),
    ("modules", "non-empty folder this tool did not create"),
    ("generator", "non-empty folder this tool did not create"),
    ("link-to-envs", "is or is inside environments/"),  # a symlink is judged by where it points
    ("link-to-root", "is the checkout or contains it"),
]


@pytest.mark.parametrize(("out", "reason"), ARTIFACT_REFUSED, ids=[o for o, _ in ARTIFACT_REFUSED])
def test_artifact_never_replaces_what_it_did_not_make(root: Path, out: str, reason: str) -> None:
    (root / ".git").mkdir(exist_ok=True)
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    for name, target in (("link-to-envs", root / "environments"), ("link-to-root", root)):
        if not (root / name).is_symlink():
            (root / name).symlink_to(target)
    before = tree_hash(root)
    one_line_refusal(run(root, "artifact", "dev", "--out", out), 64, f"--out {out}", reason)
    assert tree_hash(root) == before


def test_artifact_replaces_only_its_own_folder(root: Path, tmp_path: Path) -> None:
    target = tmp_path / "artifact"
    assert run(root, "artifact", "dev", "--out", str(target)).returncode == 0
    assert (target / OWNED_MARKER).is_file() and (target / planfiles.META_FILE).is_file()
    (target / "stale-from-an-earlier-plan.json").write_text("{}")
    assert run(root, "artifact", "dev", "--out", str(target)).returncode == 0  # ours: replaced whole
    assert not (target / "stale-from-an-earlier-plan.json").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "a staging folder was left"
    (target / OWNED_MARKER).unlink()  # now it looks like the user's folder
    one_line_refusal(run(root, "artifact", "dev", "--out", str(target)), 64, "did not create")
    assert (target / planfiles.META_FILE).is_file()
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run(root, "artifact", "dev", "--out", str(empty)).returncode == 0
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine")
    result = run(root, "artifact", "dev", "--out", str(a_file))
    assert result.returncode == 64 and a_file.read_text() == "mine"


def test_artifact_default_folder_works(root: Path) -> None:
    result = run(root, "artifact", "dev")
    assert result.returncode == 0, result.stderr
    assert (root / ".hclgen" / "artifacts" / "dev" / OWNED_MARKER).is_file()
    assert (root / ".hclgen" / "cache.json").read_text() == "{}"


@pytest.mark.parametrize(
    "png", ["main.py", "environments/dev/arch.png", ".hclgen/x.png", "environments", ".git/x.png", "modules"]
)
def test_diagram_png_never_overwrites_a_user_file(root: Path, png: str) -> None:
    before = tree_hash(root)
    one_line_refusal(run(root, "diagram", "dev", "--png", png), 64, "--png")  # click or the guard
    assert tree_hash(root) == before


NAMES = [
    (("artifact", "../../x"), "env '../../x'"),
    (("artifact", "dev/../prod"), "env 'dev/../prod'"),
    (("artifact", ".."), "env '..'"),
    (("ci-record", "--job", "../../x"), "--job '../../x'"),
    (("ci-record", "--job", "check", "--env", "a/b"), "--env 'a/b'"),
    (("ci-record", "--job", "/etc/passwd"), "--job '/etc/passwd'"),
    (("comment", "--env", "../x", "plan.json"), "--env '../x'"),
    (("plan", "../dev"), "unknown environment '../dev'"),
    (("apply", "dev/..", "--auto-approve"), "'dev/..'"),
    (("drift", "../../etc"), "unknown environment '../../etc'"),
    (("report-apply", "../x", "--outcome", "failure"), "unknown environment '../x'"),
]


@pytest.mark.parametrize(("args", "needle"), NAMES, ids=[" ".join(a) for a, _ in NAMES])
def test_names_that_would_become_paths_are_refused(
    root: Path, tmp_path: Path, args: tuple[str, ...], needle: str
) -> None:
    before = tree_hash(root.parent)
    result = run(root, *args, env={"HCLGEN_STEPS_JSON": json.dumps({"plan": {"outcome": "success"}})})
    assert result.returncode in (1, 64), result.stderr
    assert needle in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert tree_hash(root.parent) == before, "something was written"


def test_ci_record_out_is_guarded_and_marked(root: Path, tmp_path: Path) -> None:
    steps = {"HCLGEN_STEPS_JSON": json.dumps({"plan": {"outcome": "failure", "conclusion": "failure"}})}
    one_line_refusal(run(root, "ci-record", "--job", "plan", "--out", "environments", env=steps), 64, "environments/")
    target = tmp_path / "status"
    assert run(root, "ci-record", "--job", "plan", "--out", str(target), env=steps).returncode == 0
    assert run(root, "ci-record", "--job", "check", "--out", str(target), env=steps).returncode == 0
    assert sorted(p.name for p in target.iterdir()) == [OWNED_MARKER, "check.json", "plan.json"]


def test_ci_variables_are_validated(root: Path, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder" / "summary.md"
    result = run(root, "comment", env={"GITHUB_STEP_SUMMARY": str(missing)})
    one_line_refusal(result, 64, "GITHUB_STEP_SUMMARY", "does not exist")
    assert not missing.parent.exists()
    one_line_refusal(run(root, "comment", env={"GITHUB_STEP_SUMMARY": str(tmp_path)}), 64, "is a folder")
    event = tmp_path / "event.json"
    for payload in (
        {"pull_request": "42"},
        {"pull_request": {"number": "7"}},
        {"pull_request": {"number": True}},
        {"pull_request": None},
        [1, 2],
    ):
        event.write_text(json.dumps(payload))
        result = run(
            root,
            "comment",
            "--post",
            env={
                "GITHUB_EVENT_PATH": str(event),
                "GITHUB_TOKEN": "t",
                "GITHUB_REPOSITORY": "o/r",
                "GITHUB_API_URL": "http://127.0.0.1:9",
            },
        )
        assert result.returncode == 64 and "Traceback" not in result.stderr, (payload, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    event.write_text(json.dumps({"pull_request": {"head": "not-an-object"}}))
    result = run(
        root,
        "comment",
        env={
            "GITHUB_EVENT_PATH": str(event),
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_REPOSITORY": "o/r",
            "GITHUB_SHA": "abc",
        },
    )
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr


def test_a_lock_path_that_is_a_folder_is_one_line(root: Path) -> None:
    lock = root / ".hclgen" / "locks" / "dev.lock"
    lock.mkdir(parents=True)
    try:
        one_line_refusal(run(root, "apply", "dev", "--auto-approve"), 1, str(lock), "plain file")
        assert lock.is_dir()
    finally:
        lock.rmdir()


def test_the_tools_own_folders_replaced_by_files_are_one_line(root: Path) -> None:
    local = root / ".hclgen" / "local"
    local.write_text("not a folder")
    try:
        one_line_refusal(run(root, "local", "up"), 1, str(local))
        assert local.read_text() == "not a folder"
    finally:
        local.unlink()
    record = root / ".hclgen" / "local" / "server.json"
    record.mkdir(parents=True)
    try:
        down = run(root, "local", "down")
        assert down.returncode == 0 and "not running" in down.stdout and record.is_dir(), down.stderr
    finally:
        record.rmdir()


def test_drift_exit_code_of_a_never_applied_env() -> None:
    from generator.plan.model import failed_plan
    from generator.review.reports.drift import status_line
    from generator.terraform.drift import EnvDrift, never_applied_message, overall

    never = EnvDrift(failed_plan("qa", never_applied_message("qa")), Path("."), never_applied=True)
    failed = EnvDrift(failed_plan("dev", "boom"), Path("."))
    assert overall([never]) == 5 and overall([never, failed]) == 1
    assert status_line(never.plan).startswith("qa: never applied") and "no drift" in status_line(never.plan)
    assert "clean" not in status_line(never.plan)
