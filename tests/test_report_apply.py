"""Failed applies are loud: `report-apply` against the fake GitHub on loopback, and the summary."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.review.reports import apply as applyreport
from generator.review.reports import applysummary
from tests.support.fakegithub import NUMBER, REPO, TOKEN, FakeGitHub

SHA = "0123456789abcdef0123456789abcdef01234567"
PLANS = Path(__file__).parent / "fixtures" / "plans"


@pytest.fixture
def actions(github: FakeGitHub, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, project: Path) -> Path:
    """GitHub Actions' environment for an apply run of SHA in a project copy, with the fake GitHub."""
    for name, value in {
        "GITHUB_TOKEN": TOKEN,
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_API_URL": github.url,
        "GITHUB_SHA": SHA,
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_RUN_ID": "42",
    }.items():
        monkeypatch.setenv(name, value)
    github.pulls[SHA] = [{"number": NUMBER, "merged_at": "2026-11-25T10:00:00Z", "state": "closed"}]
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    return summary


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["report-apply", *args])
    return result.exit_code, result.output


def test_failure_comments_on_the_merged_pull_and_opens_one_issue(
    github: FakeGitHub, actions: Path, tmp_path: Path, project: Path
) -> None:
    log = tmp_path / "apply.log"
    log.write_text("aws_ecs_service.this: Modifying...\n│ Error: updating ECS Service: AccessDenied\n│ \n")
    code, out = run("dev", "--outcome", "failure", "--log", str(log), "--post")
    assert code == 0, out
    assert f"dev: commented on pull request #{NUMBER}" in out and "dev: opened issue #100" in out
    comment = github.comments[-1]["body"]
    assert "❌ **The apply of `dev` failed**" in comment and "`0123456789ab`" in comment
    assert "https://github.com/acme/infra/actions/runs/42" in comment
    assert "│ Error: updating ECS Service: AccessDenied" in comment
    issue = github.issues[0]
    assert issue["title"] == "Apply failed: dev" and [x["name"] for x in issue["labels"]] == ["hclgen-apply-failed"]
    assert (
        issue["body"].startswith("<!-- hclgen:apply-failed env=dev -->") and f"pull request #{NUMBER}" in issue["body"]
    )

    code, out = run("dev", "--outcome", "failure", "--post")  # a second failure: the same issue, updated
    assert code == 0 and "dev: updated issue #100" in out and len(github.issues) == 1
    assert "No plan or log of this apply was found" in github.issues[0]["body"]
    code, out = run("dev", "--outcome", "failure", "--post")
    assert code == 0 and "dev: unchanged issue #100" in out

    shutil.copytree(PLANS / "dev-update", project / ".hclgen" / "plans" / "dev")
    code, out = run("dev", "--outcome", "failure", "--post")  # the plan it was applying is named
    assert code == 0 and "dev: updated issue #100" in out
    assert "The plan it was applying:" in github.issues[0]["body"] and "to change" in github.comments[-1]["body"]

    code, out = run("dev", "--outcome", "success", "--post")
    assert code == 0 and "dev: closed issue #100" in out
    assert github.issues[0]["state"] == "closed"
    assert github.issues[0]["comments"] == [
        "✅ `dev` applied successfully at `0123456789ab` "
        "([the workflow run](https://github.com/acme/infra/actions/runs/42)). Closing."
    ]
    code, out = run("dev", "--outcome", "success", "--post")
    assert code == 0 and out.strip() == "dev: applied; no failed-apply issue open"


def test_failure_without_a_pull_request_still_opens_the_issue(github: FakeGitHub, actions: Path) -> None:
    github.pulls.clear()
    code, out = run("prod", "--outcome", "failure", "--post")
    assert code == 0, out
    assert f"prod: no pull request found for commit {SHA}; no comment" in out
    assert github.issues[0]["title"] == "Apply failed: prod" and github.comments == []
    assert [s.path for s in github.seen if s.method == "GET"][0] == f"/repos/{REPO}/commits/{SHA}/pulls"


def test_cancelled_posts_nothing(github: FakeGitHub, actions: Path) -> None:
    code, out = run("dev", "--outcome", "cancelled", "--post")
    assert code == 0 and "cancelled; nothing posted" in out and github.seen == []


def test_without_post_prints_what_would_be_posted(github: FakeGitHub, actions: Path) -> None:
    code, out = run("dev", "--outcome", "failure")
    assert code == 0 and github.seen == []
    assert f"would comment on the merged pull request of {SHA}" in out
    assert 'would open or update the issue "Apply failed: dev"' in out and "<!-- hclgen:apply-failed env=dev -->" in out
    code, out = run("dev", "--outcome", "success")
    assert code == 0 and 'would close the open issue "Apply failed: dev"' in out and github.seen == []


def test_failure_detail_names_the_plan_being_applied() -> None:
    from generator.plan import summary
    from generator.plan.source import load_env_plan

    lines = summary.lines(load_env_plan(PLANS / "dev-update" / "plan.json", "dev", None))
    text = applyreport.detail(lines, None, None)
    assert text.startswith("The plan it was applying:") and lines[0] in text
    failed = applyreport.detail(None, "terraform plan failed for dev (exit 1)", None)
    assert "The plan before the apply failed:" in failed and "exit 1" in failed


def test_log_excerpt_starts_at_the_error() -> None:
    log = "\n".join([f"line {n}" for n in range(100)] + ["Error: boom", "  details"] + ["x"] * 80)
    excerpt = applyreport.log_excerpt(log)
    assert excerpt.startswith("Error: boom") and excerpt.endswith("... 22 more lines in the workflow log")
    assert applyreport.log_excerpt("\n".join(f"l{n}" for n in range(50))).startswith("l20")


NEEDS = {
    "apply-dev": {"result": "success", "outputs": {}},
    "apply-stage": {"result": "failure"},
    "apply-prod": {"result": "skipped"},
    "affected": {"result": "success"},
}


def test_summary_lists_applied_failed_and_pending(actions: Path) -> None:
    code, out = run("--summary", "--envs", '["dev", "stage", "prod"]', "--results", json.dumps(NEEDS))
    assert code == 0, out
    assert "Applied: `dev` · failed: `stage` · still pending: `prod`" in out
    assert "| `prod` | ⏳ pending | not applied: `stage` failed before it |" in out
    assert actions.read_text().strip() == out.strip()


def test_summary_rows() -> None:
    rows = applysummary.rows(
        ["dev", "qa", "stage", "prod"], {"apply-dev": "skipped", "apply-stage": "cancelled", "apply-prod": "skipped"}
    )
    assert [(r.env, r.status) for r in rows] == [
        ("dev", "skipped"),
        ("qa", "skipped"),
        ("stage", "cancelled"),
        ("prod", "pending"),
    ]
    assert rows[0].note == "nothing to apply in this run" and rows[1].note == "no job apply-qa"
    assert applysummary.as_json(rows)["pending"] == ["prod"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--summary", "--envs", "dev", "--results", "{}"], "must be JSON"),
        (
            ["--summary", "--envs", '["dev"]', "--results", '{"apply-dev": {"result": "weird"}}'],
            "job 'apply-dev' has no result",
        ),
        (
            ["--summary", "--envs", '["dev"]', "--results", '{"apply-qa": {"result": "success"}}'],
            "not in --envs: apply-qa",
        ),
        (["--summary", "--envs", '["dev"]'], "--summary needs --envs JSON and --results JSON"),
        (["dev"], "name the ENV and its --outcome"),
        (["nosuchenv", "--outcome", "failure"], "nosuchenv"),
    ],
)
def test_bad_input_is_one_line(args: list[str], message: str, project: Path) -> None:
    code, out = run(*args)
    assert code == 64 and message in out and len(out.strip().splitlines()) == 1, out


def test_post_without_token_is_one_line(monkeypatch: pytest.MonkeyPatch, project: Path) -> None:
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    code, out = run("dev", "--outcome", "failure", "--post")
    assert code == 64 and "--post needs GITHUB_TOKEN" in out


def test_failure_reads_the_quiet_applys_log_by_default(github: FakeGitHub, actions: Path, project: Path) -> None:
    log = project / ".hclgen" / "logs" / "dev-apply.log"  # where a quiet `apply dev` writes terraform's output
    log.parent.mkdir(parents=True)
    log.write_text(
        "aws_db_instance.this: Modifying...\n│ Error: modifying RDS DB Instance: InvalidParameterCombination\n"
    )
    code, out = run("dev", "--outcome", "failure", "--post")
    assert code == 0, out
    assert "│ Error: modifying RDS DB Instance: InvalidParameterCombination" in github.comments[-1]["body"]
    assert "InvalidParameterCombination" in github.issues[0]["body"]


def test_an_unmerged_pull_request_of_the_commit_gets_no_apply_report(github: FakeGitHub, actions: Path) -> None:
    """The commit also sits on an open pull request (a branch built on it): the report must not land there."""
    github.pulls[SHA] = [{"number": NUMBER + 1, "merged_at": None, "state": "open"}]
    code, out = run("dev", "--outcome", "failure", "--post")
    assert code == 0, out
    assert "dev: no pull request found for commit" in out and github.comments == []
    assert f"pull request #{NUMBER + 1}" not in github.issues[0]["body"]
