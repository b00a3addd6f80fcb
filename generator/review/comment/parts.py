"""Comment text pieces shared by the template and the fallback plan text: resource labels,
attribute lines, outputs, checks, and the text plan built from the model (see planparts)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from generator.plan.model import EnvPlan
from generator.plan.parts import OutputChange
from generator.plan.resource import Action, ResourceChange

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# GitHub colours a ```diff block's `+`, `-` and `!` lines, not terraform's `~`: a change is `!`.
_SYMBOL = {Action.CREATE: "+", Action.UPDATE: "!", Action.REPLACE: "!", Action.CREATE_FORGET: "!"}
WRAP = 80  # longer value lines are cut into lines of this many characters, the replacement reason first
_KINDS = {
    "check": "check block",
    "resource": "resource pre/postcondition",
    "output_value": "output precondition",
    "var": "variable validation",
}


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def label(change: ResourceChange) -> str:
    """`create`, `replace`, `import`, `move + update`, ..."""
    extra = [word for word, on in (("import", change.imported), ("move", change.moved_from)) if on]
    if change.action is Action.NOOP:
        return " + ".join(extra) or "no-op"
    return " + ".join([*extra, change.action.value])


def attribute_lines(change: ResourceChange) -> list[str]:
    """Terraform-style lines in GitHub's diff colours: `+ name = "x"`, `! size = 1 -> 2  # forces replacement`."""
    symbol = _SYMBOL.get(change.action, "!")
    lines = []
    for attr in change.attributes:
        if attr.element:  # a set element (or a value in a JSON array) added or removed
            lines.append(f"{'-' if attr.after is None else '+'} {attr.path}: {attr.before or attr.after}")
            continue
        after = "null" if attr.after is None else attr.after
        value = (
            after if change.action is Action.CREATE else f"{'null' if attr.before is None else attr.before} -> {after}"
        )
        lines += _wrapped(symbol, attr.path, value, attr.forces_replacement)
    if change.attributes_omitted:
        lines.append(f"# … {plural(change.attributes_omitted, 'more attribute')}")
    return lines


def _wrapped(symbol: str, path: str, value: str, forces: bool) -> list[str]:
    """One line, or for a long value (a jsonencode policy) the name and the reason on the first line and
    the value cut below it, so the reason is not scrolled off the side of the code block."""
    reason = "  # forces replacement" if forces else ""
    line = f"{symbol} {path} = {value}{reason}"
    if len(line) <= WRAP:
        return [line]
    return [f"{symbol} {path} ={reason}", *(f"{symbol}     {value[i : i + WRAP]}" for i in range(0, len(value), WRAP))]


def output_text(output: OutputChange) -> str:
    """`"a" -> "b"`, `added, (known after apply)`, `removed`; sensitive values only as the mask."""
    if output.action == "destroy":
        return "removed"
    if output.inner:
        return "jsonencode » " + "; ".join(output.inner)
    if output.action == "create":
        return f"added, {output.after}"
    return f"{'null' if output.before is None else output.before} -> {'null' if output.after is None else output.after}"


def check_kind(kind: str) -> str:
    return _KINDS.get(kind, kind or "check")


def _blocks(changes: Sequence[ResourceChange]) -> list[str]:
    return [f"# {c.address}: {label(c)}" + "".join(f"\n    {line}" for line in attribute_lines(c)) for c in changes]


def fallback_text(env: EnvPlan) -> str:
    """A text plan built from the model, for plans recorded without terraform's own text.

    It says what the comment says: a failed plan is never "No changes.", drift, outputs,
    deferred changes and actions show."""
    parts = []
    if env.errored:
        parts.append(
            f"The plan failed{': ' + env.error if env.error else ''}; terraform recorded no complete plan"
            + (", the changes below are partial." if env.changes else ".")
        )
    if env.drift:
        parts.append("Changed outside Terraform (drift):\n" + "\n".join(_blocks(env.drift)))
    parts += _blocks(env.changes)
    if env.outputs:
        parts.append("Changes to outputs:\n" + "\n".join(f"    {o.name}: {output_text(o)}" for o in env.outputs))
    parts += [f"# {d.address}: {d.action} deferred ({d.reason})" for d in env.deferred]
    parts += [
        f"# {a.address}: action runs " + (f"{a.event} of {a.resource}" if a.event else "when invoked")
        for a in env.actions
    ]
    return "\n".join(parts) if parts else "No changes."


def plan_text(env: EnvPlan) -> str:
    return _ANSI.sub("", env.full_text).strip() if env.full_text else fallback_text(env)


def parts_globals() -> dict[str, Callable[..., Any]]:
    return {"output_text": output_text, "check_kind": check_kind}
