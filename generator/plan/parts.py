"""The parts of a plan beside resource changes: outputs, checks, deferred changes, action
invocations (and the words for resource_changes' action_reason).

Each is read from its `terraform show -json` key into a frozen dataclass of the plan model
(generator.plan.model). Output values are masked when terraform marks them sensitive and shown
as "(known after apply)" when unknown; they never leave here as raw secrets.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from generator.plan.attrdiff import SENSITIVE, UNKNOWN, display
from generator.plan.jsondiff import diff_strings

# resource_changes' action_reason -> words
ACTION_REASONS = {
    "replace_because_tainted": "tainted",
    "replace_because_cannot_update": "an attribute cannot change in place",
    "replace_by_request": "replacement requested",
    "replace_by_triggers": "replace_triggered_by changed",
    "delete_because_no_resource_config": "removed from the configuration",
    "delete_because_no_module": "its module was removed",
    "delete_because_wrong_repetition": "count/for_each was added or removed",
    "delete_because_count_index": "count index no longer exists",
    "delete_because_each_key": "for_each key no longer exists",
    "delete_because_no_move_target": "moved block target is missing",
}
# checks statuses that need a reviewer's eye ("pass" needs none)
FAILED_STATUSES = ("fail", "error")
_DEFERRED_REASONS = {
    "instance_count_unknown": "its count/for_each is not known yet",
    "resource_config_unknown": "its configuration is not known yet",
    "provider_config_unknown": "its provider configuration is not known yet",
    "absent_prereq": "something it depends on does not exist yet",
    "deferred_prereq": "something it depends on was deferred",
}


@dataclass(frozen=True)
class OutputChange:
    """One root output whose value changes. before/after are display text; None means absent."""

    name: str
    action: str  # create, update, delete
    before: str | None
    after: str | None
    sensitive: bool = False
    inner: tuple[str, ...] = ()  # a JSON-document value's changed keys; before/after are then None


@dataclass(frozen=True)
class CheckResult:
    """A check (check block, pre/postcondition, variable validation) that did not pass."""

    address: str
    kind: str  # "check", "resource", "output_value", "var"
    status: str  # fail, error, unknown
    problems: tuple[str, ...] = ()

    @property
    def failed(self) -> bool:
        return self.status in FAILED_STATUSES


@dataclass(frozen=True)
class DeferredChange:
    """A resource change terraform postponed to a later plan (Terraform 1.9+ deferred actions)."""

    address: str
    action: str
    reason: str


@dataclass(frozen=True)
class ActionInvocation:
    """A provider action the apply will run (Terraform 1.14 `action_invocations`)."""

    address: str
    event: str | None  # "after update"; None when invoked directly (`terraform apply -invoke`)
    resource: str | None = None  # the resource whose lifecycle event triggers it


def _value(value: Any, sensitive: Any, unknown: Any) -> str | None:
    if unknown is True:
        return UNKNOWN
    if value is None:
        return None
    return SENSITIVE if sensitive not in (False, None, {}, []) else display(value)


def outputs(plan: Mapping[str, Any], classify: Any) -> tuple[OutputChange, ...]:
    """The root outputs that change, in name order. `classify`: resource.classify (actions -> Action)."""
    out = []
    for name, change in sorted((plan.get("output_changes") or {}).items()):
        action = str(classify(change.get("actions", [])).value)
        if action == "no-op":
            continue
        before_sens = change.get("before_sensitive", False)
        after_sens = change.get("after_sensitive", False)
        inner = None if before_sens or after_sens else diff_strings(change.get("before"), change.get("after"))
        if inner:
            out.append(
                OutputChange(
                    name,
                    action,
                    None,
                    None,
                    inner=tuple(
                        f"{leaf.path}: {'-' if leaf.after is None else '+'} {leaf.before or leaf.after}"
                        if leaf.element
                        else f"{leaf.path}: {leaf.before or 'null'} -> {leaf.after or 'null'}"
                        for leaf in inner
                    ),
                )
            )
            continue
        out.append(
            OutputChange(
                name=name,
                action=action,
                before=_value(change.get("before"), before_sens, False),
                after=None
                if action == "destroy"
                else _value(change.get("after"), after_sens, change.get("after_unknown", False)),
                sensitive=bool(before_sens or after_sens),
            )
        )
    return tuple(out)


def checks(plan: Mapping[str, Any]) -> tuple[CheckResult, ...]:
    """Every check that did not pass (failed first), with terraform's problem messages."""
    out = []
    for check in plan.get("checks") or []:
        if check.get("status") == "pass":
            continue
        address = check.get("address") or {}
        problems = [
            str(problem.get("message", ""))
            for instance in check.get("instances") or []
            for problem in instance.get("problems") or []
        ]
        out.append(
            CheckResult(
                address=str(address.get("to_display", "?")),
                kind=str(address.get("kind", "")),
                status=str(check.get("status", "unknown")),
                problems=tuple(dict.fromkeys(problems)),
            )
        )
    return tuple(sorted(out, key=lambda c: (not c.failed, c.address)))


def _reason(item: Mapping[str, Any]) -> str:
    reason = str(item.get("reason", ""))
    return _DEFERRED_REASONS.get(reason, reason.replace("_", " ") or "no reason given")


def deferred(plan: Mapping[str, Any], classify: Any) -> tuple[DeferredChange, ...]:
    """deferred_changes (resources) and deferred_action_invocations (actions), in plan order."""
    out = []
    for item in plan.get("deferred_changes") or []:
        rc = item.get("resource_change") or {}
        out.append(
            DeferredChange(
                address=str(rc.get("address", "?")),
                action=str(classify(rc.get("change", {}).get("actions", [])).value),
                reason=_reason(item),
            )
        )
    for item in plan.get("deferred_action_invocations") or []:
        invocation = item.get("action_invocation") or {}
        out.append(DeferredChange(address=str(invocation.get("address", "?")), action="action", reason=_reason(item)))
    return tuple(out)


def _invocation(item: Mapping[str, Any]) -> ActionInvocation:
    """Terraform spells the lifecycle event "AfterCreate"; it becomes "after create"."""
    lifecycle = item.get("lifecycle_action_trigger")
    address = str(item.get("address", "?"))
    if not isinstance(lifecycle, Mapping):
        return ActionInvocation(address, None)
    event = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", str(lifecycle.get("action_trigger_event", ""))).lower()
    return ActionInvocation(
        address, event.replace("_", " ") or "lifecycle event", str(lifecycle.get("triggering_resource_address", "?"))
    )


def actions(plan: Mapping[str, Any]) -> tuple[ActionInvocation, ...]:
    items: Sequence[Mapping[str, Any]] = plan.get("action_invocations") or []
    return tuple(_invocation(item) for item in items if item)


def is_refresh_only(plan: Mapping[str, Any]) -> bool:
    """A `plan -refresh-only` with drift. terraform's JSON has no flag for the mode (up to format
    1.2); such a plan has resource_drift but no resource_changes key at all, where a normal plan
    lists every resource, no-ops included."""
    if "refresh_only" in plan:  # should a later format add the flag
        return bool(plan["refresh_only"])
    return bool(plan.get("resource_drift")) and "resource_changes" not in plan
