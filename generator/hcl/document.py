"""A whole Terraform JSON configuration -> {file name: HCL text}. Pure; refuses rather than drops.

Files: versions.tf, backend.tf, providers.tf, variables.tf, locals.tf, outputs.tf, modules.tf,
moved.tf, imports.tf, removed.tf, checks.tf, and one file per group of resources and data sources:
the construct cdktf records in `"//": {"metadata": {"path": "stack/<construct>/..."}}`, else the
service family of the type (`aws_iam_role` -> iam.tf).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from generator.hcl import toplevel
from generator.hcl.refusal import Unrenderable
from generator.hcl.schema import Schemas
from generator.hcl.syntax import Block, render_file

TOP_LEVEL = (
    "terraform",
    "provider",
    "variable",
    "locals",
    "output",
    "module",
    "resource",
    "data",
    "moved",
    "import",
    "removed",
    "check",
    "//",
)
_FIXED = (
    "versions",
    "backend",
    "providers",
    "variables",
    "locals",
    "outputs",
    "modules",
    "moved",
    "imports",
    "removed",
    "checks",
)
_UNSAFE = re.compile(r"[^a-z0-9_-]+")


def convert(document: dict[str, Any], header: list[str], schemas: Schemas) -> dict[str, str]:
    """Every file of the configuration; raises Unrenderable naming the first construct it cannot render."""
    groups = blocks_by_file(document, schemas)
    return {f"{name}.tf": render_file(header, blocks) for name, blocks in groups.items() if blocks}


def blocks_by_file(
    document: dict[str, Any], schemas: Schemas, placed: frozenset[tuple[str, str, str]] = frozenset()
) -> dict[str, list[Block]]:
    """Top-level blocks per file stem; `placed` (kind, type, name) are left out (synth places them itself)."""
    for key in document:
        if key not in TOP_LEVEL:
            raise Unrenderable(f"the top-level `{key}` block", key)
    groups: dict[str, list[Block]] = {name: [] for name in _FIXED}
    for spec, where in _objects(document, "terraform"):
        for group, block in (("versions", toplevel.versions(spec, where)), ("backend", toplevel.backend(spec, where))):
            if block is not None:
                groups[group].append(block)
    for spec, where in _objects(document, "provider"):
        groups["providers"] += toplevel.providers(spec, where, schemas)
    for name, spec, where in _named(document, "variable"):
        groups["variables"].append(toplevel.variable(name, spec, where))
    for spec, where in _objects(document, "locals"):
        groups["locals"].append(toplevel.locals_block(spec, where))
    for name, spec, where in _named(document, "output"):
        if ("output", "", name) not in placed:
            groups["outputs"].append(toplevel.output(name, spec, where))
    for name, spec, where in _named(document, "module"):
        groups["modules"].append(toplevel.module(name, spec, where))
    for kind, group, render in (
        ("moved", "moved", toplevel.moved),
        ("import", "imports", toplevel.import_block),
        ("removed", "removed", toplevel.removed),
    ):
        for spec, where in _list(document, kind):
            groups[group].append(render(spec, where))
    for name, spec, where in _named(document, "check"):
        groups["checks"].append(toplevel.check(name, spec, where, schemas))
    for kind in ("data", "resource"):
        for type_name, name, spec, where in _typed(document, kind):
            if (kind, type_name, name) in placed:
                continue
            block = toplevel.resource_block(kind, type_name, name, spec, where, schemas)
            groups.setdefault(_group(type_name, spec), []).append(block)
    return groups


def _group(type_name: str, spec: Any) -> str:
    """The construct cdktf recorded (`stack/<construct>/...`), else the type's service family."""
    comment = spec.get("//") if isinstance(spec, dict) else None
    metadata = comment.get("metadata") if isinstance(comment, dict) else None
    path = metadata.get("path") if isinstance(metadata, dict) else None
    parts = path.split("/") if isinstance(path, str) else []
    words = type_name.split("_")
    group = parts[1] if len(parts) >= 3 else (words[1] if len(words) > 1 else words[0])
    group = _UNSAFE.sub("_", group.lower()).strip("_") or "main"
    return f"{group}-resources" if group in _FIXED else group


def _objects(document: dict[str, Any], key: str) -> Iterator[tuple[dict[str, Any], str]]:
    """A top-level key's object(s): JSON syntax allows an object or a list of objects."""
    raw = document.get(key)
    if raw is None:
        return
    items = raw if isinstance(raw, list) else [raw]
    for index, item in enumerate(items):
        where = f"{key}[{index}]" if isinstance(raw, list) else key
        if not isinstance(item, dict):
            raise Unrenderable(f"a `{key}` that is not a JSON object", where)
        yield item, where


def _named(document: dict[str, Any], key: str) -> Iterator[tuple[str, dict[str, Any], str]]:
    for spec, where in _objects(document, key):
        for name, raw in spec.items():
            if name == "//":
                continue
            for item, path in _each(raw, f"{where}.{name}"):
                yield name, item, path


def _typed(document: dict[str, Any], key: str) -> Iterator[tuple[str, str, dict[str, Any], str]]:
    for spec, where in _objects(document, key):
        for type_name, named in spec.items():
            if type_name == "//":
                continue
            if not isinstance(named, dict):
                raise Unrenderable(f"a `{key}` type that is not a JSON object", f"{where}.{type_name}")
            for name, raw in named.items():
                for item, path in _each(raw, f"{where}.{type_name}.{name}"):
                    yield type_name, name, item, path


def _list(document: dict[str, Any], key: str) -> Iterator[tuple[dict[str, Any], str]]:
    raw = document.get(key)
    if raw is None:
        return
    yield from _each(raw, key)


def _each(raw: Any, where: str) -> Iterator[tuple[dict[str, Any], str]]:
    items = raw if isinstance(raw, list) else [raw]
    for index, item in enumerate(items):
        path = f"{where}[{index}]" if isinstance(raw, list) else where
        if not isinstance(item, dict):
            raise Unrenderable("a block body that is not a JSON object", path)
        yield item, path
