"""Diffs of JSON documents held in string attributes (IAM policies, ECS container definitions).

Terraform shows such a string as one value, so an env var changed deep inside
`container_definitions` is a 2 kB line against another. Here both sides are decoded and walked
by key: only the leaves that differ come out, each with its path inside the document. Arrays of
objects that carry an identity (`name`, `Sid`) are matched by it, so inserting one env var does
not shift the others; arrays of plain values are compared as sets (IAM `Action` lists are
unordered), reporting added and removed elements.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

IDENTITY_KEYS = ("name", "Sid", "sid", "containerName", "id")
JSON_MARK = " » "  # between the attribute's path and the path inside its document


@dataclass(frozen=True)
class JsonLeaf:
    """One difference inside a document. element: an added/removed member of an array of values."""

    path: str
    before: str | None
    after: str | None
    element: bool = False


def decode(value: Any) -> dict[str, Any] | list[Any] | None:
    """The object or array a string holds, None when it holds anything else."""
    if not isinstance(value, str) or value.lstrip()[:1] not in ("{", "["):
        return None
    try:
        decoded = json.loads(value)
    except ValueError:
        return None
    return decoded if isinstance(decoded, (dict, list)) else None


def compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "), sort_keys=True)


def _step(path: str, key: str) -> str:
    if key.startswith("["):
        return path + key
    return f"{path}.{key}" if path else key


def empty(value: Any) -> bool:
    """null, "", [] and {}: providers normalise between these without a real change."""
    return value is None or value == "" or value == {} or value == []


def _identity(items: list[Any]) -> str | None:
    """The key that names every object of one array uniquely, if there is one."""
    if not items or not all(isinstance(item, dict) for item in items):
        return None
    for key in IDENTITY_KEYS:
        values = [item.get(key) for item in items]
        if all(isinstance(v, str) and v for v in values) and len(set(values)) == len(values):
            return key
    return None


def _array(before: list[Any], after: list[Any], path: str) -> Iterator[JsonLeaf]:
    if all(not isinstance(v, (dict, list)) for v in [*before, *after]):
        old, new = [compact(v) for v in before], [compact(v) for v in after]
        for text in old:
            if text not in new:
                yield JsonLeaf(path, text, None, element=True)
        for text in new:
            if text not in old:
                yield JsonLeaf(path, None, text, element=True)
        return
    key = _identity(before) if before else _identity(after)
    if key is not None and after and _identity(after) != key:
        key = None
    if key is None:
        for index in range(max(len(before), len(after))):
            yield from walk(
                before[index] if index < len(before) else None,
                after[index] if index < len(after) else None,
                f"{path}[{index}]",
            )
        return
    by_old = {item[key]: item for item in before}
    by_new = {item[key]: item for item in after}
    for name in [*by_old, *(name for name in by_new if name not in by_old)]:
        yield from walk(by_old.get(name), by_new.get(name), f"{path}[{json.dumps(name, ensure_ascii=False)}]")


def walk(before: Any, after: Any, path: str = "") -> Iterator[JsonLeaf]:
    """The differing leaves of two decoded documents (None: absent on that side)."""
    if empty(before) and empty(after):
        return
    if isinstance(before, dict) and isinstance(after, dict):
        for key in sorted({*before, *after}):
            yield from walk(before.get(key), after.get(key), _step(path, key))
    elif isinstance(before, list) and isinstance(after, list):
        yield from _array(before, after, path)
    elif before != after and not (empty(before) and empty(after)):
        yield JsonLeaf(path, None if before is None else compact(before), None if after is None else compact(after))


def diff_strings(before: Any, after: Any) -> list[JsonLeaf] | None:
    """The differences of two JSON-document strings; None unless both sides are documents."""
    old, new = decode(before), decode(after)
    if old is None or new is None:
        return None
    return list(walk(old, new))
