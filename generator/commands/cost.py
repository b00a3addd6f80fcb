"""cost: the monthly estimate of an env (offline plan of its committed HCL) or of any plan JSON."""

from __future__ import annotations

import json
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
    from generator.plan.source import read_plan_json
    from generator.review.cost.report import estimate, plan_file, report_lines, to_json_document

    found = plan_file(target)
    if found is not None:
        plan, name, whole = read_plan_json(found[0]), found[1], False
        if not isinstance(plan, dict) or "format_version" not in plan:
            raise UsageError(f"{found[0]} is not `terraform show -json` output")
    else:
        from generator.paths import project_root
        from generator.render.project import load
        from generator.terraform.offlineplan import offline_plan

        root = project_root()
        loaded = load(root, [target])[0]
        click.echo(f"planning {target} offline (committed HCL, empty state, no credentials)…", err=True)
        plan, name, whole = offline_plan(root, target, loaded.root), target, True
        region = region or loaded.env.region
    result = estimate(name, plan, usage_file=usage_file, region=region)
    if as_json:
        click.echo(json.dumps(to_json_document(result), indent=2))
    else:
        click.echo("\n".join(report_lines(result, whole_env=whole)))
    if result.error:
        raise UsageError(result.error)


COMMANDS: list[click.Command] = [cost]
