"""A GitHub stand-in for tests: the REST endpoints hclgen calls, served on 127.0.0.1.

FakeGitHub holds the state (comments, issues, pull requests per commit) and scripted failures;
`serve()` runs it behind a real HTTP server, so the client under test speaks real HTTP. The
`github` and `sleeps` fixtures (tests/conftest.py) hand one to a test."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

REPO, NUMBER, TOKEN = "acme/infra", 7, "t0ken"


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
        comment = {
            "id": 1000 + len(self.comments),
            "body": body,
            "html_url": f"https://github.com/{REPO}/pull/{NUMBER}#issuecomment-{1000 + len(self.comments)}",
        }
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
            chunk = self.comments[start : start + self.page_size]
            more = start + self.page_size < len(self.comments)
            link = {"Link": f'<{self.url}{listing}?per_page=100&page={page + 1}>; rel="next"'} if more else {}
            return 200, link, chunk
        if split.path == listing and method == "POST":
            return 201, {}, self.add(body["body"])
        commits = f"/repos/{REPO}/commits/"
        if split.path.startswith(commits) and split.path.endswith("/pulls") and method == "GET":
            return 200, {}, self.pulls.get(split.path[len(commits) : -len("/pulls")], [])
        prefix = f"/repos/{REPO}/issues/comments/"
        if split.path.startswith(prefix) and method == "PATCH":
            comment = next(c for c in self.comments if c["id"] == int(split.path[len(prefix) :]))
            comment["body"] = body["body"]
            return 200, {}, comment
        return self.issue_routes(method, split.path, query, body) or (404, {}, {"message": "Not Found"})

    def add_issue(
        self, title: str, body: str, labels: list[str], *, state: str = "open", pull_request: bool = False
    ) -> dict[str, Any]:
        number = 100 + len(self.issues)
        issue: dict[str, Any] = {
            "number": number,
            "title": title,
            "body": body,
            "state": state,
            "labels": [{"name": name} for name in labels],
            "comments": [],
            "html_url": f"https://github.com/{REPO}/issues/{number}",
        }
        if pull_request:
            issue["pull_request"] = {"url": f"https://api.github.com/repos/{REPO}/pulls/{number}"}
        self.issues.append(issue)
        return issue

    def issue_routes(
        self, method: str, path: str, query: dict[str, list[str]], body: Any
    ) -> tuple[int, dict[str, str], Any] | None:
        """List (label and state filters, paginated), create, update, comment."""
        listing = f"/repos/{REPO}/issues"
        if path == listing and method == "GET":
            label, state = query.get("labels", [""])[0], query.get("state", ["open"])[0]
            found = [
                i
                for i in self.issues
                if (state == "all" or i["state"] == state) and (not label or label in [x["name"] for x in i["labels"]])
            ]
            page = int(query.get("page", ["1"])[0])
            start = (page - 1) * self.page_size
            more = start + self.page_size < len(found)
            link = (
                {"Link": f'<{self.url}{listing}?labels={label}&state={state}&page={page + 1}>; rel="next"'}
                if more
                else {}
            )
            return 200, link, found[start : start + self.page_size]
        if path == listing and method == "POST":
            return 201, {}, self.add_issue(body["title"], body["body"], body.get("labels", []))
        parts = path[len(listing) + 1 :].split("/") if path.startswith(listing + "/") else []
        issue = next((i for i in self.issues if parts and parts[0].isdigit() and i["number"] == int(parts[0])), None)
        if issue is not None and len(parts) == 1 and method == "PATCH":
            issue.update(body)
            return 200, {}, issue
        if issue is not None and parts[1:] == ["comments"] and method == "POST":
            issue["comments"].append(body["body"])
            return 201, {}, {"id": 5000 + len(issue["comments"]), "body": body["body"]}
        return None


@contextmanager
def serve() -> Iterator[FakeGitHub]:
    """A FakeGitHub behind a loopback HTTP server (its url set), shut down on exit."""
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
