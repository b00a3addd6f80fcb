"""`comment` without --post and `affected`, through the real click group."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.review.comment.render import MARKER

FIXTURES = Path(__file__).parent / "fixtures" / "plans"
NO_GITHUB = {
    "GITHUB_STEP_SUMMARY": "",
    "GITHUB_SERVER_URL": "",
    "GITHUB_REPOSITORY": "",
    "GITHUB_EVENT_PATH": "",
    "HCLGEN_ROOT": "",
}


def recorded_plan(tmp_path: Path, fixture: str, env: str | None = None) -> Path:
    """A plan folder as `plan` leaves it: plan.json + meta.json (+ plan.txt)."""
    folder = tmp_path / "plans" / (env or fixture)
    folder.mkdir(parents=True)
    for name in ("plan.json", "plan.txt"):
        shutil.copyfile(FIXTURES / fixture / name, folder / name)
    if env:
        (folder / "meta.json").write_text(json.dumps({"env": env, "local": False}))
    return folder / "plan.json"


def test_prints_the_comment_with_env_names_from_meta(tmp_path: Path) -> None:
    dev, prod = recorded_plan(tmp_path, "create", "dev"), recorded_plan(tmp_path, "mixed", "prod")
    result = CliRunner().invoke(cli, ["comment", str(dev), str(prod)], env=NO_GITHUB)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(MARKER)
    assert "| `dev` | 10 |" in result.output and "| `prod` | 2 | 3 | 2 | 3 | 1 | 1 |" in result.output
    assert "Terraform will perform the following actions" in result.output  # plan.txt in <details>


def test_env_flag_names_a_plan_without_meta_and_step_summary_is_appended(tmp_path: Path) -> None:
    plan = recorded_plan(tmp_path, "nochange")
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    result = CliRunner().invoke(
        cli, ["comment", str(plan), "--env", "qa"], env={**NO_GITHUB, "GITHUB_STEP_SUMMARY": str(summary)}
    )
    assert result.exit_code == 0, result.output
    assert "The infrastructure in `qa` matches the configuration" in result.output
    assert summary.read_text() == "earlier step\n" + result.output + "\n"


def test_no_plans_means_no_env_affected() -> None:
    result = CliRunner().invoke(cli, ["comment"], env=NO_GITHUB)
    assert result.exit_code == 0 and "No environment is affected by this change" in result.output


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        ("nometa", [], 'error: no env name for {plan}: no meta.json with "env" beside it; pass --env NAME'),
        ("missing", [], "error: plan {plan} does not exist"),
        ("garbage", [], "error: {plan} is not `terraform show -json` output"),
        ("twice", [], "error: two plans for the same env: dev"),
        (
            "nometa",
            ["--env", "a", "{plan}"],
            "error: --env names one plan; with several, each plan's meta.json names its env",
        ),
    ],
)
def test_user_errors_are_one_line_exit_2(tmp_path: Path, setup: str, args: list[str], message: str) -> None:
    if setup == "missing":
        plans = [tmp_path / "nope" / "plan.json"]
    elif setup == "garbage":
        plans = [tmp_path / "plan.json"]
        plans[0].write_text("[]")
    elif setup == "twice":
        plans = [recorded_plan(tmp_path / "a", "create", "dev"), recorded_plan(tmp_path / "b", "mixed", "dev")]
    else:
        plans = [recorded_plan(tmp_path, "create")]
    argv = ["comment", *map(str, plans), *(a.format(plan=plans[0]) for a in args)]
    result = CliRunner().invoke(cli, argv, env=NO_GITHUB)
    assert result.exit_code == 64
    assert result.output == message.format(plan=plans[0]) + "\n"


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def git_project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    for rel in (
        "environments/dev/config.py",
        "environments/prod/config.py",
        "modules/vpc.py",
        "README.md",
        "pyproject.toml",
    ):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("# v1\n")
    git(root.parent, "init", "-q", "-b", "main", str(root))
    git(root, "-c", "user.email=t@e", "-c", "user.name=t", "add", ".")
    git(root, "-c", "user.email=t@e", "-c", "user.name=t", "commit", "-qm", "v1")
    return root


def commit(root: Path, *paths: str) -> None:
    for rel in paths:
        (root / rel).write_text("# changed\n")
    git(root, "-c", "user.email=t@e", "-c", "user.name=t", "commit", "-qam", "change")


def test_affected_lists_envs_and_writes_github_output(git_project: Path, tmp_path: Path) -> None:
    commit(git_project, "environments/prod/config.py")
    out = tmp_path / "github_output"
    result = CliRunner().invoke(
        cli,
        ["affected", "--base", "HEAD~1", "--github-output"],
        env={"HCLGEN_ROOT": str(git_project), "GITHUB_OUTPUT": str(out)},
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "prod\n"
    assert result.stderr == "prod: environments/prod/config.py changed\n"
    assert out.read_text() == (
        'envs=["prod"]\nmatrix={"include":[{"env":"prod","reasons":["environments/prod/config.py"]}]}\n'
    )


def test_affected_json_is_the_matrix_with_reasons(git_project: Path) -> None:
    commit(git_project, "modules/vpc.py", "environments/dev/config.py", "README.md")
    result = CliRunner().invoke(cli, ["affected", "--base", "HEAD~1", "--json"], env={"HCLGEN_ROOT": str(git_project)})
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "include": [
            {"env": "dev", "reasons": ["environments/dev/config.py", "modules/vpc.py"]},
            {"env": "prod", "reasons": ["modules/vpc.py"]},
        ]
    }
    nothing = CliRunner().invoke(cli, ["affected", "--base", "HEAD", "--json"], env={"HCLGEN_ROOT": str(git_project)})
    assert json.loads(nothing.stdout) == {"include": []}


def test_affected_shared_input_and_null_base(git_project: Path) -> None:
    commit(git_project, "modules/vpc.py", "README.md")
    env = {"HCLGEN_ROOT": str(git_project)}
    shared = CliRunner().invoke(cli, ["affected", "--base", "HEAD~1"], env=env)
    assert shared.stdout == "dev\nprod\n"
    assert "dev: shared input modules/vpc.py changed" in shared.stderr
    nothing = CliRunner().invoke(cli, ["affected", "--base", "HEAD"], env=env)
    assert nothing.exit_code == 0 and nothing.stdout == ""
    first_push = CliRunner().invoke(cli, ["affected", "--base", "0" * 40], env=env)
    assert first_push.stdout == "dev\nprod\n" and "no base commit to compare with" in first_push.stderr


def test_affected_unknown_base(git_project: Path) -> None:
    env = {"HCLGEN_ROOT": str(git_project)}
    gone = CliRunner().invoke(cli, ["affected", "--base", "ab" * 20], env=env)
    assert gone.stdout == "dev\nprod\n" and "is not in this clone's history" in gone.stderr
    typo = CliRunner().invoke(cli, ["affected", "--base", "origin/mian"], env=env)
    assert typo.exit_code == 64
    assert typo.output == "error: unknown git ref 'origin/mian' (fetch it, or pass another --base)\n"


def test_a_failed_plan_folder_is_reported_as_failed(tmp_path: Path) -> None:
    from generator.plan.files import SavedPlan

    dev = recorded_plan(tmp_path, "create", "dev").parent
    prod = recorded_plan(tmp_path, "mixed", "prod").parent
    SavedPlan.for_run(prod).publish_failure("prod", "prod: the state is locked (lock ID 1234)")
    assert not (prod / "plan.json").exists(), "an earlier plan must not be reviewed as current"
    result = CliRunner().invoke(cli, ["comment", str(dev), str(prod)], env=NO_GITHUB)
    assert result.exit_code == 0, result.output
    assert "❌ **The plan failed for `prod`**" in result.output
    assert "- `prod`: prod: the state is locked (lock ID 1234)" in result.output
    assert "| `prod` ❌ plan failed | – | – | – | – | – | – |" in result.output  # a failed row counts nothing
    assert "📝 **Changes planned, nothing destroyed:** `dev` 10 to add." in result.output
