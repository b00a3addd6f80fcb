"""The body of a resource, data source, provider or nested block, laid out as a careful engineer would.

Order: meta-arguments, one-line attributes (name-like first), multi-line attributes, nested blocks,
dynamic blocks, tags, connection, provisioners, lifecycle, depends_on. Which keys are blocks comes
from the provider schema (generator.hcl.schema); without one, an ambiguous key is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.hcl import values
from generator.hcl.refusal import Unrenderable
from generator.hcl.syntax import Attr, Blank, Block, Call, Item

_META_FIRST = ("count", "for_each", "provider")
_NAME_FIRST = ("name", "name_prefix", "family", "identifier", "description")
_TAIL = ("tags", "connection", "provisioner", "lifecycle", "depends_on", "dynamic")
_LIFECYCLE_FLAGS = ("create_before_destroy", "prevent_destroy")
_CONDITIONS = ("precondition", "postcondition")


@dataclass(frozen=True)
class Context:
    """How to read one body: its schema (None when the provider has none) and who it belongs to."""

    blocks: dict[str, Any] | None
    provider: str  # named in the refusal when blocks is None
    top: bool = True  # meta-arguments exist only on the top block: a nested `count {}` is WAF's action


def body(spec: Any, where: str, context: Context) -> list[Item]:
    """Items of a block body from its JSON object."""
    spec = single_object(spec, where)
    blocks = context.blocks or {}
    meta_keys = _META_FIRST if context.top else ()
    meta = [_meta(key, spec[key], f"{where}.{key}") for key in meta_keys if key in spec]
    singles: list[Item] = []
    multis: list[Item] = []
    nested: list[Item] = []
    for key in _attribute_order(spec, meta_keys, context.top):
        path = f"{where}.{key}"
        raw = spec[key]
        if key in blocks:
            nested += _nested(key, raw, path, Context(blocks[key], context.provider, top=False))
            continue
        if context.blocks is None and _looks_like_block(raw):
            raise Unrenderable(
                f"`{key}` (block or attribute? no schema for provider `{context.provider}`: pass "
                "--schema with `terraform providers schema -json` output)",
                path,
            )
        node = values.value(raw, path)
        if isinstance(raw, dict) or isinstance(node, Call):
            multis += [Blank(), Attr(key, node)]
        else:
            singles.append(Attr(key, node))
    return [*meta, Blank(), *singles, *multis, *nested, *_tail(spec, where, context)]


def single_object(spec: Any, where: str) -> dict[str, Any]:
    """A block body; JSON syntax may wrap a single body in a one-element list."""
    if isinstance(spec, list) and len(spec) == 1:
        spec = spec[0]
    if not isinstance(spec, dict):
        raise Unrenderable("a block body that is not a JSON object", where)
    return spec


def bodies(raw: Any, where: str) -> list[tuple[dict[str, Any], str]]:
    """Each body of a repeatable block written as an object or a list of objects, with its path."""
    items = raw if isinstance(raw, list) else [raw]
    out = []
    for index, item in enumerate(items):
        path = f"{where}[{index}]" if isinstance(raw, list) else where
        if not isinstance(item, dict):
            raise Unrenderable("a block body that is not a JSON object", path)
        out.append((item, path))
    return out


def conditions(spec: dict[str, Any], where: str) -> list[Item]:
    """precondition/postcondition blocks (lifecycle, output)."""
    items: list[Item] = []
    for kind in _CONDITIONS:
        for item, path in bodies(spec.get(kind, []), f"{where}.{kind}"):
            items += [Blank(), Block(kind, (), plain(item, path))]
    return items


def plain(spec: dict[str, Any], where: str) -> list[Item]:
    """A body of attributes only (condition blocks, connection, backend settings)."""
    return [Attr(key, values.value(raw, f"{where}.{key}")) for key, raw in spec.items() if key != "//"]


def _nested(key: str, raw: Any, where: str, context: Context) -> list[Item]:
    return [item for spec, path in bodies(raw, where) for item in (Blank(), Block(key, (), body(spec, path, context)))]


def _meta(key: str, raw: Any, where: str) -> Attr:
    if key == "provider":
        return Attr(key, values.reference(raw, where))
    return Attr(key, values.value(raw, where))


def _attribute_order(spec: dict[str, Any], meta_keys: tuple[str, ...], top: bool) -> list[str]:
    skip = {"//", *meta_keys, *(_TAIL if top else ("tags", "dynamic"))}
    keys = [key for key in spec if key not in skip and spec[key] is not None]
    first = [key for key in _NAME_FIRST if key in keys]
    return first + [key for key in keys if key not in first]


def _looks_like_block(raw: Any) -> bool:
    return isinstance(raw, dict) or (isinstance(raw, list) and bool(raw) and all(isinstance(i, dict) for i in raw))


def _tail(spec: dict[str, Any], where: str, context: Context) -> list[Item]:
    items: list[Item] = []
    if "dynamic" in spec:
        items += _dynamic(spec["dynamic"], f"{where}.dynamic", context)
    if "tags" in spec:
        items += [Blank(), Attr("tags", values.value(spec["tags"], f"{where}.tags"))]
    if not context.top:
        return items
    if "connection" in spec:
        items += [Blank(), connection(spec["connection"], f"{where}.connection")]
    for item, path in bodies(spec.get("provisioner", []), f"{where}.provisioner"):
        items += [Blank(), *provisioners(item, path)]
    if "lifecycle" in spec:
        items += [Blank(), _lifecycle(single_object(spec["lifecycle"], f"{where}.lifecycle"), f"{where}.lifecycle")]
    if "depends_on" in spec:
        items += [Blank(), Attr("depends_on", values.references(spec["depends_on"], f"{where}.depends_on"))]
    return items


def connection(raw: Any, where: str) -> Block:
    return Block("connection", (), plain(single_object(raw, where), where))


def provisioners(spec: dict[str, Any], where: str) -> list[Item]:
    """`{"local-exec": {...}}` -> provisioner "local-exec" { ... } (one per key)."""
    items: list[Item] = []
    for kind, raw in spec.items():
        path = f"{where}.{kind}"
        settings = single_object(raw, path)
        inner: list[Item] = []
        for key, item in settings.items():
            if key == "connection":
                continue
            if key == "when":
                inner.append(Attr(key, values.keyword(item, f"{path}.{key}", ("destroy", "create"))))
            elif key == "on_failure":
                inner.append(Attr(key, values.keyword(item, f"{path}.{key}", ("continue", "fail"))))
            else:
                inner.append(Attr(key, values.value(item, f"{path}.{key}")))
        if "connection" in settings:
            inner += [Blank(), connection(settings["connection"], f"{path}.connection")]
        items.append(Block("provisioner", (kind,), inner))
    return items


def _lifecycle(spec: dict[str, Any], where: str) -> Block:
    items: list[Item] = []
    for key, raw in spec.items():
        path = f"{where}.{key}"
        if key in _LIFECYCLE_FLAGS:
            items.append(Attr(key, values.value(raw, path)))
        elif key == "ignore_changes":
            items.append(
                Attr(key, values.keyword(raw, path, ("all",)) if isinstance(raw, str) else values.references(raw, path))
            )
        elif key == "replace_triggered_by":
            items.append(Attr(key, values.references(raw, path)))
        elif key not in (*_CONDITIONS, "//"):
            raise Unrenderable(f"the lifecycle argument `{key}`", path)
    return Block("lifecycle", (), items + conditions(spec, where))


def _dynamic(raw: Any, where: str, context: Context) -> list[Item]:
    """`"dynamic": {"ingress": {"for_each": ..., "iterator": ..., "content": {...}}}`."""
    items: list[Item] = []
    blocks = context.blocks or {}
    for name, specs in single_object(raw, where).items():
        for spec, path in bodies(specs, f"{where}.{name}"):
            inner: list[Item] = []
            for key in spec:
                if key == "iterator":
                    inner.append(Attr(key, values.keyword(spec[key], f"{path}.{key}", (str(spec[key]),))))
                elif key in ("for_each", "labels"):
                    inner.append(Attr(key, values.value(spec[key], f"{path}.{key}")))
                elif key not in ("content", "//"):
                    raise Unrenderable(f"the dynamic block argument `{key}`", f"{path}.{key}")
            content = Context(blocks.get(name), context.provider, top=False)
            inner += [Blank(), Block("content", (), body(spec.get("content", {}), f"{path}.content", content))]
            items += [Blank(), Block("dynamic", (name,), inner)]
    return items
