"""Never a false green: each CI failure point, recorded by `ci-record`, shows in the comment.

The step records are written through the real command from a GitHub-shaped steps context
(`${{ toJSON(steps) }}`); the comment is rendered through the real command from plan folders
made of real plans (tests/fixtures/plans). Goldens: HCLGEN_UPDATE_GOLDENS=1 rewrites them.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import cli
from generator.review.comment.render import MARKER
from tests.support import goldens

HERE = Path(__file__).parent
PLANS = HERE / "fixtures" / "plans"
GOLDEN = HERE / "golden" / "comment"
CHECK = ["synth-check", "fmt", "validate", "affected"]
PLAN = ["credentials", "plan", "policy", "artifact"]
GREEN = "No environment is affected"
NO_GITHUB = {"GITHUB_STEP_SUMMARY": "", "GITHUB_SERVER_URL": "", "GITHUB_REPOSITORY": "", "GITHUB_EVENT_PATH": ""}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project: no usage.toml, policy findings or source maps of its own."""
    (tmp_path / "environments").mkdir()
    (tmp_path / "pyproject.toml").write_text("")
    monkeypatch.setenv("HCLGEN_ROOT", str(tmp_path))
    monkeypatch.setenv("HCLGEN_CHECKOV", str(tmp_path / "no-checkov"))  # the same policy note on every machine
    return tmp_path


def steps(
    ids: list[str], failed_at: str | None = None, affected: list[str] | None = None, outcome: str = "failure"
) -> str:
    """GitHub's steps context: success up to the failing step, skipped after it."""
    context, state = {}, "success"
    for step in ids:
        if step == failed_at:
            state = outcome
        outputs = (
            {"envs": json.dumps(affected)} if step == "affected" and state == "success" and affected is not None else {}
        )
        context[step] = {"outcome": state, "conclusion": state, "outputs": outputs}
        if state != "success":
            state = "skipped"
    return json.dumps(context)


def record(project: Path, job: str, context: str, env: str | None = None) -> None:
    args = ["ci-record", "--job", job, *(["--env", env] if env else [])]
    result = CliRunner().invoke(cli, args, env={**NO_GITHUB, "HCLGEN_STEPS_JSON": context})
    assert result.exit_code == 0, result.output


def planned(project: Path, fixture: str, env: str) -> Path:
    """The artifact folder a plan job uploads (plan.json, plan.txt, meta.json, sources.json)."""
    folder = project / ".hclgen" / "artifacts" / env
    folder.mkdir(parents=True)
    for name in ("plan.json", "plan.txt", "sources.json"):
        if (PLANS / fixture / name).is_file():
            shutil.copyfile(PLANS / fixture / name, folder / name)
    (folder / "meta.json").write_text(json.dumps({"env": env, "has_changes": True}))
    return folder


def failed(project: Path, env: str, error: str) -> Path:
    folder = project / ".hclgen" / "artifacts" / env
    folder.mkdir(parents=True)
    (folder / "meta.json").write_text(json.dumps({"env": env, "failed": True, "error": error}))
    return folder


def comment(project: Path, *folders: Path) -> Result:
    args = ["comment", *map(str, folders), "--status-dir", str(project / ".hclgen" / "status"), "--no-diagram"]
    result = CliRunner().invoke(cli, args, env=NO_GITHUB)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(MARKER)
    return result


@pytest.mark.parametrize(
    ("step", "name"),
    [
        ("synth-check", "Committed HCL matches the Python (synth --check)"),
        ("fmt", "Terraform format"),
        ("validate", "Terraform validate"),
        ("affected", "Affected environments"),
    ],
)
def test_a_failed_check_is_shown_and_is_never_green(project: Path, step: str, name: str) -> None:
    record(project, "check", steps(CHECK, failed_at=step, affected=["dev"]))
    text = comment(project).output
    assert f"| {name} (`{step}`) | `check` | – | failure |" in text
    assert "❌ **1 step did not succeed**, the checks among them: this comment is not a green light." in text
    assert "**No plan to show**" in text and GREEN not in text and "✅" not in text
    if step == "validate":
        goldens.check(GOLDEN / "ci_check_failed.md", text)


def test_the_check_job_left_no_record(project: Path) -> None:
    text = comment(project).output
    assert "❌ **The checks did not complete**: job `check` left no record" in text
    assert GREEN not in text and "✅" not in text
    goldens.check(GOLDEN / "ci_no_check_record.md", text)


def test_green_only_when_the_checks_passed_and_nothing_is_affected(project: Path) -> None:
    record(project, "check", steps(CHECK, affected=[]))
    text = comment(project).output
    assert f"✅ **{GREEN} by this change**" in text and "❌" not in text
    (project / ".hclgen" / "status" / "check.json").unlink()
    record(project, "check", steps(CHECK, failed_at="affected", outcome="cancelled"))
    cancelled = comment(project).output
    assert "| Affected environments (`affected`) | `check` | – | cancelled |" in cancelled and GREEN not in cancelled


def test_credentials_of_one_env_failed_the_other_env_planned(project: Path) -> None:
    record(project, "check", steps(CHECK, affected=["dev", "prod"]))
    record(project, "plan", steps(PLAN), env="dev")
    record(project, "plan", steps(PLAN, failed_at="credentials"), env="prod")
    text = comment(project, planned(project, "create", "dev")).output
    assert "| AWS credentials (`credentials`) | `plan` | `prod` | failure |" in text
    assert "| `prod` ❌ plan failed | – |" in text
    assert '- `prod`: not planned: step "AWS credentials" failed in job "plan"' in text
    assert "| `dev` | 10 |" in text and GREEN not in text
    assert "<!-- hclgen:digest dev=sha256:" in text and "prod=sha256" not in text  # never reviewed: no digest
    goldens.check(GOLDEN / "ci_credentials_failed.md", text)


def test_the_plan_of_one_env_failed(project: Path) -> None:
    record(project, "check", steps(CHECK, affected=["dev", "prod"]))
    record(project, "plan", steps(PLAN), env="dev")
    record(project, "plan", steps(PLAN, failed_at="plan"), env="prod")
    dev = planned(project, "mixed", "dev")
    prod = failed(project, "prod", "Error: AccessDenied: not authorized to perform: ec2:DescribeVpcs")
    text = comment(project, dev, prod).output
    assert "| Plan (`plan`) | `plan` | `prod` | failure |" in text
    assert "❌ **The plan failed for `prod`**" in text
    assert "- `prod`: Error: AccessDenied: not authorized to perform: ec2:DescribeVpcs" in text


def test_a_missing_artifact_is_a_failed_env(project: Path) -> None:
    record(project, "check", steps(CHECK, affected=["dev", "prod"]))
    record(project, "plan", steps(PLAN), env="dev")
    text = comment(project, planned(project, "nochange", "dev")).output
    assert (
        "- `prod`: no plan artifact: the plan job of this environment left no plan folder (see the workflow run)"
    ) in text
    assert "✅ **No changes.**" not in text and "| `prod` ❌ plan failed |" in text
    goldens.check(GOLDEN / "ci_artifact_missing.md", text)


def test_a_failed_later_step_keeps_the_plan_and_says_so(project: Path) -> None:
    record(project, "check", steps(CHECK, affected=["dev"]))
    record(project, "plan", steps(PLAN, failed_at="artifact"), env="dev")
    text = comment(project, planned(project, "create", "dev")).output
    assert "| Plan artifact (`artifact`) | `plan` | `dev` | failure |" in text and "| `dev` | 10 |" in text


def test_no_op_envs_share_one_line(project: Path) -> None:
    envs = {"dev": "create", "prod": "mixed", "dev-eu": "nochange", "qa": "nochange", "staging": "nochange"}
    record(project, "check", steps(CHECK, affected=list(envs)))
    folders = [planned(project, fixture, env) for env, fixture in envs.items()]
    text = comment(project, *folders).output
    assert "No changes: `dev-eu`, `qa`, `staging` (3)" in text
    assert "| `qa` |" not in text and "Full plan for <code>qa</code>" not in text
    assert "| `dev` | 10 |" in text and "Full plan for <code>prod</code>" in text
    goldens.check(GOLDEN / "ci_collapsed.md", text)


def test_ci_record_keeps_names_outcomes_and_only_the_affected_output(project: Path) -> None:
    context = json.loads(steps(CHECK, failed_at="fmt"))
    context["custom"] = {"outcome": "success", "conclusion": "success", "outputs": {"token": "s3cr3t"}}
    result = CliRunner().invoke(
        cli,
        ["ci-record", "--job", "check", "--name", "custom=My own step"],
        env={**NO_GITHUB, "HCLGEN_STEPS_JSON": json.dumps(context)},
    )
    assert result.exit_code == 0 and "(did not succeed: fmt)" in result.output
    saved = (project / ".hclgen" / "status" / "check.json").read_text()
    data = json.loads(saved)
    assert [(s["id"], s["name"], s["outcome"]) for s in data["steps"]][1:3] == [
        ("fmt", "Terraform format", "failure"),
        ("validate", "Terraform validate", "skipped"),
    ]
    assert data["steps"][-1]["name"] == "My own step" and "s3cr3t" not in saved and data["affected"] is None


@pytest.mark.parametrize(
    ("value", "args", "message"),
    [
        (None, [], "error: HCLGEN_STEPS_JSON is not set: give the step `env: HCLGEN_STEPS_JSON: ${{ toJSON(steps) }}`"),
        (
            "[1]",
            [],
            "error: HCLGEN_STEPS_JSON must be the steps context: an object of step id -> {outcome, conclusion}",
        ),
        ("{}", ["--name", "oops"], "error: --name 'oops': expected STEP_ID=Human name"),
    ],
)
def test_ci_record_bad_input_is_one_line(project: Path, value: str | None, args: list[str], message: str) -> None:
    env = {**NO_GITHUB, "HCLGEN_STEPS_JSON": value}
    result = CliRunner().invoke(cli, ["ci-record", "--job", "check", *args], env=env)
    assert result.exit_code == 64 and result.output == message + "\n"
    assert not (project / ".hclgen" / "status").exists()


def test_checks_passed_without_an_affected_list_is_not_green(project: Path) -> None:
    record(
        project, "check", json.dumps({"synth-check": {"outcome": "success", "conclusion": "success", "outputs": {}}})
    )
    text = comment(project).output
    assert "**No plan to show**: the check job recorded no affected list (its step `affected` did not run" in text
    assert GREEN not in text
