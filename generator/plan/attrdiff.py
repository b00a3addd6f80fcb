"""Attribute-level diff of one `terraform show -json` resource change, with secrets masked.

Values terraform marks sensitive (before_sensitive / after_sensitive) never leave this module
as text: only the mask does (a sensitive JSON string is masked whole, never decoded). Unknown
values (after_unknown) become "(known after apply)". Strings holding JSON documents are diffed
inside, by key (generator.plan.jsondiff); set-typed attributes (known from the provider schema,
generator.plan.schema) are diffed as sets: added and removed elements, not shifted positions.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from generator.plan.jsondiff import JSON_MARK, compact, decode, diff_strings, empty

SENSITIVE = "(sensitive value)"
UNKNOWN = "(known after apply)"
MAX_VALUE_CHARS = 160
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")

SET_IDENTITY_KEYS = ("name", "key", "id")  # a set element keeping one of these is the same element


@dataclass(frozen=True)
class Member:
    """A set element named by an identity key: `inline_policy[name="read"]` in a path."""

    key: str
    value: str


KeyPath = tuple[str | int | Member, ...]


@dataclass(frozen=True)
class AttributeChange:
    """One leaf attribute that changes. before/after are display text; None means absent."""

    path: str
    before: str | None
    after: str | None
    forces_replacement: bool = False
    element: bool = False  # a set element added (after) or removed (before), not a changed value


@dataclass(frozen=True)
class _Leaf:
    path: KeyPath
    before: str | None
    after: str | None
    inner: str = ""  # the path inside a JSON-document string, after JSON_MARK
    element: bool = False


def display(value: Any) -> str:
    """Compact one-line rendering of a JSON value, long values shortened.

    A string holding a JSON object or array (a policy, container definitions) is shown as
    `jsonencode({...})`, as terraform does, instead of as an escaped string.
    """
    decoded = decode(value)
    text = compact(value if decoded is None else decoded)
    if decoded is not None:
        text = f"jsonencode({text})"
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


def format_path(path: KeyPath) -> str:
    """`tags.Team`, `ingress[0].cidr_blocks[1]`, `tags["a b"]`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(part, Member):
            out += f"[{part.key}={json.dumps(part.value, ensure_ascii=False)}]"
        elif _IDENTIFIER.match(part):
            out += f".{part}" if out else part
        else:
            out += f"[{json.dumps(part, ensure_ascii=False)}]"
    return out or "(whole resource)"


def _empty(value: Any) -> bool:
    return empty(value)


def _get(value: Any, key: str | int) -> Any:
    """The value below a key, None when absent."""
    if isinstance(value, dict) and isinstance(key, str):
        return value.get(key)
    if isinstance(value, list) and isinstance(key, int) and key < len(value):
        return value[key]
    return None


def _mark(marks: Any, key: str | int) -> Any:
    """The sensitive/unknown marker below a key: a True marker covers everything beneath it."""
    return True if marks is True else (_get(marks, key) or False)


def _keys(before: Any, after: Any, unknown: Any) -> list[str | int] | None:
    """The child keys of a container pair, or None when this is a leaf."""
    sides = [v for v in (before, after, unknown) if v is not None and not isinstance(v, bool)]
    if not sides or not all(isinstance(v, (dict, list)) for v in sides):
        return None
    if all(isinstance(v, dict) for v in sides):
        return sorted({key for side in sides for key in side})
    if all(isinstance(v, list) for v in sides):
        return list(range(max(len(side) for side in sides)))
    return None


def schema_path(path: KeyPath) -> str:
    """`ingress.cidr_blocks` for ("ingress", 0, "cidr_blocks"): the provider schema's view."""
    return ".".join(part for part in path if isinstance(part, str))


def marked(marks: Any) -> bool:
    """Whether a sensitive/unknown marker tree marks anything at all."""
    if isinstance(marks, dict):
        return any(marked(v) for v in marks.values())
    if isinstance(marks, list):
        return any(marked(v) for v in marks)
    return marks is True


def _pruned(value: Any) -> Any:
    """A set element without its empty attributes (null, "", [], {}), which providers flip between."""
    return {k: v for k, v in value.items() if not _empty(v)} if isinstance(value, dict) else value


def _named(items: list[Any], key: str) -> dict[str, Any]:
    """Elements by their value of `key`, only names that occur once."""
    names = [item.get(key) for item in items if isinstance(item, dict) and isinstance(item.get(key), str)]
    return {
        item[key]: item
        for item in items
        if isinstance(item, dict) and isinstance(item.get(key), str) and names.count(item[key]) == 1
    }


def _set_leaves(before: list[Any], after: list[Any], path: KeyPath) -> Iterator[_Leaf]:
    """Removed and added elements; one removed and one added with the same name (an inline
    policy whose document changed) are diffed inside instead, JSON strings included."""
    old, new = [compact(_pruned(v)) for v in before], [compact(_pruned(v)) for v in after]
    removed = [value for value, text in zip(before, old) if text not in new]
    added = [value for value, text in zip(after, new) if text not in old]
    for key in SET_IDENTITY_KEYS:
        gone, came = _named(removed, key), _named(added, key)
        for name in [name for name in gone if name in came]:
            yield from _walk(gone[name], came[name], (False, False), False, (*path, Member(key, name)))
            removed.remove(gone[name])
            added.remove(came[name])
    yield from (_Leaf(path, display(_pruned(value)), None, element=True) for value in removed)
    yield from (_Leaf(path, None, display(_pruned(value)), element=True) for value in added)


def _leaf(before: Any, after: Any, path: KeyPath) -> Iterator[_Leaf]:
    inner = diff_strings(before, after)
    if inner is not None:
        for item in inner:
            yield _Leaf(path, item.before, item.after, item.path, item.element)
    elif before != after and not (_empty(before) and _empty(after)):
        yield _Leaf(path, None if before is None else display(before), None if after is None else display(after))


def _walk(
    before: Any, after: Any, sens: tuple[Any, Any], unknown: Any, path: KeyPath, sets: frozenset[str] = frozenset()
) -> Iterator[_Leaf]:
    before_sens, after_sens = sens
    if before_sens is True or after_sens is True:
        if unknown is True or (before != after and not (_empty(before) and _empty(after))):
            yield _Leaf(
                path,
                None if before is None else SENSITIVE,
                UNKNOWN if unknown is True else (None if after is None else SENSITIVE),
            )
        return
    if unknown is True:
        yield _Leaf(path, None if before is None else display(before), UNKNOWN)
        return
    keys = _keys(before, after, unknown)
    if keys is None:
        yield from _leaf(before, after, path)
        return
    if (
        path
        and schema_path(path) in sets
        and isinstance(before or [], list)
        and isinstance(after or [], list)
        and not any(marked(m) for m in (*sens, unknown))
    ):
        yield from _set_leaves(before or [], after or [], path)
        return
    for key in keys:
        yield from _walk(
            _get(before, key),
            _get(after, key),
            (_mark(before_sens, key), _mark(after_sens, key)),
            _mark(unknown, key),
            (*path, key),
            sets,
        )


def _forces(path: KeyPath, replace_paths: Sequence[KeyPath]) -> bool:
    return any(path[: len(rp)] == rp for rp in replace_paths)


def _computed_noise(leaf: _Leaf, configured: frozenset[str] | None, replacing: bool) -> bool:
    if leaf.path[:1] == ("tags_all",):  # tags plus the provider's default_tags, on every resource
        return True
    unset = configured is not None and bool(leaf.path) and leaf.path[0] not in configured
    # A replacement's computed attributes all become unknown, and the ones only the old
    # object had (provider defaults, never configured) become null.
    return unset and (leaf.after == UNKNOWN or (replacing and leaf.after is None))


def attribute_changes(
    change: dict[str, Any],
    *,
    creating: bool,
    replacing: bool = False,
    configured: frozenset[str] | None = None,
    sets: frozenset[str] = frozenset(),
) -> list[AttributeChange]:
    """The leaves that differ between before and after, those forcing a replacement first.

    For a create or a replace, unknown computed attributes (id, arn, ...) are left out unless
    the configuration sets that attribute (e.g. vpc_id = aws_vpc.this.id), and so is tags_all:
    they are noise there (a replace also drops unconfigured attributes that become null).
    Updates keep both, since a default tag change shows only there. `sets`: the resource's
    set-typed attribute paths (generator.plan.schema.set_paths).
    """
    before = None if creating else change.get("before")
    sens = (change.get("before_sensitive", False), change.get("after_sensitive", False))
    replace_paths = [tuple(p) for p in change.get("replace_paths") or [] if isinstance(p, list)]
    out: list[AttributeChange] = []
    for leaf in _walk(before, change.get("after"), sens, change.get("after_unknown", False), (), sets):
        if (creating or replacing) and _computed_noise(leaf, configured, replacing):
            continue
        path = format_path(leaf.path) + (JSON_MARK + leaf.inner if leaf.inner else "")
        out.append(AttributeChange(path, leaf.before, leaf.after, _forces(leaf.path, replace_paths), leaf.element))
    return sorted(out, key=lambda attr: not attr.forces_replacement)  # stable: path order otherwise
