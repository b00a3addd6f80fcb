"""The resources of one environment and the references between them, from either source.

* cdktf's synthesized JSON (what `synth` renders): references are the `${aws_x.y.attr}` tokens.
* `terraform show -json` plans (what the PR comment sees): references come from the plan's
  `configuration` expressions, values from the planned (or, for a destroy, prior) values.
Pure: dicts in, frozen dataclasses out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

_TOKEN = re.compile(r"\$\{(.*?)\}")
_REFERENCE = re.compile(r"(?<![\w.])(aws_[a-z0-9_]+)\.([A-Za-z_][A-Za-z0-9_-]*)((?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])*)")
_SECRET_ARN = re.compile(r"arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+")


@dataclass(frozen=True, order=True)
class Ref:
    """`aws_db_instance.this.master_user_secret[0].secret_arn` -> address + attribute path."""

    address: str
    attribute: str = ""


@dataclass(frozen=True)
class Resource:
    address: str  # "aws_lb.this"
    type: str
    name: str
    module: str  # the module construct it was built in ("alb"), "" when unknown
    values: Mapping[str, Any]
    refs: tuple[Ref, ...]
    secret_arns: tuple[str, ...] = ()  # literal Secrets Manager ARNs in its values (external secrets)
    fields: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # top-level argument -> addresses

    def ref_in(self, argument: str) -> str | None:
        """The resource one argument refers to (`route_table_id` -> `aws_route_table.private`)."""
        found = self.fields.get(argument, ())
        return found[0] if found else None


@dataclass(frozen=True)
class Inventory:
    resources: tuple[Resource, ...]
    group_hints: Mapping[str, str]  # module -> diagram group the module asked for

    def by_address(self) -> dict[str, Resource]:
        return {resource.address: resource for resource in self.resources}


def from_cdktf(document: Mapping[str, Any], group_hints: Mapping[str, str] | None = None) -> Inventory:
    """Managed resources of a synthesized stack with the references their values hold."""
    resources = []
    for type_, items in sorted(document.get("resource", {}).items()):
        for name, spec in sorted(items.items()):
            values = {key: value for key, value in spec.items() if key != "//"}
            refs = tuple(sorted(set(_token_refs(values))))
            path = str(spec.get("//", {}).get("metadata", {}).get("path", "")).split("/")
            fields = {
                key: tuple(sorted({r.address for r in _token_refs({key: value})})) for key, value in values.items()
            }
            resources.append(
                Resource(
                    f"{type_}.{name}",
                    type_,
                    name,
                    path[1] if len(path) > 2 else "",
                    values,
                    refs,
                    _secret_arns(values),
                    fields,
                )
            )
    return Inventory(tuple(resources), dict(group_hints or {}))


def from_plan(plan: Mapping[str, Any], modules: Mapping[str, str] | None = None) -> Inventory:
    """Managed resources of a plan (created, kept, changed and destroyed alike).

    `modules` maps addresses to their module (from the source map), for group hints and grouping.
    """
    expressions = {
        item.get("address", ""): item.get("expressions", {})
        for item in plan.get("configuration", {}).get("root_module", {}).get("resources", [])
    }
    resources = []
    for change in plan.get("resource_changes", []):
        if change.get("mode", "managed") != "managed":
            continue
        address = str(change["address"])
        base = re.sub(r"\[[^\]]*\]$", "", address)
        detail = change.get("change", {})
        values = detail.get("after") if detail.get("after") is not None else detail.get("before") or {}
        config = expressions.get(base, {})
        refs = tuple(sorted(set(_expression_refs(config))))
        fields = {key: tuple(sorted({r.address for r in _expression_refs(value)})) for key, value in config.items()}
        # Literal secret ARNs from the configuration only: planned values hold every resolved ARN.
        resources.append(
            Resource(
                address,
                str(change["type"]),
                str(change["name"]),
                (modules or {}).get(base, ""),
                values,
                refs,
                _secret_arns(config),
                fields,
            )
        )
    return Inventory(tuple(sorted(resources, key=lambda r: r.address)), {})


def parse_ref(text: str) -> Ref | None:
    match = _REFERENCE.match(text)
    if not match:
        return None
    return Ref(f"{match.group(1)}.{match.group(2)}", match.group(3).lstrip("."))


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _token_refs(values: Mapping[str, Any]) -> Iterator[Ref]:
    for text in _strings(values):
        for token in _TOKEN.findall(text):
            for match in _REFERENCE.finditer(token):
                yield Ref(f"{match.group(1)}.{match.group(2)}", match.group(3).lstrip("."))
    for entry in values.get("depends_on", []) or []:
        if isinstance(entry, str) and (ref := parse_ref(entry)) is not None:
            yield Ref(ref.address)


def _expression_refs(expressions: Any) -> Iterator[Ref]:
    """Every `references` list in a plan's configuration expressions, most specific form kept."""
    if isinstance(expressions, Mapping):
        for key, value in expressions.items():
            if key == "references" and isinstance(value, list):
                for text in value:
                    if isinstance(text, str) and (ref := parse_ref(text)) is not None:
                        yield ref
            else:
                yield from _expression_refs(value)
    elif isinstance(expressions, list):
        for item in expressions:
            yield from _expression_refs(item)


def _secret_arns(values: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(sorted({arn for text in _strings(values) for arn in _SECRET_ARN.findall(text)}))
