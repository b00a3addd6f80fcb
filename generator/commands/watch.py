"""drift (what changed outside Terraform) and report-apply (failed applies are loud)."""

from __future__ import annotations

from pathlib import Path

import click

from generator.errors import ExitCode, HclgenError, UsageError
from generator.paths import project_root
from generator.terraform.multiplan import DEFAULT_JOBS


def _step_summary(text: str) -> None:
    from generator.github.context import RunContext
    from generator.github.event import append_step_summary

    append_step_summary(RunContext.from_env(), text.rstrip("\n") + "\n\n")


@click.command("drift")
@click.argument("envs", nargs=-1, metavar="[ENV]...")
@click.option("--all", "all_envs", is_flag=True, help="Check every environment.")
@click.option("--post", is_flag=True, help="Keep one GitHub issue per drifted env: open, update, close when clean.")
@click.option("--local", is_flag=True, help="Check the embedded local AWS instead of real AWS.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 16),
    default=DEFAULT_JOBS,
    show_default=True,
    help="Environments checked at once.",
)
def drift_command(envs: tuple[str, ...], all_envs: bool, post: bool, local: bool, jobs: int) -> int:
    """Plan environments with -refresh-only and report what changed outside Terraform.

    Exit 0: no drift; 2: drift in any env; 5: an env was never applied (its state holds
    nothing to compare); 1: an error (each failing env named). The plans are
    saved in .hclgen/drift/ENV/; the report is printed (and appended to $GITHUB_STEP_SUMMARY).
    """
    try:
        return _drift(envs, all_envs, post, local, jobs)
    except HclgenError as err:  # exit 2 means drift here: every error is 1 (or 130)
        if err.exit_code != ExitCode.INTERRUPTED:
            err.exit_code = ExitCode.FAILURE
        raise


def _drift(envs: tuple[str, ...], all_envs: bool, post: bool, local: bool, jobs: int) -> int:
    from generator.github import issues as ghissues
    from generator.github.context import RunContext
    from generator.review.reports import drift as driftreport
    from generator.terraform import drift

    root, run = project_root(), RunContext.from_env()
    repo = ghissues.repository_of(run) if post else None  # before minutes of planning
    results = drift.check_many(root, drift.choose(root, envs, all_envs), local=local, jobs=jobs)
    plans = [result.plan for result in results]
    for plan in plans:
        click.echo(driftreport.status_line(plan), err=True)
    text = driftreport.report(plans)
    click.echo(text, nl=False)
    _step_summary(text)
    if repo is not None:
        for line in driftreport.post_issues(repo, plans, run.run_url):
            click.echo(line, err=True)
    return drift.overall(results)


@click.command("report-apply")
@click.argument("env", required=False)
@click.option(
    "--outcome",
    type=click.Choice(["success", "failure", "cancelled"]),
    help="How ENV's apply ended (the apply step's `steps.<id>.outcome`).",
)
@click.option(
    "--log",
    "log_file",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FILE",
    help="The apply's captured output: its error part goes in the comment and the issue "
    "(default: the quiet apply's log, .hclgen/logs/ENV-apply.log, when present).",
)
@click.option("--summary", is_flag=True, help="Summarise the apply run: --envs and --results.")
@click.option("--envs", "envs_json", metavar="JSON", help="With --summary: env names in promotion order.")
@click.option(
    "--results",
    "results_json",
    metavar="JSON",
    help="With --summary: `${{ toJSON(needs) }}` of the apply jobs (job id apply-<env>).",
)
@click.option("--post", is_flag=True, help="Post to GitHub; without it, print what would be posted.")
def report_apply_command(
    env: str | None,
    outcome: str | None,
    log_file: Path | None,
    summary: bool,
    envs_json: str | None,
    results_json: str | None,
    post: bool,
) -> None:
    """Report an apply: on failure comment on the merged pull request of GITHUB_SHA and open or
    update the env's "Apply failed" issue; on success close it. With --summary, print (and
    append to $GITHUB_STEP_SUMMARY) which envs applied, failed, and are still pending."""
    if summary:
        if env or outcome or log_file or post:
            raise UsageError("--summary takes only --envs and --results")
        if envs_json is None or results_json is None:
            raise UsageError("--summary needs --envs JSON and --results JSON")
        from generator.review.reports.applysummary import summarize

        text, _ = summarize(envs_json, results_json)
        click.echo(text, nl=False)
        _step_summary(text)
        return
    if not env or not outcome:
        raise UsageError("name the ENV and its --outcome (success, failure or cancelled), or pass --summary")
    if envs_json or results_json:
        raise UsageError("--envs and --results go with --summary")
    from generator.github.context import RunContext
    from generator.review.reports import apply as applyreport
    from generator.terraform import tflog

    root = project_root()
    default = tflog.log_path(root, env, "apply")
    log_file = log_file or (default if default.is_file() else None)
    click.echo(applyreport.report(root, env, outcome, log_file, RunContext.from_env(), post=post))


COMMANDS: list[click.Command] = [drift_command, report_apply_command]
