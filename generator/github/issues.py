"""One GitHub issue per (kind, env) kept up to date: drift watch and failed applies.

An issue is found by its label (listed with state=open, every page) and the hidden marker its
body starts with, `<!-- hclgen:drift env=prod -->`; pull requests, which the issues API lists
too, are skipped. Opened when the problem appears, its body updated in place while it stays (no
request when the body is unchanged), closed with a comment when it is gone. Someone removing
the label or the marker makes the next run open a new issue: the pair is the identity.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx

from generator.codehost import Issues
from generator.github.client import PER_PAGE, GitHubClient, GitHubError
from generator.github.context import RunContext


@dataclass(frozen=True)
class Repository:
    """Where and as whom to post: from the RunContext."""

    api_url: str
    name: str  # owner/name
    token: str


def repository_of(run: RunContext, flag: str = "--post") -> Repository:
    token, name = run.require(flag, "token", "repository")
    return Repository(api_url=run.api_url, name=name, token=token)


class IssueClient(GitHubClient):
    """GitHubClient plus the issue endpoints (same retries, pagination and one-line errors)."""

    def __enter__(self) -> IssueClient:
        return self

    def open_issues(self, repository: str, label: str) -> Iterator[dict[str, Any]]:
        """Open issues carrying `label`, every page; pull requests left out."""
        url: str | None = f"repos/{repository}/issues"
        params: dict[str, Any] | None = {"labels": label, "state": "open", "per_page": PER_PAGE}
        while url:
            response = self._request("GET", url, params=params)
            yield from (item for item in response.json() if "pull_request" not in item)
            url, params = self._next_page(response), None

    def create_issue(self, repository: str, title: str, body: str, labels: list[str]) -> dict[str, Any]:
        created: dict[str, Any] = self._request(
            "POST", f"repos/{repository}/issues", body={"title": title, "body": body, "labels": labels}
        ).json()
        return created

    def update_issue(self, repository: str, number: int, **fields: Any) -> dict[str, Any]:
        updated: dict[str, Any] = self._request("PATCH", f"repos/{repository}/issues/{number}", body=fields).json()
        return updated

    def _failure(self, method: str, path: str, response: httpx.Response, attempt: int) -> GitHubError:
        failure = super()._failure(method, path, response, attempt)
        if response.status_code == 403 and "pull-requests: write" in str(failure):
            return GitHubError(
                f"GitHub refused {method} {path} ({response.status_code}): the workflow's "
                "token needs `issues: write` (and `pull-requests: write` to comment on pull requests)"
            )
        return failure


@dataclass(frozen=True)
class Tracked:
    """The one issue of a kind for one env, e.g. Tracked("drift", "prod", "Drift in prod")."""

    kind: str  # drift | apply-failed
    env: str
    title: str

    @property
    def label(self) -> str:
        return f"hclgen-{self.kind}"

    @property
    def marker(self) -> str:
        return f"<!-- hclgen:{self.kind} env={self.env} -->"


def find(client: Issues, repository: str, tracked: Tracked) -> dict[str, Any] | None:
    return next(
        (
            issue
            for issue in client.open_issues(repository, tracked.label)
            if str(issue.get("body") or "").lstrip().startswith(tracked.marker)
        ),
        None,
    )


def upsert(client: Issues, repository: str, tracked: Tracked, body: str) -> tuple[str, dict[str, Any]]:
    """Open the issue or update its body in place: ("opened" | "updated" | "unchanged", issue).
    `body` must start with tracked.marker (the next run finds the issue by it)."""
    if not body.startswith(tracked.marker):
        raise ValueError(f"an issue body for {tracked.kind} {tracked.env} must start with {tracked.marker}")
    existing = find(client, repository, tracked)
    if existing is None:
        return "opened", client.create_issue(repository, tracked.title, body, [tracked.label])
    if existing.get("body") == body:
        return "unchanged", existing
    return "updated", client.update_issue(repository, int(existing["number"]), body=body)


def close(client: Issues, repository: str, tracked: Tracked, comment: str) -> tuple[str, dict[str, Any] | None]:
    """Comment and close the open issue: ("closed", issue), or ("none open", None)."""
    existing = find(client, repository, tracked)
    if existing is None:
        return "none open", None
    client.create_comment(repository, int(existing["number"]), comment)
    return "closed", client.update_issue(repository, int(existing["number"]), state="closed", state_reason="completed")
