"""A `terraform show -json` plan with every sensitive value replaced, for uploading as an artifact.

Terraform marks what is sensitive beside the values: `before_sensitive` / `after_sensitive` of
resource, drift and output changes, `sensitive_values` of planned and prior resources, `sensitive`
of outputs, and `sensitive` on declared variables (their values in `variables` and their defaults
in `configuration`). Marked values become placeholders; the markers stay, so the comment still
masks them as "(sensitive value)". Pure: dicts in, a new dict out.

Equal secrets get the same placeholder and different ones different placeholders, because the
comment decides "changed or not" by comparing before and after. Empty values (null, "", [], {})
are kept: they hold no secret, and providers flip between them without a real change.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any

from generator.plan.attrdiff import marked
from generator.plan.jsondiff import empty
from generator.plan.planjson import PlanFormatError

STRIPPED_KEY = "hclgen_stripped"  # top-level marker: this plan JSON had its sensitive values replaced


class Redactor:
    """Replaces values with numbered placeholders, one number per distinct value."""

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}

    def placeholder(self, value: Any) -> Any:
        if empty(value):
            return value
        key = json.dumps(value, sort_keys=True)
        number = self._numbers.setdefault(key, len(self._numbers) + 1)
        return f"(sensitive value {number})"

    def redact(self, value: Any, marks: Any) -> Any:
        """`value` with every position `marks` marks True replaced (marks mirror the value's shape)."""
        if marks is True:
            return self.placeholder(value)
        if isinstance(marks, dict) and isinstance(value, dict):
            return {k: self.redact(v, marks.get(k, False)) for k, v in value.items()}
        if isinstance(marks, list) and isinstance(value, list):
            return [self.redact(v, marks[i] if i < len(marks) else False) for i, v in enumerate(value)]
        return value


def _change(change: MutableMapping[str, Any], redactor: Redactor) -> None:
    for side in ("before", "after"):
        if side in change:
            change[side] = redactor.redact(change[side], change.get(f"{side}_sensitive", False))
    if "generated_config" in change and marked(change.get("after_sensitive")):
        change["generated_config"] = "# removed by hclgen: the generated configuration holds sensitive values"


def _modules(module: MutableMapping[str, Any]) -> Iterator[MutableMapping[str, Any]]:
    yield module
    for child in module.get("child_modules") or []:
        yield from _modules(child)


def merge(first: Any, second: Any) -> Any:
    """Two marker trees as one: marked where either marks."""
    if first is True or second is True:
        return True
    if isinstance(first, dict) and isinstance(second, dict):
        return {k: merge(first.get(k, False), second.get(k, False)) for k in {*first, *second}}
    if isinstance(first, list) and isinstance(second, list):
        return [
            merge(first[i] if i < len(first) else False, second[i] if i < len(second) else False)
            for i in range(max(len(first), len(second)))
        ]
    return first if isinstance(first, (dict, list)) and first else second or first


def _values(values: MutableMapping[str, Any] | None, redactor: Redactor, secret: dict[str, set[str]]) -> None:
    """planned_values / prior_state.values: resources by sensitive_values, and by the attributes any
    change of that resource marks (state snapshots do not always mark them); outputs by sensitive."""
    if not values:
        return
    for module in _modules(values.get("root_module") or {}):
        for resource in module.get("resources") or []:
            keys = secret.get(f"{resource.get('type')}.{resource.get('name')}", set())
            marks = merge(resource.get("sensitive_values", False), {key: True for key in keys})
            resource["values"] = redactor.redact(resource.get("values"), marks)
    for output in (values.get("outputs") or {}).values():
        if output.get("sensitive"):
            output["value"] = redactor.placeholder(output.get("value"))


def _constants(expression: Any, redactor: Redactor) -> Any:
    """Every constant_value inside a configuration expression (nested blocks included) replaced."""
    if isinstance(expression, dict):
        return {
            k: redactor.placeholder(v) if k == "constant_value" else _constants(v, redactor)
            for k, v in expression.items()
        }
    if isinstance(expression, list):
        return [_constants(item, redactor) for item in expression]
    return expression


def _sensitive_attributes(plan: Mapping[str, Any]) -> dict[str, set[str]]:
    """ "type.name" (module keys dropped) -> top-level attributes marked sensitive in any change."""
    out: dict[str, set[str]] = {}
    for rc in [*(plan.get("resource_changes") or []), *(plan.get("resource_drift") or [])]:
        change = rc.get("change") or {}
        for marks in (change.get("before_sensitive"), change.get("after_sensitive")):
            if isinstance(marks, dict):
                keys = out.setdefault(f"{rc.get('type')}.{rc.get('name')}", set())
                keys.update(k for k, v in marks.items() if marked(v))
    return out


def _configuration(module: MutableMapping[str, Any], secret: dict[str, set[str]], redactor: Redactor) -> set[str]:
    """Strip one configuration module (and its calls); returns its variables marked sensitive."""
    variables = module.get("variables") or {}
    sensitive = {name for name, var in variables.items() if var.get("sensitive")}
    for name in sensitive:
        if "default" in variables[name]:
            variables[name]["default"] = redactor.placeholder(variables[name]["default"])
    for output in (module.get("outputs") or {}).values():
        if output.get("sensitive") and "expression" in output:
            output["expression"] = _constants(output["expression"], redactor)
    for resource in module.get("resources") or []:
        keys = secret.get(f"{resource.get('type')}.{resource.get('name')}", set())
        expressions = resource.get("expressions") or {}
        for key in keys & set(expressions):
            expressions[key] = _constants(expressions[key], redactor)
    for call in (module.get("module_calls") or {}).values():
        child_sensitive = _configuration(call.get("module") or {}, secret, redactor)
        expressions = call.get("expressions") or {}
        for key in child_sensitive & set(expressions):
            expressions[key] = _constants(expressions[key], redactor)
    return sensitive


def strip_plan(plan: MutableMapping[str, Any]) -> dict[str, Any]:
    """A copy of the plan document with every value terraform marks sensitive replaced.

    A part of a shape it cannot walk is refused (one line): what it cannot walk it cannot strip."""
    try:
        return _strip(plan)
    except (AttributeError, TypeError, KeyError) as err:
        raise PlanFormatError(
            "not a plan hclgen understands: a part of an unexpected shape "
            f"({type(err).__name__}); its sensitive values cannot be stripped"
        ) from None


def _strip(plan: MutableMapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = copy.deepcopy(dict(plan))
    redactor = Redactor()
    for rc in [*(out.get("resource_changes") or []), *(out.get("resource_drift") or [])]:
        _change(rc.get("change") or {}, redactor)
    for change in (out.get("output_changes") or {}).values():
        _change(change, redactor)
    secret = _sensitive_attributes(plan)
    _values(out.get("planned_values"), redactor, secret)
    _values((out.get("prior_state") or {}).get("values"), redactor, secret)
    root = (out.get("configuration") or {}).get("root_module") or {}
    sensitive_vars = _configuration(root, secret, redactor)
    for name in sensitive_vars & set(out.get("variables") or {}):
        out["variables"][name]["value"] = redactor.placeholder(out["variables"][name].get("value"))
    out[STRIPPED_KEY] = True
    return out
