"""One resource in the plan model: terraform's action list -> Action, a resource_changes (or
resource_drift) entry -> ResourceChange with its attribute diff and the file:line that defined it.
Pure; generator.plan.model builds each env's EnvPlan from these."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from generator import facts
from generator.plan import parts as planparts
from generator.plan.attrdiff import AttributeChange, attribute_changes
from generator.plan.schema import set_paths

MAX_ATTRIBUTES = 40  # per resource in the comment; the full plan text has them all

_INDEX = re.compile(r"\[[^\]]*\]")


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    REPLACE = "replace"
    DESTROY = "destroy"
    FORGET = "forget"  # removed from the state; the object itself stays (and still costs)
    CREATE_FORGET = "create + forget"  # replaced, but the old object is only forgotten, not deleted
    NOOP = "no-op"


@dataclass(frozen=True)
class ResourceChange:
    """One managed resource that the plan touches."""

    address: str
    type: str
    action: Action
    stateful: bool
    imported: bool = False
    moved_from: str | None = None
    reason: str | None = None
    source: str | None = None
    attributes: tuple[AttributeChange, ...] = ()
    attributes_omitted: int = 0

    @property
    def destructive(self) -> bool:
        return self.action in (Action.DESTROY, Action.REPLACE)


def classify(actions: Sequence[str]) -> Action:
    """terraform's action list -> one action (["delete","create"] in either order = replace).

    Only lists planjson.KNOWN_ACTIONS admits reach here from a plan file."""
    kinds = set(actions)
    if {"delete", "create"} <= kinds:
        return Action.REPLACE
    if {"create", "forget"} <= kinds:
        return Action.CREATE_FORGET
    for name, action in (
        ("delete", Action.DESTROY),
        ("create", Action.CREATE),
        ("update", Action.UPDATE),
        ("forget", Action.FORGET),
    ):
        if name in kinds:
            return action
    return Action.NOOP


def source_of(address: str, sources: Mapping[str, str]) -> str | None:
    """The defining file:line; instance keys ([0], ["a"]) are ignored when not mapped."""
    return sources.get(address) or sources.get(_INDEX.sub("", address))


def configured_keys(plan: Mapping[str, Any]) -> dict[tuple[str, str], frozenset[str]]:
    """(module path without instance keys, "type.name") -> attributes set in configuration."""
    out: dict[tuple[str, str], frozenset[str]] = {}

    def visit(module: Mapping[str, Any], prefix: str) -> None:
        for res in module.get("resources", []):
            out[(prefix, f"{res.get('type')}.{res.get('name')}")] = frozenset(res.get("expressions", {}))
        for name, call in module.get("module_calls", {}).items():
            child = f"{prefix}.module.{name}" if prefix else f"module.{name}"
            visit(call.get("module", {}), child)

    visit(plan.get("configuration", {}).get("root_module", {}), "")
    return out


def resource_change(
    rc: Mapping[str, Any], sources: Mapping[str, str], configured: Mapping[tuple[str, str], frozenset[str]]
) -> ResourceChange:
    change = rc.get("change", {})
    action = classify(change.get("actions", []))
    address = rc["address"] + (f" (deposed {rc['deposed']})" if rc.get("deposed") else "")
    previous = rc.get("previous_address")
    attrs: list[AttributeChange] = []
    if action in (Action.CREATE, Action.UPDATE, Action.REPLACE, Action.CREATE_FORGET):
        module = _INDEX.sub("", rc.get("module_address", ""))
        keys = configured.get((module, f"{rc.get('type')}.{rc.get('name')}"))
        attrs = attribute_changes(
            change,
            creating=action is Action.CREATE,
            replacing=action is Action.REPLACE,
            configured=keys,
            sets=set_paths(rc.get("type", "")),
        )
    reason = rc.get("action_reason")
    return ResourceChange(
        address=address,
        type=rc.get("type", ""),
        action=action,
        stateful=facts.is_stateful(rc.get("type", "")),
        imported="importing" in change,
        moved_from=previous if previous and previous != rc["address"] else None,
        reason=planparts.ACTION_REASONS.get(reason, reason.replace("_", " ")) if reason else None,
        source=source_of(rc["address"], sources),
        attributes=tuple(attrs[:MAX_ATTRIBUTES]),
        attributes_omitted=max(0, len(attrs) - MAX_ATTRIBUTES),
    )
