"""`convert --tidy-names`: readable names for cdktf's hashed ones, with `moved` blocks from the old addresses.

cdktf names a resource of a nested construct by its path plus an 8-digit hash
(`aws_sqs_queue.jobs_queue_1A2B3C4D`). Dropping the hash reads better; the state still knows the
old address, so each renamed resource gets a `moved` block and every reference is rewritten. A
name whose tidy form is taken keeps its hash.
"""

from __future__ import annotations

import re
from typing import Any

_HASHED = re.compile(r"^(?P<base>[A-Za-z_][A-Za-z0-9_-]*?)_(?P<hash>[0-9A-F]{8})$")
_REFERENCE = re.compile(r"(?<![\w.-])(data\.)?([A-Za-z][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)(?![\w-])")


def tidy(document: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """The document with tidy names, references rewritten and moved blocks added; and how many were renamed."""
    renames: dict[tuple[str, str, str], str] = {}
    for kind in ("resource", "data"):
        section = document.get(kind)
        if not isinstance(section, dict):
            continue
        for type_name, named in section.items():
            if not isinstance(named, dict):
                continue
            taken = set(named)
            for name in named:
                match = _HASHED.match(name)
                if match and match.group("base") not in taken:
                    taken.add(match.group("base"))
                    renames[(kind, type_name, name)] = match.group("base")
    if not renames:
        return document, 0
    tidied: dict[str, Any] = _rewrite(document, renames)
    for kind in ("resource", "data"):
        for type_name, named in tidied.get(kind, {}).items() if isinstance(tidied.get(kind), dict) else []:
            if isinstance(named, dict):
                tidied[kind][type_name] = {
                    renames.get((kind, type_name, name), name): spec for name, spec in named.items()
                }
    moves = [
        {"from": f"{type_name}.{old}", "to": f"{type_name}.{new}"}
        for (kind, type_name, old), new in renames.items()
        if kind == "resource"
    ]
    existing = tidied.get("moved", [])
    tidied["moved"] = [*(existing if isinstance(existing, list) else [existing]), *moves]
    return tidied, len(renames)


def _rewrite(node: Any, renames: dict[tuple[str, str, str], str]) -> Any:
    if isinstance(node, str):
        return _REFERENCE.sub(lambda match: _renamed(match, renames), node)
    if isinstance(node, dict):
        return {key: node[key] if key == "//" else _rewrite(value, renames) for key, value in node.items()}
    if isinstance(node, list):
        return [_rewrite(item, renames) for item in node]
    return node


def _renamed(match: re.Match[str], renames: dict[tuple[str, str, str], str]) -> str:
    kind = "data" if match.group(1) else "resource"
    new = renames.get((kind, match.group(2), match.group(3)))
    if new is None:
        return match.group(0)
    return f"{match.group(1) or ''}{match.group(2)}.{new}"
