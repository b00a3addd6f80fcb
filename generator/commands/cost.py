"""cost: the monthly estimate of an env (offline plan of its committed HCL) or of any plan JSON."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

import click

from generator.errors import UsageError


@click.command("cost")
@click.argument("target", metavar="ENV|PLAN.json")
@click.option(
    "--usage",
    "usage_file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    metavar="FILE",
    help="Usage assumptions (TOML); default environments/<env>/usage.toml, else built-in defaults.",
)
@click.option("--region", metavar="REGION", help="Price in this region (default: the plan's provider region).")
@click.option("--json", "as_json", is_flag=True, help="Print the estimate as JSON.")
def cost(target: str, usage_file: Path | None, region: str | None, as_json: bool) -> None:
    """Monthly cost of ENV, or of a `terraform show -json` plan (PLAN.json or a plan folder).

    For ENV it plans the committed HCL offline (empty state, no credentials) and prices the
    whole env; for a plan it prices both sides and shows the delta and the changed lines.
    """
    from generator.review.cost.report import estimate_target, report_lines, to_json_document
    from generator.terraform.offlineplan import plan_env

    offline = partial(plan_env, progress=lambda line: click.echo(line, err=True))
    result, whole = estimate_target(target, usage_file=usage_file, region=region, plan_env=offline)
    if as_json:
        click.echo(json.dumps(to_json_document(result), indent=2))
    else:
        click.echo("\n".join(report_lines(result, whole_env=whole)))
    if result.error:
        raise UsageError(result.error)


COMMANDS: list[click.Command] = [cost]
