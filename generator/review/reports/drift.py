"""The drift report (console, step summary, one GitHub issue per drifted env), rendered by the
plan comment's renderer from refresh-only plans in the one plan model.

An issue body holds only what the plans say (no run link, no time, not terraform's full plan
text), so an unchanged drift leaves the issue untouched; the run link goes in the comment that
closes it. terraform's full refresh-only plan text is saved in .hclgen/drift/<env>/plan.txt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from generator.codehost import Issues
from generator.github import issues as ghissues
from generator.plan.model import EnvPlan, PlanReport
from generator.program import command
from generator.review.comment import mdescape
from generator.review.comment.parts import plural
from generator.review.comment.render import MARKER, MAX_CHARS, render_comment

_RENDERED_HEAD = f"{MARKER}\n## Terraform plan\n"


def tracked(env: str) -> ghissues.Tracked:
    return ghissues.Tracked("drift", env, f"Drift in {env}")


def status_line(plan: EnvPlan) -> str:
    """`dev: clean` / `dev: 2 resources drifted: aws_ecr_repository.app (tags, tags_all), ...` / error."""
    if plan.errored and (plan.error or "").startswith("never applied"):
        return f"{plan.env}: {plan.error}"
    if plan.errored:
        return f"{plan.env}: drift check failed: {plan.error or 'see the log'}"
    if not plan.drift:
        return f"{plan.env}: clean, no drift"
    shown = [f"{c.address} ({', '.join(a.path for a in c.attributes[:4]) or c.action.value})" for c in plan.drift[:5]]
    more = f" and {len(plan.drift) - 5} more" if len(plan.drift) > 5 else ""
    return f"{plan.env}: {plural(len(plan.drift), 'resource')} drifted: {', '.join(shown)}{more}"


def _rendered(plans: Sequence[EnvPlan], limit: int) -> str:
    """The plan comment of these refresh-only plans without its own marker and title. The plan
    text shown is the model's, of the drift kept: terraform's own lists attributes that move by
    themselves (a time, an association) and would change the issue body on every run."""
    text = render_comment(PlanReport(tuple(replace(plan, full_text=None) for plan in plans)), limit=limit)
    if not text.startswith(_RENDERED_HEAD):
        raise AssertionError("the plan comment template no longer starts with its marker and title")
    return text[len(_RENDERED_HEAD) :].lstrip("\n")


def report(plans: Sequence[EnvPlan]) -> str:
    """The markdown report of one drift run, every env checked (console and step summary)."""
    lines = ["## Drift watch", "", *[f"- {mdescape.text(status_line(plan))}" for plan in plans], ""]  # error text
    shown = [plan for plan in plans if plan.drift or plan.errored]
    head = "\n".join(lines)
    return head + ("\n" + _rendered(shown, MAX_CHARS - len(head) - 1) if shown else "")


def issue_body(plan: EnvPlan) -> str:
    """The body of the env's drift issue: marker, what drifted, how to resolve, the report."""
    env = plan.env
    head = "\n".join(
        [
            tracked(env).marker,
            f"## Drift in `{env}`",
            "",
            f"{plural(len(plan.drift), 'resource')} in `{env}` changed outside Terraform since its last apply "
            f"(a refresh-only plan: `{command('drift', env)}`).",
            "",
            f"- To put them back as the configuration says: `{command('apply', env)}` (or the apply workflow) "
            "reverts every attribute the configuration sets.",
            "- To keep the change: make the Python config say the same, `synth`, and merge it; "
            "the next apply then changes nothing.",
            "",
            f"This issue is updated by each drift run while the drift stays, and closed when `{env}` is clean again.",
            "",
        ]
    )
    return head + "\n" + _rendered([plan], MAX_CHARS - len(head) - 1)


def clean_comment(env: str, run: str | None) -> str:
    where = f" ([drift run]({run}))" if run else ""
    return f"`{env}` is clean again: the refresh-only plan finds no drift{where}. Closing."


def post(client: Issues, repository: str, plans: Sequence[EnvPlan], run: str | None) -> list[str]:
    """Open / update / close each env's drift issue; one line per env saying what was done.
    An env whose check failed leaves its issue as it is (nothing is known about it)."""
    out = []
    for plan in plans:
        if plan.errored:
            out.append(f"{plan.env}: drift check failed; its issue is left as it is")
        elif plan.drift:
            what, issue = ghissues.upsert(client, repository, tracked(plan.env), issue_body(plan))
            out.append(f"{plan.env}: {what} issue #{issue.get('number')}" + _url(issue))
        else:
            _, closed = ghissues.close(client, repository, tracked(plan.env), clean_comment(plan.env, run))
            out.append(
                f"{plan.env}: closed issue #{closed.get('number')}" + _url(closed)
                if closed
                else f"{plan.env}: clean, no drift issue open"
            )
    return out


def post_issues(repo: ghissues.Repository, plans: Sequence[EnvPlan], run: str | None) -> list[str]:
    """`post` through the repository's issue client."""
    with ghissues.IssueClient(repo.api_url, repo.token) as client:
        return post(client, repo.name, plans, run)


def _url(issue: dict[str, object]) -> str:
    url = issue.get("html_url")
    return f": {url}" if url else ""
