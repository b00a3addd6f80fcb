"""policy: the checkov findings a change introduces or fixes, per env, for the plan comment."""

from __future__ import annotations

import click

from generator.errors import UsageError


@click.command("policy")
@click.argument("envs", nargs=-1, metavar="[ENV]...")
@click.option(
    "--base", default="origin/main", show_default=True, metavar="REF", help="Compare with the env's HCL at this commit."
)
@click.option("--affected", is_flag=True, help="Only the envs the change since --base touches.")
@click.option("--install", is_flag=True, help="First install checkov into its own virtualenv (.hclgen/tools/checkov).")
def policy(envs: tuple[str, ...], base: str, affected: bool, install: bool) -> None:
    """Run checkov on each env now and at --base; save what the change introduces or fixes.

    Results go to .hclgen/policy/<env>.json, which `comment` shows. Findings listed in the
    committed .checkov.baseline are left out. checkov never goes into hclgen's own virtualenv.
    """
    from generator.changes.changed import affected_since
    from generator.paths import project_root
    from generator.render.project import load
    from generator.review.policy.findings import ENABLE_HINT
    from generator.review.policy.report import scan_and_save, summary_lines
    from generator.review.policy.toolvenv import find_checkov, install_checkov

    root = project_root()
    executable = install_checkov(root) if install else find_checkov(root)
    if executable is None:
        raise UsageError(ENABLE_HINT)
    if affected and envs:
        raise UsageError("pass env names or --affected, not both")
    names = list(affected_since(root, base).envs) if affected else [item.env.name for item in load(root, list(envs))]
    for name in names:
        click.echo("\n".join(summary_lines(scan_and_save(root, name, base, executable))))


COMMANDS: list[click.Command] = [policy]
