"""local up|down|status: the embedded local AWS (moto) that --local commands use."""

from __future__ import annotations

import time

import click

from generator.paths import project_root


@click.group("local")
def local_group() -> None:
    """Manage the local AWS (a moto server on 127.0.0.1, reused by every --local command)."""


@local_group.command("up")
def up_command() -> None:
    """Start the local AWS (or report the running one)."""
    from generator.localaws import server as local_aws

    server, started = local_aws.ensure(project_root())
    verb = "started at" if started else "already running at"
    click.echo(f"local AWS {verb} {server.endpoint} (pid {server.pid})")


@local_group.command("down")
def down_command() -> None:
    """Stop the local AWS; everything created in it is gone."""
    from generator.localaws import server as local_aws

    server = local_aws.down(project_root())
    click.echo(f"local AWS stopped (pid {server.pid})" if server else "local AWS was not running")


@local_group.command("status")
def status_command() -> int:
    """Show whether the local AWS runs (exit 0) or not (exit 1)."""
    from generator.localaws import server as local_aws

    server = local_aws.status(project_root())
    if server is None:
        click.echo("local AWS is not running")
        return 1
    minutes = (time.time() - server.started_at) / 60
    click.echo(f"local AWS running at {server.endpoint} (pid {server.pid}, up {minutes:.0f} min)")
    return 0


COMMANDS: list[click.Command] = [local_group]
