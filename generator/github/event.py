"""The GitHub Actions side of a run: the event payload, the pull request it is about, the runner's files.

Read from the RunContext (generator.github.context: GITHUB_EVENT_PATH, GITHUB_REPOSITORY, GITHUB_TOKEN,
...); the REST client (generator.github.client) takes what these return.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import UsageError
from generator.github.context import RunContext


@dataclass(frozen=True)
class PullRequest:
    api_url: str
    repository: str  # owner/name
    number: int
    token: str


def read_event(run: RunContext) -> dict[str, Any]:
    """The payload of the event that started the GitHub Actions run ($GITHUB_EVENT_PATH)."""
    path = run.event_path
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


def current_pull_request(run: RunContext) -> PullRequest:
    """The pull request of the running GitHub Actions job (pull_request events)."""
    token, repository, _ = run.require("--post", "token", "repository", "event_path")
    pull_request = read_event(run).get("pull_request")
    number = pull_request.get("number") if isinstance(pull_request, dict) else None
    if not isinstance(number, int) or isinstance(number, bool):
        raise UsageError("the GitHub event has no pull_request.number: --post runs on pull_request events")
    return PullRequest(api_url=run.api_url, repository=repository, number=number, token=token)


def append_step_summary(run: RunContext, text: str) -> None:
    """Append markdown to the job's summary page ($GITHUB_STEP_SUMMARY) when run in Actions."""
    if run.summary_file:
        append_runner_file("GITHUB_STEP_SUMMARY", run.summary_file, text)


def require_outputs(run: RunContext, flag: str) -> None:
    """Refuse `flag` (e.g. --github-output) before any work when there is no $GITHUB_OUTPUT."""
    if not run.output_file:
        raise UsageError(f"{flag} needs GITHUB_OUTPUT (set by GitHub Actions)")


def append_outputs(run: RunContext, flag: str, outputs: Mapping[str, str]) -> None:
    """Write step outputs (name=value lines) to $GITHUB_OUTPUT, which `flag` asked for."""
    require_outputs(run, flag)
    text = "".join(f"{name}={value}\n" for name, value in outputs.items())
    append_runner_file("GITHUB_OUTPUT", str(run.output_file), text)


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


def run_urls(run: RunContext) -> tuple[str | None, str | None]:
    """(workflow run page holding the artifacts, blob URL prefix of the reviewed commit) in Actions."""
    server, repo = run.server_url, run.repository
    if not server or not repo:
        return None, None
    artifacts = f"{server}/{repo}/actions/runs/{run.run_id}" if run.run_id else None
    sha = run.sha
    try:  # the PR's head commit: GITHUB_SHA is a merge commit on pull_request events
        head = read_event(run).get("pull_request")
        commit = head.get("head") if isinstance(head, dict) else None
        found = commit.get("sha") if isinstance(commit, dict) else None
        sha = found if isinstance(found, str) and found else sha
    except UsageError:
        pass  # no readable event: links point at GITHUB_SHA
    return artifacts, f"{server}/{repo}/blob/{sha}" if sha else None
