"""Top-level blocks of Terraform's JSON syntax -> HCL blocks; every key is rendered or refused."""

from __future__ import annotations

from typing import Any

from generator.hcl import values
from generator.hcl.body import Context, bodies, body, conditions, connection, plain, provisioners, single_object
from generator.hcl.refusal import Unrenderable
from generator.hcl.schema import Schemas
from generator.hcl.syntax import Attr, Blank, Block, Item

_TERRAFORM_KEYS = ("required_version", "required_providers", "backend", "cloud", "experiments", "provider_meta", "//")
_BACKEND_BLOCKS = {"remote": ("workspaces",), "cloud": ("workspaces",)}
_VARIABLE_ORDER = ("description", "type", "default", "sensitive", "nullable", "ephemeral")
_OUTPUT_ORDER = ("description", "value", "sensitive", "ephemeral")  # description first, as body() orders it
_MODULE_META = ("source", "version", "count", "for_each", "providers")


def versions(spec: dict[str, Any], where: str) -> Block | None:
    """terraform { required_version, required_providers, experiments, provider_meta } (no backend)."""
    unknown = [key for key in spec if key not in _TERRAFORM_KEYS]
    if unknown:
        raise Unrenderable(f"the terraform setting `{unknown[0]}`", f"{where}.{unknown[0]}")
    items: list[Item] = []
    if "required_version" in spec:
        items.append(Attr("required_version", values.value(spec["required_version"], f"{where}.required_version")))
    if "experiments" in spec:
        items.append(Attr("experiments", values.references(spec["experiments"], f"{where}.experiments")))
    if "required_providers" in spec:
        path = f"{where}.required_providers"
        providers = single_object(spec["required_providers"], path)
        items += [
            Blank(),
            Block(
                "required_providers",
                (),
                [Attr(name, _required(item, f"{path}.{name}")) for name, item in providers.items() if name != "//"],
            ),
        ]
    for name, item in single_object(spec.get("provider_meta", {}), f"{where}.provider_meta").items():
        items += [Blank(), Block("provider_meta", (name,), plain(single_object(item, where), where))]
    return Block("terraform", (), items) if items else None


def backend(spec: dict[str, Any], where: str) -> Block | None:
    """terraform { backend "s3" { ... } } or terraform { cloud { ... } }."""
    items: list[Item] = []
    for kind, raw in single_object(spec.get("backend", {}), f"{where}.backend").items():
        path = f"{where}.backend.{kind}"
        items.append(Block("backend", (kind,), _settings(kind, single_object(raw, path), path)))
    if "cloud" in spec:
        items.append(
            Block("cloud", (), _settings("cloud", single_object(spec["cloud"], f"{where}.cloud"), f"{where}.cloud"))
        )
    if len(items) > 1:
        raise Unrenderable("more than one backend", where)
    return Block("terraform", (), items) if items else None


def _settings(kind: str, spec: dict[str, Any], where: str) -> list[Item]:
    blocks: dict[str, Any] = {name: {} for name in _BACKEND_BLOCKS.get(kind, ())}
    return body(spec, where, Context(blocks, kind, top=False))


def providers(spec: dict[str, Any], where: str, schemas: Schemas) -> list[Block]:
    out = []
    for name, raw in spec.items():
        context = Context(schemas.blocks("provider", name), name, top=False)
        for item, path in bodies(raw, f"{where}.{name}"):
            out.append(Block("provider", (name,), body(item, path, context)))
    return out


def variable(name: str, spec: dict[str, Any], where: str) -> Block:
    items: list[Item] = []
    for key in _VARIABLE_ORDER:
        if key in spec:
            path = f"{where}.{key}"
            node = values.type_constraint(spec[key], path) if key == "type" else values.value(spec[key], path)
            items.append(Attr(key, node))
    for item, path in bodies(spec.get("validation", []), f"{where}.validation"):
        items += [Blank(), Block("validation", (), plain(item, path))]
    _refuse_unknown(spec, (*_VARIABLE_ORDER, "validation"), where)
    return Block("variable", (name,), items)


def locals_block(spec: dict[str, Any], where: str) -> Block:
    items: list[Item] = []
    for name, raw in spec.items():
        if name == "//":
            continue
        node = values.value(raw, f"{where}.{name}")
        items += [Blank(), Attr(name, node), Blank()] if isinstance(raw, dict) else [Attr(name, node)]
    return Block("locals", (), items)


def output(name: str, spec: dict[str, Any], where: str) -> Block:
    core = {key: raw for key, raw in spec.items() if key in _OUTPUT_ORDER}
    items: list[Item] = [*body(core, where, Context({}, "", top=False)), *conditions(spec, where)]
    if "depends_on" in spec:
        items += [Blank(), Attr("depends_on", values.references(spec["depends_on"], f"{where}.depends_on"))]
    _refuse_unknown(spec, (*_OUTPUT_ORDER, "precondition", "depends_on"), where)
    return Block("output", (name,), items)


def module(name: str, spec: dict[str, Any], where: str) -> Block:
    items: list[Item] = []
    for key in _MODULE_META:
        if key not in spec:
            continue
        path = f"{where}.{key}"
        if key == "providers":
            mapping = single_object(spec[key], path)
            node: Any = {values.reference(k, path): values.reference(v, f"{path}.{k}") for k, v in mapping.items()}
            items += [Blank(), Attr(key, node)]
        else:
            items.append(Attr(key, values.value(spec[key], path)))
    inputs = [
        Attr(key, values.value(raw, f"{where}.{key}"))
        for key, raw in spec.items()
        if key not in (*_MODULE_META, "depends_on", "//")
    ]
    items += [Blank(), *inputs]
    if "depends_on" in spec:
        items += [Blank(), Attr("depends_on", values.references(spec["depends_on"], f"{where}.depends_on"))]
    return Block("module", (name,), items)


def moved(spec: dict[str, Any], where: str) -> Block:
    _refuse_unknown(spec, ("from", "to"), where)
    return Block("moved", (), [Attr(key, values.reference(spec.get(key), f"{where}.{key}")) for key in ("from", "to")])


def import_block(spec: dict[str, Any], where: str) -> Block:
    items: list[Item] = []
    for key in ("for_each", "to", "provider", "id", "identity"):
        if key in spec:
            path = f"{where}.{key}"
            node = values.reference(spec[key], path) if key in ("to", "provider") else values.value(spec[key], path)
            items.append(Attr(key, node))
    _refuse_unknown(spec, ("for_each", "to", "provider", "id", "identity"), where)
    return Block("import", (), items)


def removed(spec: dict[str, Any], where: str) -> Block:
    items: list[Item] = [Attr("from", values.reference(spec.get("from"), f"{where}.from"))]
    if "lifecycle" in spec:
        path = f"{where}.lifecycle"
        items += [Blank(), Block("lifecycle", (), plain(single_object(spec["lifecycle"], path), path))]
    if "connection" in spec:
        items += [Blank(), connection(spec["connection"], f"{where}.connection")]
    for item, path in bodies(spec.get("provisioner", []), f"{where}.provisioner"):
        items += [Blank(), *provisioners(item, path)]
    _refuse_unknown(spec, ("from", "lifecycle", "connection", "provisioner"), where)
    return Block("removed", (), items)


def check(name: str, spec: dict[str, Any], where: str, schemas: Schemas) -> Block:
    items: list[Item] = []
    for type_name, named in single_object(spec.get("data", {}), f"{where}.data").items():
        for data_name, raw in single_object(named, f"{where}.data.{type_name}").items():
            path = f"{where}.data.{type_name}.{data_name}"
            items += [Blank(), resource_block("data", type_name, data_name, raw, path, schemas)]
    for item, path in bodies(spec.get("assert", []), f"{where}.assert"):
        items += [Blank(), Block("assert", (), plain(item, path))]
    _refuse_unknown(spec, ("data", "assert"), where)
    return Block("check", (name,), items)


def resource_block(kind: str, type_name: str, name: str, raw: Any, where: str, schemas: Schemas) -> Block:
    context = Context(schemas.blocks(kind, type_name), type_name.split("_", 1)[0])
    return Block(kind, (type_name, name), body(raw, where, context))


def _required(spec: Any, where: str) -> Any:
    """`{source, version, configuration_aliases}`; the aliases are references (`[aws.west]`)."""
    if not isinstance(spec, dict):
        return values.value(spec, where)
    first = ("source", "version")
    ordered = {**{k: spec[k] for k in first if k in spec}, **{k: v for k, v in spec.items() if k not in first}}
    return {
        key: values.references(raw, f"{where}.{key}")
        if key == "configuration_aliases"
        else values.value(raw, f"{where}.{key}")
        for key, raw in ordered.items()
        if key != "//"
    }


def _refuse_unknown(spec: dict[str, Any], known: tuple[str, ...], where: str) -> None:
    for key in spec:
        if key not in known and key != "//":
            raise Unrenderable(f"the argument `{key}`", f"{where}.{key}")
