"""deploy: roll a new image tag through Terraform so the next apply keeps it (thin wrapper)."""

from __future__ import annotations

import click

from generator.paths import project_root

LOCAL_HELP = "Run against the embedded local AWS (a moto server on 127.0.0.1) instead of real AWS."


@click.command("deploy")
@click.argument("env")
@click.option("--image-tag", required=True, metavar="TAG", help="Image tag (in the env's ECR repository) to run.")
@click.option("--auto-approve", is_flag=True, help="Apply without asking (required without a terminal).")
@click.option(
    "--override-branch-check",
    "override_branch",
    is_flag=True,
    help="Allow a protected env (prod) off a clean main checkout. Loudly reported.",
)
@click.option("--local", is_flag=True, help=LOCAL_HELP)
def deploy_command(env: str, image_tag: str, auto_approve: bool, override_branch: bool, local: bool) -> int:
    """Run image TAG in ENV: write the env's image tag parameter, plan, apply that plan.

    Refuses (and puts the tag back) when the plan would change anything besides the task
    definition and the service: apply main first. With blue/green on, starts the CodeDeploy
    deployment of the new task definition.
    """
    from generator.terraform import deploy

    return deploy.deploy(
        project_root(), env, image_tag, local=local, auto_approve=auto_approve, override_branch=override_branch
    )


COMMANDS: list[click.Command] = [deploy_command]
