"""Apply what was reviewed: plan digests (from real plans) and `apply --verify-reviewed` against a
local GitHub stand-in (tests/support/fakegithub.py's FakeGitHub on 127.0.0.1)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.errors import ExitCode, UnreviewedError
from generator.github.context import RunContext
from generator.plan.digest import block, describe, differences, digest, digest_lines, recorded
from generator.plan.model import EnvPlan, PlanReport, env_plan
from generator.plan.redact import strip_plan
from generator.review.comment.render import render_comment
from generator.review.reviewed import Verifier
from tests.support.fakegithub import NUMBER, REPO, TOKEN, FakeGitHub

PLANS = Path(__file__).parent / "fixtures" / "plans"
REVIEW = Path(__file__).parent / "fixtures" / "review"
SHA = "a" * 40


def plan_of(name: str, env: str = "dev") -> EnvPlan:
    path = PLANS / name / "plan.json" if (PLANS / name).is_dir() else REVIEW / f"{name}.json"
    return env_plan(env, json.loads(path.read_text()))


def test_digest_is_stable_and_tells_plans_apart() -> None:
    update, resize = plan_of("dev-update"), plan_of("dev-resize")
    assert digest(digest_lines(update)) == digest(digest_lines(plan_of("dev-update")))
    assert digest(digest_lines(update)) != digest(digest_lines(resize))
    reordered = replace(update, changes=tuple(reversed(update.changes)))
    assert digest_lines(reordered) == digest_lines(update)  # ordering does not count
    assert any(line.startswith("~ aws_") and ": attribute " in line for line in digest_lines(update))


def test_sensitive_values_do_not_count_but_their_paths_do() -> None:
    raw = json.loads((REVIEW / "update.json").read_text())
    lines = digest_lines(env_plan("dev", raw))
    assert not [line for line in lines if "first-secret" in line or "second-secret" in line]
    assert "~ output db_password update" in lines
    assert digest_lines(env_plan("dev", strip_plan(raw))) == lines  # the stripped artifact has the same digest


def test_known_versus_known_after_apply_is_not_a_difference() -> None:
    reviewed = ["~ aws_ecs_service.app update", "~ aws_ecs_service.app: attribute task_definition"]
    fresh = ["~ aws_ecs_service.app update", '~ aws_ecs_service.app: attribute task_definition = "arn:x:2"']
    assert differences(reviewed, fresh) == [] and differences(fresh, reviewed) == []
    found = differences(reviewed, [*fresh, "+ aws_s3_bucket.logs create"])
    assert found == ["new: + aws_s3_bucket.logs create"]
    assert describe(["a", "b", "c", "d", "e"]) == "a; b; c; and 2 more"


def test_the_comment_records_digests_and_lines_and_drops_lines_when_too_big() -> None:
    plans = [plan_of("dev-update"), plan_of("mixed", "prod")]
    body = render_comment(PlanReport(tuple(plans)), trailer=block(plans))
    digests, lines = recorded(body)
    assert digests == {p.env: digest(digest_lines(p)) for p in plans}
    assert lines == {p.env: digest_lines(p) for p in plans}
    digests, lines = recorded(render_comment(PlanReport(tuple(plans)), trailer=block(plans, budget=10)))
    assert set(digests) == {"dev", "prod"} and lines == {}
    assert block([replace(plans[0], errored=True)]) == ""  # a failed plan was not reviewed


def post_review(github: FakeGitHub, *plans: EnvPlan, budget: int = 16_000) -> None:
    github.pulls[SHA] = [
        {"number": 3, "merged_at": None, "merge_commit_sha": "b" * 40},
        {"number": NUMBER, "merged_at": "2026-11-25T10:00:00Z", "merge_commit_sha": SHA},
    ]
    github.add("LGTM")
    github.add(render_comment(PlanReport(plans), trailer=block(list(plans), budget=budget)))


def verifier(github: FakeGitHub, reapproved: bool = False) -> Verifier:
    run = RunContext(api_url=github.url, repository=REPO, token=TOKEN, sha=SHA)
    return Verifier(run, reapproved=reapproved)


def test_the_reviewed_plan_passes(github: FakeGitHub, capsys: pytest.CaptureFixture[str]) -> None:
    post_review(github, plan_of("dev-update"), plan_of("mixed", "prod"))
    verifier(github)(plan_of("dev-update"))
    assert f"dev: the plan is the one reviewed in pull request #{NUMBER} (sha256:" in capsys.readouterr().err
    assert [s.path for s in github.seen][0] == f"/repos/{REPO}/commits/{SHA}/pulls"


def test_a_changed_plan_stops_and_says_what_differs(github: FakeGitHub) -> None:
    post_review(github, plan_of("dev-update"))
    with pytest.raises(UnreviewedError) as err:
        verifier(github)(plan_of("dev-resize"))
    message = str(err.value)
    assert message.startswith(f"dev: the plan differs from the one reviewed in pull request #{NUMBER}: ")
    # the resize also moves the connections alarm (90 % of the new class's max_connections): listed first
    assert "new: ~ aws_cloudwatch_metric_alarm.rds_connections: attribute threshold" in message
    assert "; and 4 more" in message and "\n" not in message
    assert err.value.exit_code == ExitCode.UNREVIEWED == 4


def test_without_recorded_lines_the_digest_still_stops(github: FakeGitHub) -> None:
    post_review(github, plan_of("dev-update"), budget=0)
    with pytest.raises(UnreviewedError, match=r"sha256:[0-9a-f]{12}… is not the reviewed sha256:"):
        verifier(github)(plan_of("dev-resize"))


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("no-pr", f"dev: commit {SHA[:12]} belongs to no merged pull request; this plan was never reviewed"),
        ("no-comment", f"dev: pull request #{NUMBER} has no plan comment; this plan was never reviewed"),
        (
            "other-env",
            f"dev: the plan comment of pull request #{NUMBER} records no digest for dev; this plan was never",
        ),
    ],
)
def test_an_unreviewed_plan_stops(github: FakeGitHub, setup: str, message: str) -> None:
    if setup == "no-comment":
        github.pulls[SHA] = [{"number": NUMBER, "merged_at": "2026-11-25T10:00:00Z", "merge_commit_sha": SHA}]
        github.add("LGTM")
    elif setup == "other-env":
        post_review(github, plan_of("mixed", "prod"))
    with pytest.raises(UnreviewedError) as err:
        verifier(github)(plan_of("dev-update"))
    assert str(err.value).startswith(message)


def test_reapproved_applies_anyway_and_says_so_loudly(github: FakeGitHub, capsys: pytest.CaptureFixture[str]) -> None:
    post_review(github, plan_of("dev-update"))
    verifier(github, reapproved=True)(plan_of("dev-resize"))
    verifier(github, reapproved=True)(plan_of("dev-update", "qa"))  # never reviewed at all
    err = capsys.readouterr().err
    assert "RE-APPROVED: applying anyway (--reapproved): dev: the plan differs from the one reviewed" in err
    assert (
        "RE-APPROVED: applying anyway (--reapproved): qa: the plan comment of pull request #7 records no digest" in err
    )


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (
            ["--verify-reviewed"],
            {"GITHUB_SHA": "", "GITHUB_TOKEN": "", "GITHUB_REPOSITORY": ""},
            "error: --verify-reviewed needs GITHUB_SHA, GITHUB_REPOSITORY, GITHUB_TOKEN from GitHub Actions",
        ),
        (["--reapproved"], {}, "error: --reapproved goes with --verify-reviewed"),
    ],
)
def test_apply_flags_are_checked_before_any_terraform(args: list[str], env: dict[str, str], message: str) -> None:
    result = CliRunner().invoke(cli, ["apply", "dev", "--auto-approve", *args], env=env)
    assert result.exit_code == 64 and result.output.startswith(message) and result.output.count("\n") == 1


def test_timestamps_unknown_and_sensitive_values_leave_only_the_path() -> None:
    from generator.plan.attrdiff import SENSITIVE, UNKNOWN, AttributeChange
    from generator.plan.model import Counts
    from generator.plan.resource import Action, ResourceChange

    attrs = (
        AttributeChange("tags.Stamp", None, '"2026-11-25T10:00:00Z"'),
        AttributeChange("arn", None, UNKNOWN),
        AttributeChange("password", SENSITIVE, SENSITIVE),
        AttributeChange("name", None, '"web"'),
    )
    change = ResourceChange("aws_x.y", "aws_x", Action.UPDATE, False, attributes=attrs)
    lines = digest_lines(EnvPlan("dev", Counts(change=1), (change,)))
    assert lines == [
        "~ aws_x.y update",
        "~ aws_x.y: attribute arn",
        '~ aws_x.y: attribute name = "web"',
        "~ aws_x.y: attribute password",
        "~ aws_x.y: attribute tags.Stamp",
    ]
