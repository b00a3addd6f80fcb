"""policy: the checkov findings a change introduces or fixes, per env, for the plan comment."""

from __future__ import annotations

import click


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
    from generator.paths import project_root
    from generator.review.policy.report import scan_envs, summary_lines

    for result in scan_envs(project_root(), envs, base, affected=affected, install=install):
        click.echo("\n".join(summary_lines(result)))


COMMANDS: list[click.Command] = [policy]
