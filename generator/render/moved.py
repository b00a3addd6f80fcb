"""Which resources changed address but not identity: the `moved` blocks of environments/<env>/moved.tf.

Pure: the committed resources (address -> identity attributes), the newly synthesized ones and
the moves declared in Python go in; moves, or a MoveConflict naming the candidates, come out.
A removed address is matched to an added one of the same type whose identity attributes (the
per-type table from the provider schema) are equal and set; references inside them are
compared after earlier matches are applied, so renaming a VPC and its subnets in one change
still matches. Anything short of exactly one candidate on each side is never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from generator.addresses import ADDRESS, resource_type
from generator.hcl.syntax import Attr, Block, Expr, render_block

MOVED_FILE = "moved.tf"
_REFERENCE = re.compile(r"(?<![\w.\"])([a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*)(?![\w-])")
_INTERPOLATION = re.compile(r"\$\{([^}]*)\}")
_BLOCK = re.compile(r"^moved \{\n  from = (\S+)\n  to   = (\S+)\n\}$")


class MoveConflict(ValueError):
    """Moves cannot be decided or written; the message is one line (the caller adds the env)."""


@dataclass(frozen=True)
class Resource:
    """One resource of a Terraform root as far as moves care."""

    address: str  # "aws_db_instance.this"
    file: str  # "rds.tf"
    attrs: Mapping[str, Any]  # top-level values; references as "${aws_vpc.this.id}"
    source: str = ""  # "modules/rds.py:78" (synthesized side)

    @property
    def type(self) -> str:
        return resource_type(self.address)

    @property
    def name(self) -> str:
        return self.address.split(".", 1)[1]


@dataclass(frozen=True)
class Declared:
    """A move the Python states: from `source` to `target`, and where it says so."""

    source: str
    target: str
    where: str  # "moved_from= at modules/rds.py:78" | "Environment.moves in environments/dev/config.py"


@dataclass(frozen=True)
class Move:
    source: str  # the `from` address
    target: str  # the `to` address
    comment: str  # one line naming the Python change, without "# "


def detect(
    old: Mapping[str, Resource],
    new: Mapping[str, Resource],
    declared: Iterable[Declared],
    identity: Mapping[str, Sequence[str]],
) -> list[Move]:
    """Moves from addresses only in `old` to addresses only in `new`, declared ones first."""
    removed = sorted(set(old) - set(new))
    added = sorted(set(new) - set(old))
    moves = _declared_moves(old, new, declared)
    mapping = {address: address for address in old if address in new}
    matched: dict[str, tuple[str, str]] = {}
    progress = True
    while progress:
        progress = False
        mapping.update({m.source: m.target for m in moves.values()})
        mapping.update({source: target for source, (target, _) in matched.items()})
        waiting = [a for a in removed if a not in moves and a not in matched]
        free = [a for a in added if a not in mapping.values()]
        for (_type, key), (sources, targets) in sorted(_groups(waiting, free, old, new, mapping, identity).items()):
            if len(sources) == 1 and len(targets) == 1:
                matched[sources[0]] = (targets[0], _evidence(key))
                progress = True
            else:
                raise MoveConflict(_ambiguity(sources, targets, key))
    found = [_move(old[source], new[target], f"same {why}") for source, (target, why) in matched.items()]
    return sorted([*moves.values(), *found], key=lambda m: (m.target, m.source))


def _declared_moves(
    old: Mapping[str, Resource], new: Mapping[str, Resource], declared: Iterable[Declared]
) -> dict[str, Move]:
    moves: dict[str, Move] = {}
    for item in declared:
        if resource_type(item.source) != resource_type(item.target):
            raise MoveConflict(f"{item.where}: a move keeps the resource type ({item.source} -> {item.target})")
        if item.target not in new:
            raise MoveConflict(f"{item.where}: {item.target} is not in the synthesized configuration")
        if item.source in new:
            raise MoveConflict(f"{item.where}: {item.source} is still in the configuration, so nothing moves")
        if item.source not in old:
            continue  # already carried out by an earlier synth (or never committed): nothing to add
        if item.source in moves and moves[item.source].target != item.target:
            raise MoveConflict(
                f"{item.source} is declared to move to both {moves[item.source].target} and {item.target}"
            )
        moves[item.source] = _move(old[item.source], new[item.target], f"declared by {item.where}")
    return moves


def _groups(
    waiting: list[str],
    free: list[str],
    old: Mapping[str, Resource],
    new: Mapping[str, Resource],
    mapping: Mapping[str, str],
    identity: Mapping[str, Sequence[str]],
) -> dict[tuple[str, tuple[tuple[str, Any], ...]], tuple[list[str], list[str]]]:
    groups: dict[tuple[str, tuple[tuple[str, Any], ...]], tuple[list[str], list[str]]] = {}
    for side, addresses, resources, known in ((0, waiting, old, mapping), (1, free, new, None)):
        for address in addresses:
            key = identity_key(resources[address], identity.get(resource_type(address), ()), known, set(old))
            if key is not None:
                groups.setdefault((resource_type(address), key), ([], []))[side].append(address)
    return {group: pair for group, pair in groups.items() if pair[0] and pair[1]}


def identity_key(
    resource: Resource,
    paths: Sequence[str],
    mapping: Mapping[str, str] | None = None,
    old_addresses: set[str] | frozenset[str] = frozenset(),
) -> tuple[tuple[str, Any], ...] | None:
    """(path, value) of the set identity attributes; None when none is set or a reference is unresolved.

    With `mapping` (old side), references to committed addresses are rewritten to where they
    went; one to an address not decided yet makes the key unresolved for now."""
    key: list[tuple[str, Any]] = []
    for path in paths:
        value = _lookup(resource.attrs, path)
        if value is None:
            continue
        if mapping is not None:
            value = _rewrite(value, mapping, old_addresses)
            if value is None:
                return None
        key.append((path, _hashable(value)))
    return tuple(key) or None


def _lookup(attrs: Mapping[str, Any], path: str) -> Any:
    value: Any = attrs
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def _rewrite(value: Any, mapping: Mapping[str, str], old_addresses: set[str] | frozenset[str]) -> Any:
    if isinstance(value, list):
        items = [_rewrite(item, mapping, old_addresses) for item in value]
        return None if any(item is None for item in items) else items
    if not isinstance(value, str):
        return value
    unresolved = False

    def swap(match: re.Match[str]) -> str:
        nonlocal unresolved
        address = match.group(1)
        if address in mapping:
            return mapping[address]
        unresolved = unresolved or address in old_addresses
        return address

    text = _INTERPOLATION.sub(lambda m: "${" + _REFERENCE.sub(swap, m.group(1)) + "}", value)
    return None if unresolved else text


def _hashable(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_hashable(item) for item in value)
    if isinstance(value, Mapping):
        return tuple(sorted((key, _hashable(item)) for key, item in value.items()))
    return value


def _evidence(key: tuple[tuple[str, Any], ...]) -> str:
    return " and ".join(path for path, _ in key)


def _shown(key: tuple[tuple[str, Any], ...]) -> str:
    return ", ".join(f"{path} = {value!r}" if isinstance(value, str) else f"{path} = {value}" for path, value in key)


def _ambiguity(sources: list[str], targets: list[str], key: tuple[tuple[str, Any], ...]) -> str:
    if len(sources) == 1:
        where = f"cannot tell which of {', '.join(targets)} {sources[0]} became"
    elif len(targets) == 1:
        where = f"cannot tell which of {', '.join(sources)} became {targets[0]}"
    else:
        where = f"cannot pair {', '.join(sources)} with {', '.join(targets)}"
    name = sources[0].split(".", 1)[1]
    return (
        f"{where} (all have {_shown(key)}); declare the move in Python: tracked(..., moved_from={name!r}) "
        f"on the new resource, or Environment(moves={{{sources[0]!r}: {targets[0]!r}}}); nothing was written"
    )


def _move(old: Resource, new: Resource, why: str) -> Move:
    module = new.file.removesuffix(".tf")
    change = (
        f'{new.type} "{old.name}" renamed to "{new.name}"'
        if old.file == new.file
        else f'{new.type} "{old.name}" moved from {old.file} to {new.file} as "{new.name}"'
    )
    where = f" ({new.source})" if new.source else ""
    return Move(old.address, new.address, f"{module}: {change}{where}, {why}")


def merge(existing: Sequence[Move], found: Sequence[Move], declared_addresses: Iterable[str]) -> list[Move]:
    """The moves moved.tf keeps: earlier ones (until pruned) then new ones, as a valid set.

    An earlier move whose `from` is declared again (a resource re-added, or renamed back) must
    go (Terraform rejects moving a declared address); moves into it are redirected where it went.
    """
    declared = set(declared_addresses)
    dropped = {m.source: m.target for m in existing if m.source in declared}
    kept = [replace(m, target=dropped.get(m.target, m.target)) for m in existing if m.source not in declared]
    pairs = {(m.source, m.target) for m in kept}
    result = kept + [m for m in found if (m.source, m.target) not in pairs]
    for attribute in ("source", "target"):
        seen: dict[str, Move] = {}
        for move in result:
            address = getattr(move, attribute)
            if address in seen:
                other = seen[address]
                raise MoveConflict(
                    f"two moves share {'from' if attribute == 'source' else 'to'} {address}: "
                    f"{other.source} -> {other.target} and {move.source} -> {move.target}"
                )
            seen[address] = move
    return result


def render(header: Sequence[str], moves: Sequence[Move]) -> str:
    """moved.tf: the header comment, then each block under its one-line comment (`terraform fmt` exact)."""
    head = "\n".join(f"# {line}" for line in header)
    blocks = ["\n".join([f"# {move.comment}", *render_block(_block(move), 0)]) for move in moves]
    return head + "\n\n" + "\n\n".join(blocks) + "\n"


def _block(move: Move) -> Block:
    return Block("moved", (), [Attr("from", Expr(move.source)), Attr("to", Expr(move.target))])


def parse(text: str) -> list[Move]:
    """The moves of a moved.tf that render() wrote; MoveConflict on anything else."""
    chunks = text.strip("\n").split("\n\n")
    moves = []
    for chunk in chunks[1:]:  # the first is the header comment
        lines = chunk.split("\n")
        comments = [line for line in lines if line.startswith("# ")]
        match = _BLOCK.match("\n".join(lines[len(comments) :]))
        if (
            len(comments) != 1
            or not lines[0].startswith("# ")
            or match is None
            or not all(ADDRESS.match(address) for address in match.groups())
        ):
            raise MoveConflict(
                f"{MOVED_FILE} holds something synth did not write near {lines[0]!r}; "
                "declare moves in Python (moved_from= or Environment.moves) instead of editing it"
            )
        moves.append(Move(match.group(1), match.group(2), comments[0][2:]))
    return moves
