"""comment (the pull-request plan comment) and affected (which envs a change touches)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from generator.errors import UsageError


def _post(body: str) -> None:
    from generator.github.client import GitHubClient, upsert_comment
    from generator.github.event import pull_request_from_env
    from generator.review.comment.render import MARKER

    pr = pull_request_from_env(os.environ)
    with GitHubClient(pr.api_url, pr.token) as client:
        what, comment = upsert_comment(client, pr, body, MARKER)
    url = comment.get("html_url")
    click.echo(f"{what} the plan comment on pull request #{pr.number}" + (f": {url}" if url else ""))


@click.command("comment")
@click.argument("plan_json", nargs=-1, type=click.Path(path_type=Path), metavar="[PLAN_JSON|PLAN_DIR]...")
@click.option("--post", is_flag=True, help="Create or update the pull request's plan comment (GitHub Actions).")
@click.option("--env", "env_name", metavar="NAME", help="Env name of the (single) plan; default: its meta.json.")
@click.option(
    "--sources",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FILE",
    help="Source map (address -> file:line); default .hclgen/sources/<env>.json.",
)
@click.option(
    "--diagram/--no-diagram",
    default=True,
    show_default=True,
    help="A compact architecture diagram per changed env, changed resources marked "
    "(dropped first when the comment is too long).",
)
@click.option(
    "--status-dir",
    type=click.Path(path_type=Path, file_okay=False),
    metavar="DIR",
    help="The CI jobs' step records (`ci-record`, e.g. .hclgen/status): failed steps are shown "
    "first, envs without a plan as failed; without the check job's record, never green.",
)
@click.option(
    "--check-job",
    default="check",
    show_default=True,
    metavar="JOB",
    help="With --status-dir: the job whose record holds the checks and the affected env list.",
)
def comment(
    plan_json: tuple[Path, ...],
    post: bool,
    env_name: str | None,
    sources: Path | None,
    diagram: bool,
    status_dir: Path | None,
    check_job: str,
) -> None:
    """Render one markdown comment from `terraform show -json` plan files (or plan folders).

    A plan folder (.hclgen/plans/ENV/) whose last plan failed shows as failed, with its error.

    Each env's monthly cost before and after its plan is estimated from the plan (usage from
    environments/ENV/usage.toml); checkov findings saved by `policy` are shown when present.

    Prints it, appends it to $GITHUB_STEP_SUMMARY when set, and with --post creates or
    updates the pull request's plan comment. No PLAN_JSON: says no environment is affected
    (with --status-dir only when the check job recorded success and an empty affected list).
    Each planned env's digest is recorded in a hidden marker for `apply --verify-reviewed`.
    """
    from generator.github.event import run_urls
    from generator.plan.model import PlanReport
    from generator.plan.source import load_env_plan, plan_diagrams
    from generator.review.comment.render import render_comment

    if env_name:
        from generator.paths import check_name

        check_name(env_name, "--env")
    if env_name and len(plan_json) > 1:
        raise UsageError("--env names one plan; with several, each plan's meta.json names its env")
    plans = [load_env_plan(path, env_name, sources) for path in plan_json]
    names = [plan.env for plan in plans]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise UsageError(f"two plans for the same env: {', '.join(duplicates)}")
    from generator.review.cost.report import plan_cost
    from generator.review.policy.report import load_policy

    costs = [plan_cost(path, plan.env) for path, plan in zip(plan_json, plans) if not plan.errored]
    policy = load_policy(names) if plans else None
    artifacts, blobs = run_urls(os.environ)
    diagrams = plan_diagrams(plan_json, plans, sources) if diagram else {}
    from generator.plan import digest
    from generator.review.comment import status

    ci = status.read_status(status_dir, check_job) if status_dir is not None else None
    envs = status.with_status(plans, ci) if ci is not None else tuple(plans)
    body = render_comment(
        PlanReport(envs),
        artifacts_url=artifacts,
        source_url=blobs,
        diagrams=diagrams,
        costs=costs,
        policy=policy,
        status=ci,
        trailer=digest.block(plans),
    )
    from generator.github.event import append_step_summary

    append_step_summary(os.environ, body + "\n")
    if post:
        _post(body)
    else:
        click.echo(body, nl=False)


@click.command("affected")
@click.option(
    "--base",
    default="origin/main",
    show_default=True,
    metavar="REF",
    help="Compare HEAD with this commit (all zeros or empty: every env).",
)
@click.option(
    "--github-output",
    is_flag=True,
    help='Also write envs=<JSON list> and matrix=<JSON {"include": [{env, reasons}]}> to $GITHUB_OUTPUT.',
)
@click.option("--json", "as_json", is_flag=True, help="Print the matrix JSON (env and reasons) instead of names.")
def affected(base: str, github_output: bool, as_json: bool) -> None:
    """Print the environments a change touches, one per line (reasons on stderr)."""
    from generator.changes.changed import affected_since
    from generator.paths import project_root

    target = os.environ.get("GITHUB_OUTPUT")
    if github_output and not target:
        raise UsageError("--github-output needs GITHUB_OUTPUT (set by GitHub Actions)")
    result = affected_since(project_root(), base)
    for line in result.lines():
        click.echo(line, err=True)
    if as_json:
        click.echo(json.dumps(result.matrix(), indent=2))
    else:
        for name in result.envs:
            click.echo(name)
    if not result.envs:
        click.echo(f"no environment is affected by the change since {base}", err=True)
    if github_output and target:
        from generator.github.event import append_runner_file

        append_runner_file(
            "GITHUB_OUTPUT",
            target,
            f"envs={json.dumps(list(result.envs))}\nmatrix={json.dumps(result.matrix(), separators=(',', ':'))}\n",
        )


COMMANDS: list[click.Command] = [comment, affected]
