"""Comment text for the plan's parts beside resources: outputs, checks (see planparts)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from generator.review.planparts import OutputChange

_KINDS = {"check": "check block", "resource": "resource pre/postcondition",
          "output_value": "output precondition", "var": "variable validation"}


def output_text(output: OutputChange) -> str:
    """`"a" -> "b"`, `+ (known after apply)`, `removed`; sensitive values only as the mask."""
    if output.action == "destroy":
        return "removed"
    if output.action == "create":
        return f"added, {output.after}"
    return f"{'null' if output.before is None else output.before} -> {'null' if output.after is None else output.after}"


def check_kind(kind: str) -> str:
    return _KINDS.get(kind, kind or "check")


def parts_globals() -> dict[str, Callable[..., Any]]:
    return {"output_text": output_text, "check_kind": check_kind}
