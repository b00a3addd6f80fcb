"""Facts about resource types, one query point for the diagram, the cost report and the plan model.

Three decisions per type, each from the engine's tables or from the module that uses the type:

* diagram: the node kind it is drawn as (generator/facts/kinds.py NODE_TYPES, else its
  service in generator/facts/services.py), or a detail/connector of another node;
* cost: a price rule or FREE (generator/review/cost/rules.py), or USAGE_PRICED (services.py);
* stateful: whether replacing or destroying it loses data (its service's `stateful`).

A module may decide for the types it uses, next to its code, with a literal at module level:

    TYPE_FACTS = {"aws_sqs_queue": {"diagram": "queue", "stateful": True, "cost": "usage"}}

keys: diagram (a KINDS key, or "detail"), group (the diagram box), stateful (bool), cost ("free" or
"usage"). The engine reads it without importing the module (ast.literal_eval of modules/*.py),
so the review side, which renders nothing, sees the same facts.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import ConfigError
from generator.facts.services import SERVICES, USAGE_PRICED, service_of

FACTS_VARIABLE = "TYPE_FACTS"
_KEYS = {"diagram": str, "group": str, "stateful": bool, "cost": str}
_COSTS = ("free", "usage")
DETAIL = "detail"


@dataclass(frozen=True)
class Override:
    """One module's decisions for one type (None: the engine decides)."""

    source: str  # "modules/queue.py:12"
    diagram: str | None = None
    group: str | None = None
    stateful: bool | None = None
    cost: str | None = None


def diagram_kind(type_: str, root: Path | None = None) -> str | None:
    """The node kind a resource of this type is drawn as; None: not a node of its own."""
    from generator.facts.kinds import NODE_TYPES

    override = overrides(root).get(type_)
    if override is not None and override.diagram is not None:
        return None if override.diagram == DETAIL else override.diagram
    if type_ in NODE_TYPES:
        return NODE_TYPES[type_]
    found = service_of(type_)
    return found[1].nodes.get(type_) if found else None


def diagram_group(type_: str, root: Path | None = None) -> str | None:
    """The box a module asked this type to be drawn in, if any."""
    override = overrides(root).get(type_)
    return override.group if override is not None else None


def is_stateful(type_: str, root: Path | None = None) -> bool:
    override = overrides(root).get(type_)
    if override is not None and override.stateful is not None:
        return override.stateful
    found = service_of(type_)
    return bool(found and type_ in found[1].stateful)


def cost_override(type_: str, root: Path | None = None) -> str | None:
    """ "free" or "usage" when a module's TYPE_FACTS or USAGE_PRICED decides the type's cost; the price
    rules themselves live in review/cost/ (generator.review.cost.estimate.decision combines both)."""
    override = overrides(root).get(type_)
    if override is not None and override.cost is not None:
        return override.cost
    return "usage" if type_ in USAGE_PRICED else None


def missing(
    types: Iterable[str], root: Path | None = None, decide_cost: Callable[[str], str | None] | None = None
) -> list[str]:
    """One line per undecided fact of these types, naming what to add where (cost: when `decide_cost`,
    generator.review.cost.estimate.decision's, is given: the price rules live above this floor)."""
    from generator.facts.kinds import CONNECTOR_TYPES, NODE_TYPES

    known = overrides(root)
    lines = []
    for type_ in sorted(set(types)):
        override = known.get(type_)
        has_service = service_of(type_) is not None
        prefix = "aws_" + type_.removeprefix("aws_").split("_")[0] + "_"
        if not (
            has_service
            or type_ in NODE_TYPES
            or type_ in CONNECTOR_TYPES
            or (override is not None and override.diagram is not None)
        ):
            lines.append(
                f"{type_}: no diagram decision: add SERVICES[{prefix!r}] = _service({{...}}) in "
                f"generator/facts/services.py, or {FACTS_VARIABLE} = {{{type_!r}: {{'diagram': ...}}}} "
                "in the module that uses it"
            )
        if not (has_service or (override is not None and override.stateful is not None)):
            lines.append(
                f"{type_}: no stateful decision: add SERVICES[{prefix!r}] (its `stateful` types) in "
                f"generator/facts/services.py, or {FACTS_VARIABLE} = {{{type_!r}: {{'stateful': ...}}}} "
                "in the module that uses it"
            )
        if decide_cost is not None and decide_cost(type_) is None:
            lines.append(
                f"{type_}: no cost decision: add a rule to RULES or the type to FREE in "
                "generator/review/cost/rules.py, to USAGE_PRICED in generator/facts/services.py, or "
                f"{FACTS_VARIABLE} = {{{type_!r}: {{'cost': 'free' | 'usage'}}}} in the module that uses it"
            )
    return lines


def overrides(root: Path | None = None) -> Mapping[str, Override]:
    """The TYPE_FACTS of the project's modules (root: default the project root, if there is one)."""
    if root is None:
        root = _project_root()
        if root is None:
            return {}
    return _overrides_in(root.resolve())


def _project_root() -> Path | None:
    from generator.errors import UsageError
    from generator.paths import project_root

    try:
        return project_root()
    except UsageError:
        return None


@functools.cache
def _overrides_in(root: Path) -> dict[str, Override]:
    found: dict[str, Override] = {}
    for path in sorted((root / "modules").rglob("*.py")) if (root / "modules").is_dir() else []:
        if "__pycache__" not in path.parts:
            found.update(read_overrides(path, root))
    return found


def read_overrides(path: Path, root: Path) -> dict[str, Override]:
    """The TYPE_FACTS literal of one module file, checked; a bad one is a one-line ConfigError."""
    text = path.read_text(encoding="utf-8")
    if FACTS_VARIABLE not in text:
        return {}
    relative = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return {}  # importing the module reports it, with its line
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, expression = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, expression = node.target, node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id == FACTS_VARIABLE:
            where = f"{relative}:{node.lineno}"
            try:
                value = ast.literal_eval(expression)
            except ValueError:
                raise ConfigError(f"{where}: {FACTS_VARIABLE} must be a literal dict of dicts") from None
            return _checked(value, where)
    return {}


def _checked(value: Any, where: str) -> dict[str, Override]:
    from generator.facts.kinds import KINDS

    if not isinstance(value, dict):
        raise ConfigError(f"{where}: {FACTS_VARIABLE} must be a dict of type -> facts")
    result = {}
    for type_, facts in value.items():
        if not isinstance(type_, str) or not isinstance(facts, dict):
            raise ConfigError(f"{where}: {FACTS_VARIABLE}[{type_!r}] must be a dict like {{'stateful': True}}")
        for key, item in facts.items():
            if key not in _KEYS or not isinstance(item, _KEYS[key]):
                raise ConfigError(
                    f"{where}: {FACTS_VARIABLE}[{type_!r}][{key!r}]: expected one of "
                    + ", ".join(f"{k} ({t.__name__})" for k, t in _KEYS.items())
                )
        if facts.get("diagram") not in (None, DETAIL, *KINDS):
            raise ConfigError(
                f"{where}: {FACTS_VARIABLE}[{type_!r}]['diagram']: {facts['diagram']!r} is not "
                f"{DETAIL!r} or a kind ({', '.join(sorted(KINDS))})"
            )
        if facts.get("cost") not in (None, *_COSTS):
            raise ConfigError(
                f"{where}: {FACTS_VARIABLE}[{type_!r}]['cost'] must be 'free' or 'usage' "
                "(a price rule goes in generator/review/cost/rules.py)"
            )
        result[type_] = Override(where, **facts)
    return result


__all__ = [
    "DETAIL",
    "FACTS_VARIABLE",
    "Override",
    "SERVICES",
    "cost_override",
    "diagram_group",
    "diagram_kind",
    "is_stateful",
    "missing",
    "overrides",
    "read_overrides",
]
