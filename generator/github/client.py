"""Create or update the one plan comment on a pull request through GitHub's REST API.

Rate limits follow GitHub's guidance: on 403/429 wait `retry-after` seconds when given, else
until `x-ratelimit-reset` when `x-ratelimit-remaining` is 0, else (a secondary limit) at
least a minute, growing; 5xx and network errors back off exponentially. Waits are injectable.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from generator.errors import HclgenError, UsageError

API_VERSION = "2022-11-28"
PER_PAGE = 100
MAX_ATTEMPTS = 5
MAX_WAIT_SECONDS = 300.0  # a longer rate-limit wait fails the step instead of stalling the job
SECONDARY_LIMIT_WAIT = 60.0


class GitHubError(HclgenError):
    """GitHub refused or kept failing a request; the message says which and what to check."""


@dataclass(frozen=True)
class PullRequest:
    api_url: str
    repository: str  # owner/name
    number: int
    token: str


def _version() -> str:
    try:
        return metadata.version("hclgen")
    except metadata.PackageNotFoundError:
        return "0"


def read_event(environ: Mapping[str, str]) -> dict[str, Any]:
    """The payload of the event that started the GitHub Actions run ($GITHUB_EVENT_PATH)."""
    path = environ.get("GITHUB_EVENT_PATH")
    if not path:
        raise UsageError("GITHUB_EVENT_PATH is not set (it is set by GitHub Actions)")
    try:
        with open(path, encoding="utf-8") as handle:
            event = json.load(handle)
    except (OSError, ValueError) as err:
        raise UsageError(f"cannot read the event payload GITHUB_EVENT_PATH={path}: {err}") from None
    if not isinstance(event, dict):
        raise UsageError(f"the event payload GITHUB_EVENT_PATH={path} is not a JSON object")
    return event


def pull_request_from_env(environ: Mapping[str, str]) -> PullRequest:
    """The pull request of the running GitHub Actions job (pull_request events)."""
    missing = [name for name in ("GITHUB_TOKEN", "GITHUB_REPOSITORY", "GITHUB_EVENT_PATH") if not environ.get(name)]
    if missing:
        raise UsageError(
            f"--post needs {', '.join(missing)} from GitHub Actions "
            "(GITHUB_TOKEN: pass `env: GITHUB_TOKEN: ${{ github.token }}` to the step)"
        )
    pull_request = read_event(environ).get("pull_request")
    number = pull_request.get("number") if isinstance(pull_request, dict) else None
    if not isinstance(number, int) or isinstance(number, bool):
        raise UsageError("the GitHub event has no pull_request.number: --post runs on pull_request events")
    return PullRequest(
        api_url=environ.get("GITHUB_API_URL") or "https://api.github.com",
        repository=environ["GITHUB_REPOSITORY"],
        number=number,
        token=environ["GITHUB_TOKEN"],
    )


def append_step_summary(environ: Mapping[str, str], text: str) -> None:
    """Append markdown to the job's summary page ($GITHUB_STEP_SUMMARY) when run in Actions."""
    target = environ.get("GITHUB_STEP_SUMMARY")
    if target:
        append_runner_file("GITHUB_STEP_SUMMARY", target, text)


def append_runner_file(variable: str, target: str, text: str) -> None:
    """Append to a file the Actions runner gave us ($GITHUB_STEP_SUMMARY, $GITHUB_OUTPUT): it must
    exist in an existing folder; nothing else is created, and a failure is one line."""
    path = Path(target)
    if path.is_dir() or not path.parent.is_dir():
        what = "is a folder" if path.is_dir() else "is in a folder that does not exist"
        raise UsageError(f"{variable}={target} {what}; it must name the runner's file")
    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as err:
        raise UsageError(f"cannot append to {variable}={target}: {err.strerror or err}") from None


def run_urls(environ: Mapping[str, str]) -> tuple[str | None, str | None]:
    """(workflow run page holding the artifacts, blob URL prefix of the reviewed commit) in Actions."""
    server, repo = environ.get("GITHUB_SERVER_URL"), environ.get("GITHUB_REPOSITORY")
    if not server or not repo:
        return None, None
    run_id = environ.get("GITHUB_RUN_ID")
    artifacts = f"{server}/{repo}/actions/runs/{run_id}" if run_id else None
    sha = environ.get("GITHUB_SHA")
    try:  # the PR's head commit: GITHUB_SHA is a merge commit on pull_request events
        head = read_event(environ).get("pull_request")
        commit = head.get("head") if isinstance(head, dict) else None
        found = commit.get("sha") if isinstance(commit, dict) else None
        sha = found if isinstance(found, str) and found else sha
    except UsageError:
        pass  # no readable event: links point at GITHUB_SHA
    return artifacts, f"{server}/{repo}/blob/{sha}" if sha else None


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
