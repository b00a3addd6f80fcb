"""moved: list an environment's moved blocks, or prune those its state already reflects."""

from __future__ import annotations

import click

from generator.paths import project_root


@click.command("moved")
@click.argument("env")
@click.option("--prune", is_flag=True, help="Remove the moved blocks the state of ENV already reflects.")
@click.option("--dry-run", is_flag=True, help="With --prune: say what would go, write nothing.")
@click.option("--local", is_flag=True, help="Read the state on the embedded local AWS instead of real AWS.")
def moved_command(env: str, prune: bool, dry_run: bool, local: bool) -> None:
    """List ENV's moved blocks (environments/ENV/moved.tf); with --prune, drop the applied ones.

    synth writes a moved block when a resource's address changes but not its identity; it
    stays until the state no longer holds an object at its `from` address.
    """
    from generator.errors import UsageError
    from generator.render import movedfile
    from generator.render.project import load
    from generator.terraform import prune as pruning

    root = project_root()
    if (dry_run or local) and not prune:
        raise UsageError("--dry-run and --local only go with --prune (listing reads no state)")
    if not prune:
        moves = movedfile.existing_moves(load(root, [env])[0].root, env)
        for move in moves:
            click.echo(f"{move.source} -> {move.target}  # {move.comment}")
        click.echo(f"moved: {env}: {len(moves)} moved block(s)", err=True)
        return
    outcome = pruning.prune(root, env, local=local, dry_run=dry_run)
    verb = "would prune" if dry_run else "pruned"
    for move in outcome.pruned:
        click.echo(f"  {verb} {move.source} -> {move.target}")
    for move in outcome.kept:
        click.echo(f"  kept   {move.source} -> {move.target} (the state still has {move.source})")
    if outcome.state_empty:
        click.echo(
            f"moved: the state of {env} is empty (never applied, or not the state you meant); kept every moved block",
            err=True,
        )
    click.echo(f"moved: {env}: {len(outcome.pruned)} {verb}, {len(outcome.kept)} kept", err=True)


COMMANDS: list[click.Command] = [moved_command]
