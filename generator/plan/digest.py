"""The reviewed-plan digest: what a plan would do, normalised, so main can apply only what was reviewed.

Per env, from the plan model (EnvPlan): one line per changed resource (`+ aws_x.y create`) and per
changed attribute with its new value (`~ aws_x.y: attribute tags.Owner = "a"`), outputs likewise.
Left out: old values, sensitive values (path only), values known only after apply (path only),
timestamps (RFC 3339 values), drift (applying does not do it), and ordering (lines are sorted).
The digest is sha256 of the sorted lines. The comment records each env's digest in a hidden
marker, and the lines themselves (compressed) when they fit, so a mismatch can say what differs.
"""

from __future__ import annotations

import base64
import hashlib
import re
import zlib
from collections.abc import Iterable, Sequence

from generator.plan.attrdiff import SENSITIVE, UNKNOWN
from generator.plan.model import EnvPlan
from generator.plan.resource import Action, ResourceChange

DIGEST_MARKER = "<!-- hclgen:digest"
LINES_MARKER = "<!-- hclgen:digest-lines"
LINES_BUDGET = 16_000  # characters of compressed lines per comment; over it only the digests stay
_SYMBOL = {
    Action.CREATE: "+",
    Action.UPDATE: "~",
    Action.REPLACE: "-/+",
    Action.DESTROY: "-",
    Action.FORGET: "-",
    Action.CREATE_FORGET: "+/-",
    Action.NOOP: "=",
}
_TIMESTAMP = re.compile(r'^"?\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})"?$')
_DIGESTS = re.compile(r"<!-- hclgen:digest ((?:\S+=sha256:[0-9a-f]{64} ?)*)-->")
_LINES = re.compile(r"<!-- hclgen:digest-lines (\S+) ([A-Za-z0-9+/=]+) -->")


def _value(value: str | None) -> str | None:
    """The new value as recorded: None when it must not count (sensitive, unknown, a timestamp)."""
    if value is None:
        return "null"
    if value in (SENSITIVE, UNKNOWN) or _TIMESTAMP.match(value):
        return None
    return value


def _resource_lines(change: ResourceChange) -> Iterable[str]:
    extra = "".join(
        f" {word}"
        for word, on in (("import", change.imported), (f"moved from {change.moved_from}", change.moved_from))
        if on
    )
    yield f"{_SYMBOL[change.action]} {change.address} {change.action.value}{extra}"
    for attr in change.attributes:
        if attr.element:
            sign, shown = ("-", attr.before) if attr.after is None else ("+", attr.after)
            yield f"~ {change.address}: attribute {attr.path} element {sign} {shown}"
            continue
        value = _value(attr.after)
        yield f"~ {change.address}: attribute {attr.path}" + (f" = {value}" if value is not None else "")
    if change.attributes_omitted:
        yield f"~ {change.address}: {change.attributes_omitted} more attributes"


def digest_lines(env: EnvPlan) -> list[str]:
    """The normalised, sorted lines of what applying this plan does."""
    lines = [line for change in env.changes for line in _resource_lines(change)]
    for output in env.outputs:
        after = None if output.sensitive else "; ".join(output.inner) if output.inner else _value(output.after)
        lines.append(f"~ output {output.name} {output.action}" + (f" = {after}" if after is not None else ""))
    lines += [f"! {action.address} action" for action in env.actions]
    if env.refresh_only:
        lines += [f"~ {change.address} refresh-only" for change in env.drift]
    return sorted(set(lines))


def digest(lines: Sequence[str]) -> str:
    return "sha256:" + hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _pack(lines: Sequence[str]) -> str:
    return base64.b64encode(zlib.compress("\n".join(lines).encode(), 9)).decode()


def _unpack(text: str) -> list[str] | None:
    try:
        return zlib.decompress(base64.b64decode(text)).decode().split("\n")
    except (ValueError, zlib.error, UnicodeDecodeError):
        return None


def block(plans: Sequence[EnvPlan], budget: int = LINES_BUDGET) -> str:
    """The hidden markers for the comment: every planned env's digest, and its lines when they fit."""
    planned = [plan for plan in plans if not plan.errored]
    if not planned:
        return ""
    lines = {plan.env: digest_lines(plan) for plan in planned}
    head = DIGEST_MARKER + " " + " ".join(f"{env}={digest(lines[env])}" for env in sorted(lines)) + " -->"
    packed = [f"{LINES_MARKER} {env} {_pack(lines[env])} -->" for env in sorted(lines)]
    return head if sum(len(p) + 1 for p in packed) > budget else "\n".join([head, *packed])


def recorded(body: str) -> tuple[dict[str, str], dict[str, list[str]]]:
    """(env -> digest, env -> lines when recorded) from a comment body."""
    digests: dict[str, str] = {}
    for found in _DIGESTS.finditer(body):
        for pair in found.group(1).split():
            env, _, value = pair.partition("=")
            digests[env] = value
    lines = {m.group(1): unpacked for m in _LINES.finditer(body) if (unpacked := _unpack(m.group(2))) is not None}
    return digests, lines


def _attribute_key(line: str) -> str | None:
    """`~ addr: attribute path` of a value line (the value dropped), for unknown-vs-known matching."""
    head, sep, _ = line.partition(" = ")
    return head if sep and ": attribute " in head else None


def _matched(line: str, other: set[str], other_heads: set[str]) -> bool:
    """Whether `line` differs from the other plan only as known vs known-after-apply."""
    head = _attribute_key(line)
    return head in other if head is not None else line in other_heads


def differences(reviewed: Sequence[str], fresh: Sequence[str]) -> list[str]:
    """What the fresh plan does that the reviewed one did not (`new: ...`) and the reverse (`gone: ...`).

    An attribute known in one plan and only known after apply in the other is not a difference."""
    old, new = set(reviewed), set(fresh)
    heads_old = {head for line in old if (head := _attribute_key(line))}
    heads_new = {head for line in new if (head := _attribute_key(line))}
    added = [line for line in sorted(new - old) if not _matched(line, old, heads_old)]
    gone = [line for line in sorted(old - new) if not _matched(line, new, heads_new)]
    return [f"new: {line}" for line in added] + [f"gone: {line}" for line in gone]


def describe(found: Sequence[str], limit: int = 3) -> str:
    shown = "; ".join(found[:limit])
    return shown + (f"; and {len(found) - limit} more" if len(found) > limit else "")
