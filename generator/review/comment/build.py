"""`comment`'s engine: plan files and folders -> the one markdown comment, and posting it.

Loads each plan, its cost and the saved policy findings, the CI step records and the run's
links, and renders them with the digest trailer `apply --verify-reviewed` reads.
"""

from __future__ import annotations

from pathlib import Path

from generator.errors import UsageError
from generator.github.context import RunContext


def build_comment(
    plan_paths: tuple[Path, ...],
    env_name: str | None,
    sources: Path | None,
    *,
    diagram: bool,
    status_dir: Path | None,
    check_job: str,
    run: RunContext,
) -> str:
    """The markdown comment of these plans (see `comment --help`)."""
    from generator.github.event import run_urls
    from generator.plan import digest
    from generator.plan.model import PlanReport
    from generator.plan.source import load_env_plan, plan_diagrams
    from generator.review.comment import status
    from generator.review.comment.render import render_comment
    from generator.review.cost.report import plan_cost
    from generator.review.policy.report import load_policy

    if env_name:
        from generator.paths import check_name

        check_name(env_name, "--env")
    if env_name and len(plan_paths) > 1:
        raise UsageError("--env names one plan; with several, each plan's meta.json names its env")
    plans = [load_env_plan(path, env_name, sources) for path in plan_paths]
    names = [plan.env for plan in plans]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise UsageError(f"two plans for the same env: {', '.join(duplicates)}")
    costs = [plan_cost(path, plan.env) for path, plan in zip(plan_paths, plans) if not plan.errored]
    policy = load_policy(names) if plans else None
    artifacts, blobs = run_urls(run)
    diagrams = plan_diagrams(plan_paths, plans, sources) if diagram else {}
    ci = status.read_status(status_dir, check_job) if status_dir is not None else None
    envs = status.with_status(plans, ci) if ci is not None else tuple(plans)
    return render_comment(
        PlanReport(envs),
        artifacts_url=artifacts,
        source_url=blobs,
        diagrams=diagrams,
        costs=costs,
        policy=policy,
        status=ci,
        trailer=digest.block(plans),
    )


def post_comment(run: RunContext, body: str) -> str:
    """Create or update the pull request's plan comment (the sticky one); one line saying which."""
    from generator.github.client import GitHubClient, upsert_comment
    from generator.github.event import current_pull_request
    from generator.review.comment.render import MARKER

    pr = current_pull_request(run)
    with GitHubClient(pr.api_url, pr.token) as client:
        what, comment = upsert_comment(client, pr, body, MARKER)
    url = comment.get("html_url")
    return f"{what} the plan comment on pull request #{pr.number}" + (f": {url}" if url else "")
