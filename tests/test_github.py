"""Posting the plan comment: a local GitHub stand-in on 127.0.0.1 records every request."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.errors import UsageError
from generator.github.client import GitHubClient, GitHubError, upsert_comment
from generator.github.context import RunContext
from generator.github.event import PullRequest, current_pull_request
from generator.review.comment.render import MARKER
from tests.support.fakegithub import NUMBER, REPO, TOKEN, FakeGitHub

FIXTURE = Path(__file__).parent / "fixtures" / "plans" / "mixed" / "plan.json"


def client(github: FakeGitHub, sleeps: list[float], now: float = 1_000_000.0) -> GitHubClient:
    return GitHubClient(github.url, TOKEN, sleep=sleeps.append, clock=lambda: now)


PR = PullRequest(api_url="unused", repository=REPO, number=NUMBER, token=TOKEN)


def test_first_run_creates_later_runs_update_in_place(github: FakeGitHub, sleeps: list[float]) -> None:
    for text in ("first", "second", f"> {MARKER} quoted by a human"):
        github.add(text)
    with client(github, sleeps) as gh:
        assert upsert_comment(gh, PR, f"{MARKER}\nv1", MARKER)[0] == "created"
        first = [(s.method, s.path, s.query, s.body) for s in github.seen]
        github.seen.clear()
        what, comment = upsert_comment(gh, PR, f"{MARKER}\nv2", MARKER)
        second = [(s.method, s.path, s.query, s.body) for s in github.seen]
        github.seen.clear()
        assert upsert_comment(gh, PR, f"{MARKER}\nv2", MARKER)[0] == "unchanged"
    listing = f"/repos/{REPO}/issues/{NUMBER}/comments"
    assert first == [
        ("GET", listing, {"per_page": ["100"]}, None),
        ("GET", listing, {"per_page": ["100"], "page": ["2"]}, None),
        ("POST", listing, {}, {"body": f"{MARKER}\nv1"}),
    ]
    assert what == "updated" and comment["id"] == 1003
    assert second == [
        ("GET", listing, {"per_page": ["100"]}, None),
        ("GET", listing, {"per_page": ["100"], "page": ["2"]}, None),
        ("PATCH", f"/repos/{REPO}/issues/comments/1003", {}, {"body": f"{MARKER}\nv2"}),
    ]
    assert [c["body"] for c in github.comments][-1] == f"{MARKER}\nv2" and len(github.comments) == 4
    assert [s.method for s in github.seen] == ["GET", "GET"]  # unchanged: no PATCH
    assert sleeps == []


def test_every_request_carries_the_api_headers(github: FakeGitHub, sleeps: list[float]) -> None:
    with client(github, sleeps) as gh:
        upsert_comment(gh, PR, MARKER, MARKER)
    for seen in github.seen:
        assert seen.headers["accept"] == "application/vnd.github+json"
        assert seen.headers["authorization"] == f"Bearer {TOKEN}"
        assert seen.headers["x-github-api-version"] == "2022-11-28"
        assert seen.headers["user-agent"].startswith("hclgen/")
    assert github.seen[-1].headers["content-type"] == "application/json"


def test_retries_5xx_and_rate_limits_as_github_asks(github: FakeGitHub, sleeps: list[float]) -> None:
    now = 1_000_000.0
    github.script = [
        (502, {}, {"message": "Bad Gateway"}),
        (403, {"retry-after": "2"}, {"message": "You have exceeded a secondary rate limit"}),
        (429, {}, {"message": "slow down"}),
        (
            403,
            {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(now) + 5)},
            {"message": "API rate limit exceeded"},
        ),
    ]
    with client(github, sleeps, now) as gh:
        assert gh.create_comment(REPO, NUMBER, "hi")["body"] == "hi"
    assert sleeps == [1.0, 2.0, 240.0, 6.0]
    assert [s.method for s in github.seen] == ["POST"] * 5


def test_gives_up_after_the_last_attempt(github: FakeGitHub, sleeps: list[float]) -> None:
    github.script = [(503, {}, {"message": "Unavailable"})] * 5
    with client(github, sleeps) as gh, pytest.raises(GitHubError) as err:
        gh.create_comment(REPO, NUMBER, "hi")
    assert str(err.value) == (
        f"GitHub POST /repos/{REPO}/issues/{NUMBER}/comments failed (503: Unavailable) after 5 attempts"
    )
    assert sleeps == [1.0, 2.0, 4.0, 8.0]


@pytest.mark.parametrize(
    ("status", "headers", "message", "expected"),
    [
        (401, {}, "Bad credentials", "GitHub rejected the token (401: Bad credentials): check GITHUB_TOKEN"),
        (
            403,
            {},
            "Resource not accessible by integration",
            "GitHub refused POST /repos/acme/infra/issues/7/comments (403: Resource not accessible by integration): "
            "the token needs `pull-requests: write` (pull requests from forks get a read-only token)",
        ),
        (
            404,
            {},
            "Not Found",
            "GitHub returned 404 for POST /repos/acme/infra/issues/7/comments: check "
            "GITHUB_REPOSITORY, the pull request number and that the token can see the repository",
        ),
        (
            403,
            {"retry-after": "3600"},
            "secondary rate limit",
            "GitHub rate limit on POST /repos/acme/infra/issues/7/comments (403: secondary rate limit); gave up at "
            "once: the wait it asks for is too long or retries ran out",
        ),
        (
            422,
            {},
            "Validation Failed",
            "GitHub POST /repos/acme/infra/issues/7/comments failed (422: Validation Failed)",
        ),
    ],
)
def test_clear_one_line_errors_without_retry(
    github: FakeGitHub, sleeps: list[float], status: int, headers: dict[str, str], message: str, expected: str
) -> None:
    github.script = [(status, headers, {"message": message})]
    with client(github, sleeps) as gh, pytest.raises(GitHubError) as err:
        gh.create_comment(REPO, NUMBER, "hi")
    assert str(err.value) == expected and "\n" not in expected
    assert len(github.seen) == 1 and sleeps == []


def test_next_page_on_another_host_is_refused(github: FakeGitHub, sleeps: list[float]) -> None:
    github.script = [(200, {"Link": '<https://evil.example/x?page=2>; rel="next"'}, [])]
    with client(github, sleeps) as gh, pytest.raises(GitHubError, match="points elsewhere"):
        list(gh.issue_comments(REPO, NUMBER))


def test_unreachable_api_is_one_line(sleeps: list[float]) -> None:
    with GitHubClient("http://127.0.0.1:9", TOKEN, sleep=sleeps.append) as gh, pytest.raises(GitHubError) as err:
        gh.create_comment(REPO, NUMBER, "hi")
    assert str(err.value).startswith("cannot reach GitHub at http://127.0.0.1:9") and len(sleeps) == 4


def event_file(tmp_path: Path, payload: dict[str, Any]) -> str:
    path = tmp_path / "event.json"
    path.write_text(json.dumps(payload))
    return str(path)


def test_current_pull_request_from_the_run_context(tmp_path: Path) -> None:
    env = {
        "GITHUB_TOKEN": TOKEN,
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_EVENT_PATH": event_file(tmp_path, {"pull_request": {"number": 7}}),
    }
    assert current_pull_request(RunContext.from_env(env)) == PullRequest("https://api.github.com", REPO, 7, TOKEN)
    with pytest.raises(UsageError, match="--post needs GITHUB_TOKEN, GITHUB_EVENT_PATH from GitHub Actions"):
        current_pull_request(RunContext.from_env({"GITHUB_REPOSITORY": REPO}))
    with pytest.raises(UsageError, match="no pull_request.number"):
        event = event_file(tmp_path, {"ref": "refs/heads/main"})
        current_pull_request(RunContext.from_env({**env, "GITHUB_EVENT_PATH": event}))


def test_comment_post_end_to_end(github: FakeGitHub, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    env = {
        "GITHUB_API_URL": github.url,
        "GITHUB_TOKEN": TOKEN,
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_EVENT_PATH": event_file(tmp_path, {"pull_request": {"number": 7, "head": {"sha": "abc123"}}}),
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_RUN_ID": "99",
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    runner = CliRunner()
    args = ["comment", str(FIXTURE), "--post", "--sources", str(FIXTURE.parent / "sources.json")]
    first = runner.invoke(cli, args, env=env)
    second = runner.invoke(cli, args, env=env)
    assert first.exit_code == 0, first.output
    assert first.output == f"created the plan comment on pull request #7: {github.comments[0]['html_url']}\n"
    assert second.output.startswith("unchanged the plan comment")
    body = github.comments[0]["body"]
    assert len(github.comments) == 1 and body.startswith(MARKER)
    assert "https://github.com/acme/infra/actions/runs/99" in body
    assert "https://github.com/acme/infra/blob/abc123/modules/vpc.py#L31" in body
    assert summary.read_text() == body + "\n" + body + "\n"


def test_comment_post_without_token_fails_in_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["comment", str(FIXTURE), "--post"], env={"GITHUB_TOKEN": "", "GITHUB_STEP_SUMMARY": ""}
    )
    assert result.exit_code == 64
    assert result.output.startswith("error: --post needs GITHUB_TOKEN") and result.output.count("\n") == 1


def test_merged_pull_is_never_an_unmerged_one(github: FakeGitHub, sleeps: list[float]) -> None:
    sha = "f" * 40
    open_pull = {"number": 8, "merged_at": None, "state": "open", "merge_commit_sha": sha}
    closed_unmerged = {"number": 9, "merged_at": None, "state": "closed"}
    merged_elsewhere = {"number": 10, "merged_at": "2026-11-25T10:00:00Z", "merge_commit_sha": "e" * 40}
    merged_here = {"number": 11, "merged_at": "2026-11-25T11:00:00Z", "merge_commit_sha": sha}
    github.pulls[sha] = [open_pull, closed_unmerged]
    gh = client(github, sleeps)
    assert gh.merged_pull(REPO, sha) is None
    github.pulls[sha] = [open_pull, merged_elsewhere, merged_here]
    assert gh.merged_pull(REPO, sha) == merged_here  # the one whose merge commit this is, first
    github.pulls[sha] = [open_pull, merged_elsewhere]
    assert gh.merged_pull(REPO, sha) == merged_elsewhere
