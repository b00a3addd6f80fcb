"""`moved --prune ENV`: drop the moved blocks the state already reflects.

A block is still needed while the state holds an object at its `from` address (the move has
not been applied there yet). Once no object sits at `from`, the block only documents history
and goes. The state is read with `terraform state list` through the env's Workspace.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.render import movedfile, writer
from generator.render.moved import MOVED_FILE, Move
from generator.terraform import diagnostics, workspace


@dataclass(frozen=True)
class Pruned:
    kept: tuple[Move, ...]
    pruned: tuple[Move, ...]
    state_empty: bool = False


def pending(move: Move, state: Iterable[str]) -> bool:
    """True while the state still holds the object (or an instance of it) at `from`."""
    return any(address == move.source or address.startswith(move.source + "[") for address in state)


def split(moves: Sequence[Move], state: Sequence[str]) -> Pruned:
    """Keep the pending moves; with an empty state (never applied, or the wrong one) keep all."""
    if not state:
        return Pruned(tuple(moves), (), state_empty=True)
    kept = tuple(m for m in moves if pending(m, state))
    return Pruned(kept, tuple(m for m in moves if m not in kept))


def state_addresses(ws: workspace.Workspace) -> list[str]:
    workspace.init(ws)
    result = ws.run("state", "list", echo_stdout=False)
    diagnostics.check(result, env=ws.name, what="state list", local_flag=ws.local_flag())
    return result.stdout.split()


def prune(root: Path, env: str, *, local: bool, dry_run: bool = False) -> Pruned:
    """Rewrite environments/<env>/moved.tf without the moves the state reflects (delete it when none stays)."""
    from generator.terraform.operations import open_workspace

    ws = open_workspace(root, env, local=local)
    moves = movedfile.existing_moves(ws.tf_root, env)
    if not moves:
        return Pruned((), ())
    outcome = split(moves, state_addresses(ws))
    if outcome.pruned and not dry_run:
        writer.apply({ws.tf_root / MOVED_FILE: movedfile.text(env, outcome.kept)})
    return outcome
