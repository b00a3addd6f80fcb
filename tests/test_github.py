"""Posting the plan comment: a local GitHub stand-in on 127.0.0.1 records every request."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.review.comment.render import MARKER
from generator.errors import UsageError
from generator.github.client import GitHubClient, GitHubError, PullRequest, pull_request_from_env, upsert_comment

REPO, NUMBER, TOKEN = "acme/infra", 7, "t0ken"
FIXTURE = Path(__file__).parent / "fixtures" / "plans" / "mixed" / "plan.json"


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any


@dataclass
class FakeGitHub:
    """Issue-comment endpoints: list (paginated by Link), create, update; scripted failures first."""

    page_size: int = 2
    comments: list[dict[str, Any]] = field(default_factory=list)
    seen: list[Seen] = field(default_factory=list)
    script: list[tuple[int, dict[str, str], Any]] = field(default_factory=list)
    url: str = ""
    issues: list[dict[str, Any]] = field(default_factory=list)  # issues and pull requests, as GitHub lists them
    pulls: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # commit sha -> its pull requests

    def add(self, body: str) -> dict[str, Any]:
        comment = {"id": 1000 + len(self.comments), "body": body,
                   "html_url": f"https://github.com/{REPO}/pull/{NUMBER}#issuecomment-{1000 + len(self.comments)}"}
        self.comments.append(comment)
        return comment

    def handle(self, method: str, raw_path: str, headers: dict[str, str], body: Any) -> tuple[int, dict[str, str], Any]:
        split = urlsplit(raw_path)
        query = parse_qs(split.query)
        self.seen.append(Seen(method, split.path, query, headers, body))
        if self.script:
            return self.script.pop(0)
        listing = f"/repos/{REPO}/issues/{NUMBER}/comments"
        if split.path == listing and method == "GET":
            page = int(query.get("page", ["1"])[0])
            start = (page - 1) * self.page_size
            chunk = self.comments[start:start + self.page_size]
            more = start + self.page_size < len(self.comments)
            link = {"Link": f'<{self.url}{listing}?per_page=100&page={page + 1}>; rel="next"'} if more else {}
            return 200, link, chunk
        if split.path == listing and method == "POST":
            return 201, {}, self.add(body["body"])
        commits = f"/repos/{REPO}/commits/"
        if split.path.startswith(commits) and split.path.endswith("/pulls") and method == "GET":
            return 200, {}, self.pulls.get(split.path[len(commits):-len("/pulls")], [])
        prefix = f"/repos/{REPO}/issues/comments/"
        if split.path.startswith(prefix) and method == "PATCH":
            comment = next(c for c in self.comments if c["id"] == int(split.path[len(prefix):]))
            comment["body"] = body["body"]
            return 200, {}, comment
        return self.issue_routes(method, split.path, query, body) or (404, {}, {"message": "Not Found"})

    def add_issue(self, title: str, body: str, labels: list[str], *, state: str = "open",
                  pull_request: bool = False) -> dict[str, Any]:
        number = 100 + len(self.issues)
        issue: dict[str, Any] = {"number": number, "title": title, "body": body, "state": state,
                                 "labels": [{"name": name} for name in labels], "comments": [],
                                 "html_url": f"https://github.com/{REPO}/issues/{number}"}
        if pull_request:
            issue["pull_request"] = {"url": f"https://api.github.com/repos/{REPO}/pulls/{number}"}
        self.issues.append(issue)
        return issue

    def issue_routes(self, method: str, path: str, query: dict[str, list[str]],
                     body: Any) -> tuple[int, dict[str, str], Any] | None:
        """List (label and state filters, paginated), create, update, comment."""
        listing = f"/repos/{REPO}/issues"
        if path == listing and method == "GET":
            label, state = query.get("labels", [""])[0], query.get("state", ["open"])[0]
            found = [i for i in self.issues if (state == "all" or i["state"] == state)
                     and (not label or label in [x["name"] for x in i["labels"]])]
            page = int(query.get("page", ["1"])[0])
            start = (page - 1) * self.page_size
            more = start + self.page_size < len(found)
            link = {"Link": f'<{self.url}{listing}?labels={label}&state={state}&page={page + 1}>; rel="next"'} if more else {}
            return 200, link, found[start:start + self.page_size]
        if path == listing and method == "POST":
            return 201, {}, self.add_issue(body["title"], body["body"], body.get("labels", []))
        parts = path[len(listing) + 1:].split("/") if path.startswith(listing + "/") else []
        issue = next((i for i in self.issues if parts and parts[0].isdigit() and i["number"] == int(parts[0])), None)
        if issue is not None and len(parts) == 1 and method == "PATCH":
            issue.update(body)
            return 200, {}, issue
        if issue is not None and parts[1:] == ["comments"] and method == "POST":
            issue["comments"].append(body["body"])
            return 201, {}, {"id": 5000 + len(issue["comments"]), "body": body["body"]}
        return None


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    fake = FakeGitHub()

    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, extra, payload = fake.handle(self.command, self.path, headers, json.loads(raw) if raw else None)
            data = json.dumps(payload).encode()
            self.send_response(status)
            for key, value in {"Content-Type": "application/json", **extra}.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PATCH = _serve

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def sleeps() -> list[float]:
    return []


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
    assert first == [("GET", listing, {"per_page": ["100"]}, None),
                     ("GET", listing, {"per_page": ["100"], "page": ["2"]}, None),
                     ("POST", listing, {}, {"body": f"{MARKER}\nv1"})]
    assert what == "updated" and comment["id"] == 1003
    assert second == [("GET", listing, {"per_page": ["100"]}, None),
                      ("GET", listing, {"per_page": ["100"], "page": ["2"]}, None),
                      ("PATCH", f"/repos/{REPO}/issues/comments/1003", {}, {"body": f"{MARKER}\nv2"})]
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
        (403, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(now) + 5)},
         {"message": "API rate limit exceeded"}),
    ]
    with client(github, sleeps, now) as gh:
        assert gh.create_comment(REPO, NUMBER, "hi")["body"] == "hi"
    assert sleeps == [1.0, 2.0, 240.0, 6.0]
    assert [s.method for s in github.seen] == ["POST"] * 5


def test_gives_up_after_the_last_attempt(github: FakeGitHub, sleeps: list[float]) -> None:
    github.script = [(503, {}, {"message": "Unavailable"})] * 5
    with client(github, sleeps) as gh, pytest.raises(GitHubError) as err:
        gh.create_comment(REPO, NUMBER, "hi")
    assert str(err.value) == (f"GitHub POST /repos/{REPO}/issues/{NUMBER}/comments failed "
                              "(503: Unavailable) after 5 attempts")
    assert sleeps == [1.0, 2.0, 4.0, 8.0]


@pytest.mark.parametrize(("status", "headers", "message", "expected"), [
    (401, {}, "Bad credentials", "GitHub rejected the token (401: Bad credentials): check GITHUB_TOKEN"),
    (403, {}, "Resource not accessible by integration",
     "GitHub refused POST /repos/acme/infra/issues/7/comments (403: Resource not accessible by integration): "
     "the token needs `pull-requests: write` (pull requests from forks get a read-only token)"),
    (404, {}, "Not Found", "GitHub returned 404 for POST /repos/acme/infra/issues/7/comments: check "
     "GITHUB_REPOSITORY, the pull request number and that the token can see the repository"),
    (403, {"retry-after": "3600"}, "secondary rate limit",
     "GitHub rate limit on POST /repos/acme/infra/issues/7/comments (403: secondary rate limit); gave up at "
     "once: the wait it asks for is too long or retries ran out"),
    (422, {}, "Validation Failed", "GitHub POST /repos/acme/infra/issues/7/comments failed (422: Validation Failed)"),
])
def test_clear_one_line_errors_without_retry(github: FakeGitHub, sleeps: list[float], status: int,
                                             headers: dict[str, str], message: str, expected: str) -> None:
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


def test_pull_request_from_env(tmp_path: Path) -> None:
    env = {"GITHUB_TOKEN": TOKEN, "GITHUB_REPOSITORY": REPO,
           "GITHUB_EVENT_PATH": event_file(tmp_path, {"pull_request": {"number": 7}})}
    assert pull_request_from_env(env) == PullRequest("https://api.github.com", REPO, 7, TOKEN)
    with pytest.raises(UsageError, match="--post needs GITHUB_TOKEN, GITHUB_EVENT_PATH from GitHub Actions"):
        pull_request_from_env({"GITHUB_REPOSITORY": REPO})
    with pytest.raises(UsageError, match="no pull_request.number"):
        pull_request_from_env({**env, "GITHUB_EVENT_PATH": event_file(tmp_path, {"ref": "refs/heads/main"})})


def test_comment_post_end_to_end(github: FakeGitHub, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    env = {"GITHUB_API_URL": github.url, "GITHUB_TOKEN": TOKEN, "GITHUB_REPOSITORY": REPO,
           "GITHUB_EVENT_PATH": event_file(tmp_path, {"pull_request": {"number": 7, "head": {"sha": "abc123"}}}),
           "GITHUB_SERVER_URL": "https://github.com", "GITHUB_RUN_ID": "99", "GITHUB_STEP_SUMMARY": str(summary)}
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
    result = CliRunner().invoke(cli, ["comment", str(FIXTURE), "--post"],
                                env={"GITHUB_TOKEN": "", "GITHUB_STEP_SUMMARY": ""})
    assert result.exit_code == 2
    assert result.output.startswith("error: --post needs GITHUB_TOKEN") and result.output.count("\n") == 1
