"""`apply --verify-reviewed`: apply on main only the plan that was reviewed in the merged pull request.

The merged pull request of the run's commit (RunContext.sha, $GITHUB_SHA) is found through the API
(GitHubClient.pulls_for_commit); its plan comment (the sticky one, generator.review.comment.render.MARKER)
records each env's digest (generator.plan.digest). Before applying, the fresh plan's digest must equal the env's: a
difference, no merged pull request, no comment or no digest for the env stops the apply
(exit 4, ExitCode.UNREVIEWED) unless the run was re-approved, which is then reported loudly.
"""

from __future__ import annotations

from dataclasses import dataclass

import click
import httpx

from generator.codehost import PullRequests
from generator.errors import UnreviewedError
from generator.github.client import GitHubClient
from generator.github.context import RunContext
from generator.plan.digest import describe, differences, digest, digest_lines, recorded
from generator.plan.model import EnvPlan
from generator.review.comment.render import MARKER

REAPPROVE_FLAG = "--reapproved"


@dataclass(frozen=True)
class Reviewed:
    """An env's plan as the merged pull request's comment recorded it."""

    number: int
    digest: str
    lines: list[str] | None  # None: the comment had no room for them


def _never(env: str, why: str) -> UnreviewedError:
    return UnreviewedError(f"{env}: {why}; this plan was never reviewed (a re-approved run passes {REAPPROVE_FLAG})")


def reviewed_plan(client: PullRequests, repository: str, sha: str, env: str) -> Reviewed:
    pull = client.merged_pull(repository, sha)
    if pull is None:
        raise _never(env, f"commit {sha[:12]} belongs to no merged pull request")
    number = int(pull["number"])
    bodies = [str(c.get("body") or "") for c in client.issue_comments(repository, number)]
    comments = [body for body in bodies if body.lstrip().startswith(MARKER)]
    if not comments:
        raise _never(env, f"pull request #{number} has no plan comment")
    digests, lines = recorded(comments[-1])
    if env not in digests:
        raise _never(env, f"the plan comment of pull request #{number} records no digest for {env}")
    return Reviewed(number, digests[env], lines.get(env))


def mismatch(plan: EnvPlan, reviewed: Reviewed) -> str | None:
    """None when the fresh plan is the reviewed one, else one line saying what differs."""
    lines = digest_lines(plan)
    fresh = digest(lines)
    if fresh == reviewed.digest:
        return None
    if reviewed.lines is None:
        return f"{fresh[:19]}… is not the reviewed {reviewed.digest[:19]}… (the comment had no room to record where)"
    found = differences(reviewed.lines, lines)
    return describe(found) if found else None  # only known-vs-unknown values moved


class Verifier:
    """Called by apply with the fresh plan, before anything is applied."""

    def __init__(self, run: RunContext, *, reapproved: bool, transport: httpx.BaseTransport | None = None) -> None:
        self.sha, self.repository, self.token = run.require("--verify-reviewed", "sha", "repository", "token")
        self.api_url = run.api_url
        self.reapproved, self._transport = reapproved, transport

    def __call__(self, plan: EnvPlan) -> None:
        try:
            with GitHubClient(self.api_url, self.token, transport=self._transport) as client:
                reviewed = reviewed_plan(client, self.repository, self.sha, plan.env)
        except UnreviewedError as err:
            self._stop_unless_reapproved(str(err))
            return
        found = mismatch(plan, reviewed)
        if found is None:
            click.echo(
                f"{plan.env}: the plan is the one reviewed in pull request #{reviewed.number} "
                f"({reviewed.digest[:19]}…)",
                err=True,
            )
            return
        self._stop_unless_reapproved(
            f"{plan.env}: the plan differs from the one reviewed in pull request #{reviewed.number}: {found}"
        )

    def _stop_unless_reapproved(self, message: str) -> None:
        if not self.reapproved:
            raise UnreviewedError(message)
        click.secho(f"RE-APPROVED: applying anyway ({REAPPROVE_FLAG}): {message}", fg="red", bold=True, err=True)
