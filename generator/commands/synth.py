"""synth, diff, envs: render environments to HCL, check them, show what would change."""

from __future__ import annotations

import time

import click

from generator.errors import StaleError
from generator.paths import project_root
from generator.program import command
from generator.render import pipeline
from generator.render.project import env_names, env_table


@click.command()
@click.argument("envs", nargs=-1, metavar="[ENV]...")
@click.option("--check", is_flag=True, help="Write no HCL; exit 1 listing stale files if the HCL is out of date.")
@click.option("--no-cache", is_flag=True, help="Always re-render instead of trusting the hash cache.")
def synth(envs: tuple[str, ...], check: bool, no_cache: bool) -> None:
    """Render environments (all by default) to environments/<env>/*.tf."""
    root = project_root()
    if check:
        _check(root, envs, no_cache)
        return
    started = time.monotonic()
    if not no_cache and pipeline.unchanged(root, envs):  # nothing to write: node is not even started
        count = len(envs) or len(env_names(root))
        click.echo(f"synth: {count} environment(s), no changes (inputs unchanged since the last render)", err=True)
        return
    rendered = pipeline.render(root, envs, progress=lambda env: click.echo(f"rendered {env}", err=True))
    diffs = pipeline.write(root, rendered)
    changed = 0
    for diff in diffs:
        for label, paths in (("created", diff.created), ("updated", diff.updated), ("removed", diff.removed)):
            for path in paths:
                click.echo(f"  {label} {path}")
                changed += 1
    summary = f"{changed} file(s) changed" if changed else "no changes"
    click.echo(f"synth: {len(rendered)} environment(s), {summary} ({time.monotonic() - started:.1f}s)", err=True)


def _check(root: object, envs: tuple[str, ...], no_cache: bool) -> None:
    stale = pipeline.stale_paths(root, envs, use_cache=not no_cache)  # type: ignore[arg-type]
    if stale:
        for path in stale:
            click.echo(f"  stale {path}", err=True)
        target = " ".join(envs)
        raise StaleError(
            f"{len(stale)} generated file(s) differ from the Python; run `{command('synth')}"
            f"{' ' + target if target else ''}` and commit the result"
        )
    click.echo("synth --check: generated HCL is up to date", err=True)


@click.command()
@click.argument("env")
def diff(env: str) -> None:
    """Show the unified diff that `synth ENV` would apply."""
    diffs = pipeline.unified_diffs(project_root(), env)
    for text in diffs:
        click.echo(text, nl=False)
    if not diffs:
        click.echo(f"{env}: no changes", err=True)


@click.command()
def envs() -> None:
    """List environments with their regions and state backends."""
    for line in env_table(project_root()):
        click.echo(line)


COMMANDS: list[click.Command] = [synth, diff, envs]
