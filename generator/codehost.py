"""What the review side needs from a code host (pull requests, comments, issues): a small interface.

generator/github/ is the one implementation (GitHubClient, IssueClient); review/ and the issue
logic take these protocols, so another host could stand beside github/ without touching them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol


class PullRequests(Protocol):
    """Pull requests of a commit and their comments."""

    def merged_pull(self, repository: str, sha: str) -> dict[str, Any] | None:
        """The merged pull request of commit `sha`; never an open or unmerged one."""
        ...

    def issue_comments(self, repository: str, number: int) -> Iterator[dict[str, Any]]: ...

    def create_comment(self, repository: str, number: int, body: str) -> dict[str, Any]: ...


class Issues(PullRequests, Protocol):
    """Plus issues: the one open issue per (kind, env) that drift and failed applies keep."""

    def open_issues(self, repository: str, label: str) -> Iterator[dict[str, Any]]: ...

    def create_issue(self, repository: str, title: str, body: str, labels: list[str]) -> dict[str, Any]: ...

    def update_issue(self, repository: str, number: int, **fields: Any) -> dict[str, Any]: ...
