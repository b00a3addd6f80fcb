"""`terraform show -json` text -> a checked plan document: the one gate every plan JSON passes.

Part of the plan model (generator.plan.model reads only what this let through). A document is
refused with one line when hclgen could misread it: not one JSON object (trailing text after it,
other than setup-terraform's `::` workflow-command lines), a format_version it does not know, a
key of the wrong shape, or a change action Terraform never emits. Refusing is the safe side: a
plan that is not understood must never read as "No changes" nor slip past the stateful rail.

Older formats lack optional keys; they are filled in here so no consumer has to guess: format 0.1
resource_changes have no `address` (it is built from module_address, mode, type, name, index).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from generator.errors import UsageError

# Every `change.actions` list Terraform emits (plans.Action in terraform's jsonplan), in its order.
KNOWN_ACTIONS: frozenset[tuple[str, ...]] = frozenset(
    {
        ("no-op",),
        ("create",),
        ("read",),
        ("update",),
        ("delete",),
        ("delete", "create"),
        ("create", "delete"),
        ("forget",),
        ("create", "forget"),
    }
)
MAJOR_VERSIONS = ("0", "1")  # format_version 0.1 .. 1.x; a 2.x may change meanings: refused
_VERSION = re.compile(r"^(\d+)\.(\d+)$")
_CHANGE_LISTS = ("resource_changes", "resource_drift")


NOT_A_PLAN = "the JSON is not `terraform show -json` output"


class PlanFormatError(UsageError):
    """The plan JSON is not `terraform show -json` output hclgen understands."""


def unwrap(text: str) -> Any:
    """The one JSON document in a captured `terraform show -json` stdout.

    hashicorp/setup-terraform's wrapper (terraform_wrapper: true, the default) echoes the command
    first (`[command]/home/runner/.../terraform-bin show -json plan`) and adds `::debug::` /
    `::set-output` workflow-command lines after it; plain JSON passes through unchanged.
    Raises ValueError when there is no JSON object or anything else is left after it."""
    try:
        return json.loads(text)
    except ValueError:
        pass
    lines = text.splitlines(keepends=True)
    for index, line in enumerate(lines):
        if line.lstrip().startswith("{"):
            rest = "".join(lines[index:]).lstrip()
            document, end = json.JSONDecoder().raw_decode(rest)
            extra = [tail for tail in rest[end:].splitlines() if tail.strip() and not tail.startswith("::")]
            if extra:
                raise ValueError(f"unexpected text after the JSON object: {extra[0][:60]!r}")
            return document
        if line.strip() and not line.startswith(("[command]", "::")):
            break
    raise ValueError("no JSON object found (expected `terraform show -json` output)")


def _fail(message: str) -> PlanFormatError:
    return PlanFormatError(f"not a plan hclgen understands: {message}")


def _index(key: Any) -> str:
    if isinstance(key, bool) or not isinstance(key, (int, str)):
        raise _fail(f"resource index {key!r} is neither a number nor a string")
    return f"[{key}]" if isinstance(key, int) else f"[{json.dumps(key)}]"


def _address(rc: Mapping[str, Any], where: str) -> str:
    """The address terraform would print (format 0.1 omits it)."""
    address = rc.get("address")
    if isinstance(address, str) and address:
        return address
    if address is not None:
        raise _fail(f"{where}: address is not a string")
    kind, name = rc.get("type"), rc.get("name")
    if not isinstance(kind, str) or not isinstance(name, str) or not kind or not name:
        raise _fail(f"{where}: no address, and no type and name to build it from")
    module = rc.get("module_address")
    prefix = f"{module}." if isinstance(module, str) and module else ""
    data = "data." if rc.get("mode") == "data" else ""
    index = _index(rc["index"]) if rc.get("index") is not None else ""
    return f"{prefix}{data}{kind}.{name}{index}"


def _actions(change: Any, where: str) -> list[str]:
    if not isinstance(change, Mapping):
        raise _fail(f"{where}: change is not an object")
    paths = change.get("replace_paths")
    if paths is not None and not (isinstance(paths, list) and all(isinstance(p, list) for p in paths)):
        raise _fail(f"{where}: change.replace_paths is not a list of paths")
    for key in ("importing", "generated_config"):
        if change.get(key) is not None and not isinstance(change[key], (Mapping, str)):
            raise _fail(f"{where}: change.{key} has the wrong shape")
    actions = change.get("actions")
    if not isinstance(actions, list) or not all(isinstance(a, str) for a in actions):
        raise _fail(f"{where}: change.actions is not a list of strings")
    if tuple(actions) not in KNOWN_ACTIONS:
        raise _fail(f"{where}: unknown action {'+'.join(actions) or '(empty)'}")
    return actions


def _resource_change(rc: Any, where: str) -> dict[str, Any]:
    if not isinstance(rc, Mapping):
        raise _fail(f"{where} is not an object")
    out = dict(rc)
    out["address"] = _address(rc, where)
    where = f"{where} ({out['address']})"
    mode = rc.get("mode", "managed")
    if mode not in ("managed", "data"):
        raise _fail(f"{where}: unknown mode {mode!r}")
    for key in ("type", "name", "module_address", "previous_address", "deposed", "action_reason"):
        if rc.get(key) is not None and not isinstance(rc[key], str):
            raise _fail(f"{where}: {key} is not a string")
    _actions(rc.get("change"), where)
    return out


def _list(plan: Mapping[str, Any], key: str) -> list[Any]:
    value = plan.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise _fail(f"{key} is not a list")
    return value


def _outputs(plan: Mapping[str, Any]) -> None:
    outputs = plan.get("output_changes")
    if outputs is None:
        return
    if not isinstance(outputs, Mapping):
        raise _fail("output_changes is not an object")
    for name, change in outputs.items():
        _actions(change, f"output_changes.{name}")


def _version(plan: Mapping[str, Any]) -> None:
    version = plan.get("format_version")
    match = _VERSION.match(version) if isinstance(version, str) else None
    if match is None:
        raise _fail(f"format_version is {version!r}, not `terraform show -json` output")
    if match.group(1) not in MAJOR_VERSIONS:
        raise _fail(f"format_version {version} is newer than hclgen reads (0.x and 1.x); upgrade hclgen")


def checked(plan: Any) -> dict[str, Any]:
    """The plan document, validated and with its optional keys filled in (a new dict).

    format_version is checked when present; text from a file or terraform must have it (parse)."""
    if not isinstance(plan, Mapping):
        raise _fail("the JSON is not an object")
    if "format_version" in plan:
        _version(plan)
    out = dict(plan)
    for key in _CHANGE_LISTS:
        if key in plan:
            out[key] = [_resource_change(rc, f"{key}[{i}]") for i, rc in enumerate(_list(plan, key))]
    for key in ("deferred_changes", "checks", "relevant_attributes", "action_invocations"):
        for i, item in enumerate(_list(plan, key)):
            if not isinstance(item, Mapping):
                raise _fail(f"{key}[{i}] is not an object")
    for i, item in enumerate(_list(plan, "deferred_changes")):
        if item.get("resource_change") is not None:
            _resource_change(item["resource_change"], f"deferred_changes[{i}].resource_change")
    _outputs(plan)
    _checks(plan)
    for i, item in enumerate(_list(plan, "relevant_attributes")):
        if not isinstance(item.get("resource"), str) or not isinstance(item.get("attribute", []), list):
            raise _fail(f"relevant_attributes[{i}] has the wrong shape")
    configuration = plan.get("configuration", {})
    if not isinstance(configuration, Mapping):
        raise _fail("configuration is not an object")
    _module(configuration.get("root_module", {}), "configuration.root_module")
    return out


def _checks(plan: Mapping[str, Any]) -> None:
    for i, check in enumerate(_list(plan, "checks")):
        if not isinstance(check.get("address", {}), Mapping) or not isinstance(check.get("instances") or [], list):
            raise _fail(f"checks[{i}] has the wrong shape")
        for instance in check.get("instances") or []:
            if (
                not isinstance(instance, Mapping)
                or not isinstance(instance.get("problems") or [], list)
                or not all(isinstance(p, Mapping) for p in instance.get("problems") or [])
            ):
                raise _fail(f"checks[{i}].instances has the wrong shape")


def _module(module: Any, where: str) -> None:
    """A configuration module: resources a list of objects, module_calls objects holding modules."""
    if not isinstance(module, Mapping):
        raise _fail(f"{where} is not an object")
    resources = module.get("resources", [])
    if not isinstance(resources, list) or not all(isinstance(r, Mapping) for r in resources):
        raise _fail(f"{where}.resources is not a list of objects")
    for resource in resources:
        if not isinstance(resource.get("address", ""), str) or not isinstance(resource.get("expressions", {}), Mapping):
            raise _fail(f"{where}.resources has an entry of the wrong shape")
    calls = module.get("module_calls", {})
    if not isinstance(calls, Mapping) or not all(isinstance(c, Mapping) for c in calls.values()):
        raise _fail(f"{where}.module_calls is not an object of objects")
    for name, call in calls.items():
        _module(call.get("module", {}), f"{where}.module_calls.{name}.module")


def parse(text: str) -> dict[str, Any]:
    """`terraform show -json` stdout (or a CI capture of it) -> the checked plan document."""
    try:
        document = unwrap(text)
    except ValueError as err:
        raise _fail(str(err)) from None
    except RecursionError:
        raise _fail("the JSON nests deeper than any plan does") from None
    if not isinstance(document, Mapping) or "format_version" not in document:
        raise PlanFormatError(NOT_A_PLAN)
    return checked(document)


def decode(data: bytes) -> str:
    """A plan file's text: UTF-8 (with or without BOM), or UTF-16 with its BOM (PowerShell 5's `>`)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    return data.decode("utf-8-sig")
