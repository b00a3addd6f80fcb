"""A plan -> the env's compact architecture diagram with the boxes it touches marked. Pure.

The picture is built from the plan alone (its resources, their configuration references and
planned values), so it needs no synth; a resource that is not drawn itself (a route, a listener)
marks the box it belongs to. It comes in the parts of ARCHITECTURE.md, so each fits GitHub's column:
the request path and network always, each other part (monitoring, CI/CD...) when the plan touches it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import PurePosixPath
from typing import Any

from generator.diagram.build import build
from generator.diagram.graph import from_plan
from generator.diagram.mermaid import MARKS, mermaid, parts
from generator.diagram.model import Pictures

# A move or an import alone changes nothing in AWS: any real change of the same box outranks it.
_SEVERITY = {mark: rank for rank, mark in enumerate(("moved", "imported", "added", "changed", "replaced", "destroyed"))}
assert set(_SEVERITY) == set(MARKS)
# GitHub renders Mermaid up to 50,000 characters; a picture of hundreds of boxes helps no reviewer.
MAX_DIAGRAM_CHARS = 20_000


def mark_of(actions: Sequence[str]) -> str | None:
    """terraform's action list -> added/changed/replaced/destroyed (None: no change)."""
    kinds = set(actions)
    if {"delete", "create"} <= kinds:
        return "replaced"
    for action, mark in (("delete", "destroyed"), ("create", "added"), ("update", "changed")):
        if action in kinds:
            return mark
    return None


def _mark(change: Mapping[str, Any]) -> str | None:
    """The action's mark; a resource only moved (previous_address) or imported (change.importing) is marked so."""
    detail = change.get("change", {})
    mark = mark_of(detail.get("actions", []))
    if mark is not None:
        return mark
    if "importing" in detail:
        return "imported"
    return "moved" if change.get("previous_address") else None


def plan_diagram(env: str, plan: Mapping[str, Any], sources: Mapping[str, str] | None = None) -> Pictures | None:
    """The compact diagram's parts; None when the plan changes no resource or a part is too big."""
    changes = {
        str(rc["address"]): mark
        for rc in plan.get("resource_changes", [])
        if rc.get("mode", "managed") == "managed" and (mark := _mark(rc)) is not None
    }
    if not changes:
        return None
    modules = {address: PurePosixPath(source.rsplit(":", 1)[0]).stem for address, source in (sources or {}).items()}
    diagram = build(env, from_plan(plan, modules))
    drawn = {address for node in diagram.nodes for address in node.addresses} | {
        address for address, owner in diagram.owners.items() if owner == "vpc"
    }
    marks: dict[str, str] = {}
    # A box takes its own resource's mark; a change to a part of it (a rule, a route) only changes it.
    for own in (True, False):
        for address, mark in sorted(changes.items()):
            owner = diagram.owners.get(address)
            if owner is None or (address in drawn) != own or (not own and owner in marks):
                continue
            mark = mark if own or mark in ("moved", "imported") else "changed"
            if _SEVERITY[mark] > _SEVERITY.get(marks.get(owner, ""), -1):
                marks[owner] = mark
    pictures = tuple(
        (title, mermaid(part, marks))
        for index, (title, part) in enumerate(parts(diagram))
        if index == 0 or any(n.place != "linked" and n.id in marks for n in part.nodes)
    )
    return pictures if all(len(text) <= MAX_DIAGRAM_CHARS for _, text in pictures) else None
