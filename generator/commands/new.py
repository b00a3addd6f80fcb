"""new env / new module: start an environment or a module from what the project already has."""

from __future__ import annotations

import click

from generator.paths import project_root
from generator.program import command


@click.group()
def new() -> None:
    """Start a new environment (`new env NAME --from ENV`) or module (`new module NAME`)."""


@new.command("env")
@click.argument("name")
@click.option("--from", "source", required=True, metavar="ENV", help="The environment to copy.")
@click.option("--cidr", default=None, help="The new VPC's range (default: the next free block of ENV's size).")
def new_env(name: str, source: str, cidr: str | None) -> None:
    """Create environments/NAME from ENV: its own name, state bucket and key, a VPC range that overlaps
    no other env, ENV's provider lock file and usage.toml; then render every env and the workflows."""
    from generator.scaffold.newenv import create_env

    root = project_root()
    planned, written, diffs = create_env(root, name, source, cidr)
    for path in written:
        click.echo(f"  created {path.relative_to(root)}")
    for diff in diffs:
        for name in (*diff.created, *diff.updated):
            click.echo(f"  {'created' if name in diff.created else 'updated'} {name}")
    click.echo(
        f"new env {name}: VPC {planned.cidr or '(none)'}, state s3://{planned.state_bucket}; "
        f"next: `{command('bootstrap', name)}`, then `{command('plan', name)}`",
        err=True,
    )


@new.command("module")
@click.argument("name")
def new_module(name: str) -> None:
    """Create modules/NAME.py (typed inputs, a construct, a docstring) and tests/test_module_NAME.py,
    a test that renders the module and lets terraform validate it. See docs/writing-a-module.md."""
    from generator.scaffold.newmodule import plan_module, write_module

    root = project_root()
    for path in write_module(plan_module(root, name)):
        click.echo(f"  created {path.relative_to(root)}")
    click.echo(
        f"new module {name}: run `pytest tests/test_module_{name}.py`; wire it into an env as "
        "docs/writing-a-module.md shows",
        err=True,
    )


COMMANDS = [new]
