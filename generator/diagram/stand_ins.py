"""The boxes a later part of ARCHITECTURE.md links to (the services using a queue, the boxes an alarm
watches), drawn again there as stand-ins: their kind and name, no details. Pure."""

from __future__ import annotations

from dataclasses import replace
from os.path import commonprefix

from generator.diagram.model import Edge, Node


def stand_ins(linked: list[Node], edges: tuple[Edge, ...]) -> tuple[tuple[Node, ...], tuple[Edge, ...]]:
    """Stand-ins for `linked`, and `edges` led to them. Siblings of one kind and title (five ECS
    services) share one stand-in that names them all: one arrow into each box they use instead of
    five side by side, each label with room of its own, which made the part too wide for GitHub."""
    same: dict[tuple[str, str], list[Node]] = {}
    for node in linked:
        same.setdefault((node.kind, node.label[0] if node.label else node.id), []).append(node)
    stubs, alias = [], {}
    for (kind, title), members in same.items():
        if len(members) == 1:
            stubs.append(replace(members[0], place="linked", label=members[0].label[:2]))
            continue
        shared = f"{members[0].id}_and_{len(members) - 1}"
        alias.update({n.id: shared for n in members})
        names = names_lines([n.label[1] for n in members if len(n.label) > 1])
        addresses = tuple(a for n in members for a in n.addresses)
        stubs.append(Node(shared, kind, (f"{len(members)} × {title}", *names), "linked", addresses))
    merged: dict[tuple[str, str], Edge] = {}
    for edge in edges:
        edge = replace(edge, source=alias.get(edge.source, edge.source), target=alias.get(edge.target, edge.target))
        first = merged.setdefault((edge.source, edge.target), edge)
        if edge.label and edge.label not in first.label.split(" · "):
            labels = " · ".join(filter(None, (first.label, edge.label)))
            merged[(edge.source, edge.target)] = replace(first, label=labels)
    return tuple(stubs), tuple(merged.values())


def names_lines(names: list[str]) -> tuple[str, ...]:
    """`app`, `app-api`, `app-worker` -> `app`, `and -api, -worker` (two to a line): the shared stem once, so the
    names stay short enough not to wrap into each other; names with no stem one to a line."""
    stem = commonprefix(names)
    if len(names) < 2 or stem not in names or not all(n == stem or n.startswith(f"{stem}-") for n in names):
        return tuple(names)
    rest = [n[len(stem) :] for n in names if n != stem]
    pairs = [", ".join(rest[i : i + 2]) for i in range(0, len(rest), 2)]  # a pair fits a box's line unbroken
    return (stem, f"and {pairs[0]}", *pairs[1:])


def against(edge: Edge, own: set[str], inward: bool) -> Edge:
    """An arrow pointing back at the stand-ins' side of the part (a schedule's link up to the database
    its task uses, where the stand-ins stand above) as a plain line drawn from the stand-in: Mermaid
    ranks boxes by arrow direction and would lay the two groups side by side for one such arrow."""
    start, end = (edge.source, edge.target) if inward else (edge.target, edge.source)
    backward = start in own and end not in own
    return replace(edge, source=edge.target, target=edge.source, arrow=False) if backward else edge
