"""Drift watch on a fake GitHub (tests/support/fakegithub.py's loopback server): one issue per drifted
env, opened, updated in place, left alone when unchanged, closed when the env is clean."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.github import issues as ghissues
from generator.plan.model import EnvPlan, env_plan, failed_plan
from generator.review.reports import drift as driftreport
from tests.support.fakegithub import REPO, TOKEN, FakeGitHub


def refresh_only(env: str, tags: dict[str, str] | None) -> EnvPlan:
    """A refresh-only plan as `terraform show -json` writes it; tags None: no drift."""
    document: dict[str, Any] = {"format_version": "1.2", "terraform_version": "1.11.4"}
    if tags is not None:
        document["resource_drift"] = [
            {
                "address": "aws_ecr_repository.app",
                "mode": "managed",
                "type": "aws_ecr_repository",
                "name": "app",
                "change": {
                    "actions": ["update"],
                    "before": {"name": "app", "tags": {"team": "api"}},
                    "after": {"name": "app", "tags": tags},
                    "after_unknown": {},
                },
            }
        ]
    return env_plan(env, document)


def client(github: FakeGitHub, sleeps: list[float]) -> ghissues.IssueClient:
    return ghissues.IssueClient(github.url, TOKEN, sleep=sleeps.append)


def test_refresh_only_plan_reads_as_drift() -> None:
    plan = refresh_only("prod", {"team": "api", "owner": "someone"})
    assert plan.refresh_only and [c.address for c in plan.drift] == ["aws_ecr_repository.app"]
    assert driftreport.status_line(plan) == "prod: 1 resource drifted: aws_ecr_repository.app (tags.owner)"
    assert driftreport.status_line(refresh_only("dev", None)) == "dev: clean, no drift"
    body = driftreport.issue_body(plan)
    assert body.startswith("<!-- hclgen:drift env=prod -->\n## Drift in `prod`\n")
    assert "<!-- hclgen:plan-comment -->" not in body and "## Terraform plan" not in body
    assert "**1 resource changed outside Terraform in `prod`**" in body
    assert '! tags.owner = null -> "someone"' in body and "| `prod` (refresh-only) |" in body


def test_open_update_unchanged_close(github: FakeGitHub, sleeps: list[float]) -> None:
    github.add_issue("Drift in dev", "<!-- hclgen:drift env=dev -->\nother env", ["hclgen-drift"])
    github.add_issue("a pull request", "<!-- hclgen:drift env=prod -->", ["hclgen-drift"], pull_request=True)
    github.add_issue("closed long ago", "<!-- hclgen:drift env=prod -->", ["hclgen-drift"], state="closed")
    with client(github, sleeps) as gh:
        opened = driftreport.post(gh, REPO, [refresh_only("prod", {"team": "x"})], None)
        issue = github.issues[-1]
        assert opened == [f"prod: opened issue #{issue['number']}: {issue['html_url']}"]
        assert issue["title"] == "Drift in prod" and [x["name"] for x in issue["labels"]] == ["hclgen-drift"]
        assert '! tags.team = "api" -> "x"' in issue["body"]

        github.seen.clear()
        assert driftreport.post(gh, REPO, [refresh_only("prod", {"team": "x"})], None)[0].startswith(
            f"prod: unchanged issue #{issue['number']}"
        )
        assert [s.method for s in github.seen] == ["GET", "GET"]  # listed (two pages), nothing written
        assert github.seen[0].query == {"labels": ["hclgen-drift"], "state": ["open"], "per_page": ["100"]}

        assert driftreport.post(gh, REPO, [refresh_only("prod", {"team": "y"})], None)[0].startswith(
            f"prod: updated issue #{issue['number']}"
        )
        assert '"y"' in issue["body"] and len(github.issues) == 4

        closed = driftreport.post(
            gh, REPO, [refresh_only("prod", None)], "https://github.com/acme/infra/actions/runs/9"
        )
        assert closed[0].startswith(f"prod: closed issue #{issue['number']}")
        assert issue["state"] == "closed" and issue["state_reason"] == "completed"
        assert issue["comments"] == [
            "`prod` is clean again: the refresh-only plan finds no drift "
            "([drift run](https://github.com/acme/infra/actions/runs/9)). Closing."
        ]
        assert driftreport.post(gh, REPO, [refresh_only("prod", None)], None) == ["prod: clean, no drift issue open"]
    assert github.issues[0]["body"].endswith("other env") and github.issues[0]["state"] == "open"  # dev's own
    assert sleeps == []


def test_two_envs_each_keep_their_own_issue(github: FakeGitHub, sleeps: list[float]) -> None:
    with client(github, sleeps) as gh:
        lines = driftreport.post(gh, REPO, [refresh_only("dev", {"a": "1"}), refresh_only("prod", {"b": "2"})], None)
        assert [line.split(" issue")[0] for line in lines] == ["dev: opened", "prod: opened"]
        assert [i["title"] for i in github.issues] == ["Drift in dev", "Drift in prod"]
        lines = driftreport.post(
            gh,
            REPO,
            [
                refresh_only("dev", None),
                refresh_only("prod", {"b": "3"}),
                failed_plan("stage", "terraform plan failed"),
            ],
            None,
        )
    assert lines[0].startswith("dev: closed issue #100") and lines[1].startswith("prod: updated issue #101")
    assert lines[2] == "stage: drift check failed; its issue is left as it is"
    assert [i["state"] for i in github.issues] == ["closed", "open"]


def test_found_on_a_later_page(github: FakeGitHub, sleeps: list[float]) -> None:
    for n in range(5):
        github.add_issue(f"other {n}", "not ours", ["hclgen-drift"])
    with client(github, sleeps) as gh:
        driftreport.post(gh, REPO, [refresh_only("prod", {"a": "1"})], None)
        github.seen.clear()
        assert driftreport.post(gh, REPO, [refresh_only("prod", {"a": "2"})], None)[0].startswith("prod: updated")
    pages = [s.query.get("page", ["1"])[0] for s in github.seen if s.method == "GET"]
    assert pages == ["1", "2", "3"] and github.seen[-1].method == "PATCH"
    assert len(github.issues) == 6


def test_body_without_its_marker_is_refused(github: FakeGitHub, sleeps: list[float]) -> None:
    with client(github, sleeps) as gh, pytest.raises(ValueError, match="must start with"):
        ghissues.upsert(gh, REPO, driftreport.tracked("dev"), "no marker")
    assert github.seen == []


def test_issue_write_refused_names_the_permission(github: FakeGitHub, sleeps: list[float]) -> None:
    github.script.append((403, {}, {"message": "Resource not accessible by integration"}))
    with client(github, sleeps) as gh, pytest.raises(ghissues.GitHubError, match="needs `issues: write`"):
        list(gh.open_issues(REPO, "hclgen-drift"))


def test_drift_post_without_token_fails_before_planning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    result = CliRunner().invoke(cli, ["drift", "dev", "--post"])
    assert result.exit_code == 1  # never 2: that means drift
    assert "--post needs GITHUB_TOKEN" in result.output


def test_drift_unknown_env_is_an_error_not_drift() -> None:
    result = CliRunner().invoke(cli, ["drift", "nosuchenv"])
    assert result.exit_code == 1, result.output
    assert "nosuchenv" in result.output


@pytest.mark.parametrize("args", [[], ["dev", "--all"]])
def test_drift_needs_envs_or_all(args: list[str]) -> None:
    result = CliRunner().invoke(cli, ["drift", *args])
    assert result.exit_code == 1 and "name the environments to check for drift, or pass --all" in result.output


def test_drift_watch_keeps_only_what_the_configuration_manages() -> None:
    """Right after an apply a refresh-only plan lists computed attributes that move by themselves
    (latest_restorable_time, an EIP's association) and null -> 0 normalisation: not drift."""
    from generator.terraform.drift import managed_drift

    def entry(
        address: str, before: dict[str, Any], after: dict[str, Any], actions: list[str] | None = None
    ) -> dict[str, Any]:
        kind, name = address.split(".")
        return {
            "address": address,
            "mode": "managed",
            "type": kind,
            "name": name,
            "change": {"actions": actions or ["update"], "before": before, "after": after, "after_unknown": {}},
        }

    document: dict[str, Any] = {
        "format_version": "1.2",
        "configuration": {
            "root_module": {
                "resources": [
                    {"type": "aws_db_instance", "name": "this", "expressions": {"instance_class": {}, "period": {}}},
                    {"type": "aws_eip", "name": "nat", "expressions": {"domain": {}}},
                    {"type": "aws_ecr_repository", "name": "app", "expressions": {"name": {}}},
                ]
            }
        },
        "resource_drift": [
            entry(
                "aws_db_instance.this",
                {"instance_class": "db.t4g.micro", "latest_restorable_time": "a", "period": None},
                {"instance_class": "db.t4g.small", "latest_restorable_time": "b", "period": 0},
            ),
            entry("aws_eip.nat", {"association_id": ""}, {"association_id": "eipassoc-1"}),
            entry("aws_ecr_repository.app", {"name": "app", "tags_all": {}}, {"name": "app", "tags_all": {"x": "1"}}),
            entry("aws_ecr_repository.gone", {"name": "gone"}, {}, ["delete"]),
        ],
    }
    plan = managed_drift(env_plan("dev", document), document)
    assert [(c.address, [a.path for a in c.attributes]) for c in plan.drift] == [
        ("aws_db_instance.this", ["instance_class"]),
        ("aws_ecr_repository.app", ["tags_all.x"]),
        ("aws_ecr_repository.gone", []),
    ]
    quiet = {**document, "resource_drift": document["resource_drift"][1:2]}
    assert managed_drift(env_plan("dev", quiet), quiet).drift == ()


def test_issue_body_ignores_terraforms_full_text() -> None:
    """terraform's text lists attributes that change on every refresh; the body must not."""
    plan = refresh_only("prod", {"team": "x"})
    first = driftreport.issue_body(replace(plan, full_text="latest_restorable_time = 10:00"))
    assert first == driftreport.issue_body(replace(plan, full_text="latest_restorable_time = 10:05"))
    assert "latest_restorable_time" not in first and "# aws_ecr_repository.app: update" in first


def test_exit_code_error_wins_over_drift() -> None:
    from pathlib import Path

    from generator.terraform.drift import EnvDrift, overall

    clean, drifted = (
        EnvDrift(refresh_only("dev", None), Path(".")),
        EnvDrift(refresh_only("prod", {"a": "b"}), Path(".")),
    )
    failed = EnvDrift(failed_plan("stage", "boom"), Path("."))
    assert [overall([clean]), overall([clean, drifted]), overall([drifted, failed])] == [0, 2, 1]
    assert overall([drifted, EnvDrift(failed_plan("qa", "interrupted"), Path("."), interrupted=True)]) == 130
