"""Reading `terraform show -json` of the current state (not of a plan)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def protected_in_state(state: dict[str, Any]) -> list[str]:
    """Addresses in `terraform show -json` state whose deletion protection is on."""
    found = []
    for resource in state_resources(state.get("values", {}).get("root_module", {})):
        values = resource.get("values") or {}
        if values.get("deletion_protection") is True or values.get("enable_deletion_protection") is True:
            found.append(str(resource.get("address")))
    return found


def state_resources(module: dict[str, Any]) -> Iterable[dict[str, Any]]:
    yield from module.get("resources") or []
    for child in module.get("child_modules") or []:
        yield from state_resources(child)


def managed_addresses(state: dict[str, Any]) -> list[str]:
    """Addresses of the managed resources in the state."""
    module = state.get("values", {}).get("root_module", {})
    return [str(r.get("address")) for r in state_resources(module) if r.get("mode") == "managed"]
