"""Create or update the one plan comment on a pull request through GitHub's REST API.

Rate limits follow GitHub's guidance: on 403/429 wait `retry-after` seconds when given, else
until `x-ratelimit-reset` when `x-ratelimit-remaining` is 0, else (a secondary limit) at
least a minute, growing; 5xx and network errors back off exponentially. Waits are injectable.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from importlib import metadata
from typing import Any
from urllib.parse import urlsplit

import httpx

from generator.errors import HclgenError
from generator.github.event import PullRequest

API_VERSION = "2022-11-28"
PER_PAGE = 100
MAX_ATTEMPTS = 5
MAX_WAIT_SECONDS = 300.0  # a longer rate-limit wait fails the step instead of stalling the job
SECONDARY_LIMIT_WAIT = 60.0


class GitHubError(HclgenError):
    """GitHub refused or kept failing a request; the message says which and what to check."""


def _version() -> str:
    try:
        return metadata.version("hclgen")
    except metadata.PackageNotFoundError:
        return "0"


def _message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200].strip()
    return str(body.get("message", "")) if isinstance(body, dict) else ""


class GitHubClient:
    """A small REST client: the issue-comment endpoints, with retries and pagination."""

    def __init__(
        self,
        api_url: str,
        token: str,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        backoff: float = 1.0,
        timeout: float = 30.0,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self._sleep, self._clock, self._backoff = sleep, clock, backoff
        self._http = httpx.Client(
            base_url=self.api_url + "/",
            timeout=timeout,
            transport=transport,
            follow_redirects=False,
            headers={
                "Accept": "application/vnd.github+json",
                "Authorization": f"Bearer {token}",
                "X-GitHub-Api-Version": API_VERSION,
                "User-Agent": f"hclgen/{_version()}",
            },
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> GitHubClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def issue_comments(self, repository: str, number: int) -> Iterator[dict[str, Any]]:
        """Every comment on the issue or pull request, following `Link: rel="next"`."""
        url: str | None = f"repos/{repository}/issues/{number}/comments"
        params: dict[str, Any] | None = {"per_page": PER_PAGE}
        while url:
            response = self._request("GET", url, params=params)
            yield from response.json()
            url, params = self._next_page(response), None

    def pulls_for_commit(self, repository: str, sha: str) -> list[dict[str, Any]]:
        """The pull requests associated with a commit (for a merge commit on main: the merged one)."""
        pulls: list[dict[str, Any]] = self._request(
            "GET", f"repos/{repository}/commits/{sha}/pulls", params={"per_page": PER_PAGE}
        ).json()
        return pulls

    def merged_pull(self, repository: str, sha: str) -> dict[str, Any] | None:
        """The merged pull request of commit `sha` (see pick_merged); None when there is none."""
        return pick_merged(self.pulls_for_commit(repository, sha), sha)

    def create_comment(self, repository: str, number: int, body: str) -> dict[str, Any]:
        created: dict[str, Any] = self._request(
            "POST", f"repos/{repository}/issues/{number}/comments", body={"body": body}
        ).json()
        return created

    def update_comment(self, repository: str, comment_id: int, body: str) -> dict[str, Any]:
        updated: dict[str, Any] = self._request(
            "PATCH", f"repos/{repository}/issues/comments/{comment_id}", body={"body": body}
        ).json()
        return updated

    def _next_page(self, response: httpx.Response) -> str | None:
        url = response.links.get("next", {}).get("url")
        if url is None:
            return None
        ours, theirs = urlsplit(self.api_url), urlsplit(url)
        if (theirs.scheme, theirs.netloc) != (ours.scheme, ours.netloc):
            raise GitHubError(f"GitHub's next-page link points elsewhere ({theirs.netloc}); not following it")
        return url

    def _request(
        self, method: str, url: str, *, params: Mapping[str, Any] | None = None, body: Mapping[str, Any] | None = None
    ) -> httpx.Response:
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                response = self._http.request(method, url, params=params, json=body)
            except httpx.TransportError as err:
                if attempt == MAX_ATTEMPTS:
                    raise GitHubError(f"cannot reach GitHub at {self.api_url}: {err}") from None
                self._sleep(self._backoff * 2.0 ** (attempt - 1))
                continue
            if response.is_success:
                return response
            wait = self._retry_wait(response, attempt)
            if wait is None or attempt == MAX_ATTEMPTS:
                raise self._failure(method, response.request.url.path, response, attempt)
            self._sleep(wait)
        raise AssertionError("unreachable")

    def _retry_wait(self, response: httpx.Response, attempt: int) -> float | None:
        """Seconds to wait before retrying, or None when retrying cannot help (soon enough)."""
        if response.status_code >= 500:
            return self._backoff * 2.0 ** (attempt - 1)
        if not _rate_limited(response):
            return None
        headers = response.headers
        if "retry-after" in headers:
            wait = float(headers["retry-after"])
        elif headers.get("x-ratelimit-remaining") == "0" and "x-ratelimit-reset" in headers:
            wait = max(0.0, float(headers["x-ratelimit-reset"]) - self._clock()) + 1.0
        else:  # a secondary limit without headers: GitHub asks for a minute or more, growing
            wait = SECONDARY_LIMIT_WAIT * 2.0 ** (attempt - 1)
        return wait if wait <= MAX_WAIT_SECONDS else None

    def _failure(self, method: str, path: str, response: httpx.Response, attempt: int) -> GitHubError:
        status, message = response.status_code, _message(response)
        detail = f"{status}: {message}" if message else str(status)
        tries = f" after {plural_attempts(attempt)}" if attempt > 1 else ""
        if status == 401:
            return GitHubError(f"GitHub rejected the token ({detail}): check GITHUB_TOKEN")
        if status == 404:
            return GitHubError(
                f"GitHub returned 404 for {method} {path}: check GITHUB_REPOSITORY, the pull "
                "request number and that the token can see the repository"
            )
        if _rate_limited(response):
            return GitHubError(
                f"GitHub rate limit on {method} {path} ({detail}); gave up{tries or ' at once'}: "
                "the wait it asks for is too long or retries ran out"
            )
        if status == 403:
            return GitHubError(
                f"GitHub refused {method} {path} ({detail}): the token needs "
                "`pull-requests: write` (pull requests from forks get a read-only token)"
            )
        return GitHubError(f"GitHub {method} {path} failed ({detail}){tries}")


def plural_attempts(count: int) -> str:
    return f"{count} attempts" if count != 1 else "1 attempt"


def _rate_limited(response: httpx.Response) -> bool:
    """403/429 that GitHub marks as a primary or secondary rate limit (else: permissions)."""
    if response.status_code not in (403, 429):
        return False
    headers = response.headers
    return (
        response.status_code == 429
        or "retry-after" in headers
        or headers.get("x-ratelimit-remaining") == "0"
        or "rate limit" in _message(response).lower()
    )


def upsert_comment(client: GitHubClient, pr: PullRequest, body: str, marker: str) -> tuple[str, dict[str, Any]]:
    """Create the comment carrying `marker`, or update it in place; returns (what happened, comment)."""
    existing = next(
        (
            c
            for c in client.issue_comments(pr.repository, pr.number)
            if str(c.get("body") or "").lstrip().startswith(marker)
        ),
        None,
    )
    if existing is None:
        return "created", client.create_comment(pr.repository, pr.number, body)
    if existing.get("body") == body:
        return "unchanged", existing
    return "updated", client.update_comment(pr.repository, int(existing["id"]), body)


def pick_merged(pulls: list[dict[str, Any]], sha: str) -> dict[str, Any] | None:
    """The merged pull request whose merge commit is `sha`, else any merged one listing it.

    Never an open or closed-unmerged one: a commit can sit on several pull requests, and an apply
    report or a reviewed-plan check on the wrong one would mislead (None: no merged pull request)."""
    merged = [pull for pull in pulls if pull.get("merged_at")]
    exact = [pull for pull in merged if pull.get("merge_commit_sha") == sha]
    found = exact or merged
    return found[0] if found else None
