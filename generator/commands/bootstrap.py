"""bootstrap: create or verify an environment's S3 state bucket."""

from __future__ import annotations

import click

from generator.paths import project_root


@click.command("bootstrap")
@click.argument("env")
@click.option("--local", is_flag=True, help="Bootstrap on the embedded local AWS instead of real AWS.")
@click.option("--repair", is_flag=True, help="Apply the settings an existing bucket lacks.")
def bootstrap_command(env: str, local: bool, repair: bool) -> None:
    """Create ENV's state bucket (versioned, encrypted, private, TLS-only); idempotent."""
    from generator.terraform import statebucket

    for line in statebucket.bootstrap(project_root(), env, local=local, repair=repair):
        click.echo(line)


COMMANDS: list[click.Command] = [bootstrap_command]
