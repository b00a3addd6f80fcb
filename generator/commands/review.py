"""comment (the pull-request plan comment) and affected (which envs a change touches)."""

from __future__ import annotations

import json
from pathlib import Path

import click


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
    from generator.github.context import RunContext
    from generator.github.event import append_step_summary
    from generator.review.comment.build import build_comment, post_comment

    run = RunContext.from_env()
    body = build_comment(
        plan_json, env_name, sources, diagram=diagram, status_dir=status_dir, check_job=check_job, run=run
    )
    append_step_summary(run, body + "\n")
    if post:
        click.echo(post_comment(run, body))
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
    from generator.github.context import RunContext
    from generator.github.event import append_outputs, require_outputs
    from generator.paths import project_root

    run = RunContext.from_env()
    if github_output:
        require_outputs(run, "--github-output")
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
    if github_output:
        matrix = json.dumps(result.matrix(), separators=(",", ":"))
        append_outputs(run, "--github-output", {"envs": json.dumps(list(result.envs)), "matrix": matrix})


COMMANDS: list[click.Command] = [comment, affected]
