"""`terraform show -json` plan -> monthly cost before and after, line by line. Pure: no I/O.

Each priced line is one billed dimension of one resource (NAT gateway hours, its GB processed,
an RDS instance's hours, ...) with quantity x unit price = amount, the price coming from the
price table. Both sides of the plan are priced with the same usage assumptions, so the delta
is what the change itself costs. Types without a rule are listed as not priced, never zero.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generator.review.cost.lines import Context, Line, Resource
from generator.review.cost.pricing import PriceTable
from generator.review.cost.usage import Usage

_INDEX = re.compile(r"\[[^\]]*\]")
_RESOURCE_REF = re.compile(r"^(?:module\.[^.]+\.)*(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)$")


@dataclass(frozen=True)
class Unpriced:
    """A resource (or a part of one) the price table cannot price."""

    address: str
    type: str
    reason: str


@dataclass(frozen=True)
class Estimate:
    """One side of a plan (before or after), priced."""

    lines: tuple[Line, ...] = ()
    unpriced: tuple[Unpriced, ...] = ()

    @property
    def total(self) -> float:
        return sum(line.amount for line in self.lines)

    @property
    def low(self) -> float:
        return sum(line.low_amount for line in self.lines)

    @property
    def high(self) -> float:
        return sum(line.high_amount for line in self.lines)

    @property
    def ranged(self) -> bool:
        return any(line.low is not None for line in self.lines)

    def top(self, count: int) -> tuple[Line, ...]:
        return tuple(sorted(self.lines, key=lambda line: (-line.amount, line.address, line.key))[:count])


@dataclass(frozen=True)
class LineChange:
    """One billed dimension whose amount (or what it is) the plan changes."""

    address: str
    key: str
    before: Line | None
    after: Line | None

    @property
    def delta(self) -> float:
        return (self.after.amount if self.after else 0.0) - (self.before.amount if self.before else 0.0)


@dataclass(frozen=True)
class EnvCost:
    """One env's monthly estimate before and after its plan, and what it assumes."""

    env: str
    region: str
    before: Estimate
    after: Estimate
    changes: tuple[LineChange, ...]
    assumptions: tuple[str, ...]
    usage_file: str | None  # where the assumptions come from (None: the defaults)
    as_of: str
    error: str | None = None  # why it could not be estimated at all (e.g. a region without prices)

    @property
    def delta(self) -> float:
        return self.after.total - self.before.total

    @property
    def unpriced(self) -> tuple[Unpriced, ...]:
        seen = {(u.address, u.reason): u for u in (*self.before.unpriced, *self.after.unpriced)}
        return tuple(seen[key] for key in sorted(seen))


def config_refs(plan: Mapping[str, Any]) -> dict[str, dict[str, tuple[str, ...]]]:
    """Resource address (no instance keys) -> attribute -> resource addresses it references."""
    out: dict[str, dict[str, tuple[str, ...]]] = {}

    def collect(node: Any, found: list[str], prefix: str) -> None:
        if isinstance(node, dict):
            refs = node.get("references")
            for ref in refs if isinstance(refs, list) else []:
                if isinstance(ref, str) and _RESOURCE_REF.match(ref):
                    found.append(prefix + ref)
            for key, value in node.items():
                if key != "references":
                    collect(value, found, prefix)
        elif isinstance(node, list):
            for item in node:
                collect(item, found, prefix)

    def visit(module: Mapping[str, Any], prefix: str) -> None:
        for res in module.get("resources", []):
            if res.get("mode", "managed") != "managed":
                continue
            attrs: dict[str, tuple[str, ...]] = {}
            for name, expression in res.get("expressions", {}).items():
                found: list[str] = []
                collect(expression, found, prefix)
                attrs[name] = tuple(dict.fromkeys(found))
            out[prefix + str(res.get("address") or f"{res.get('type')}.{res.get('name')}")] = attrs
        for name, call in module.get("module_calls", {}).items():
            visit(call.get("module", {}), f"{prefix}module.{name}.")

    visit(plan.get("configuration", {}).get("root_module", {}), "")
    return out


def plan_region(plan: Mapping[str, Any]) -> str | None:
    """The AWS provider's region as configured, when it is a constant."""
    config = plan.get("configuration", {}).get("provider_config", {}).get("aws", {})
    region = config.get("expressions", {}).get("region", {}).get("constant_value")
    return region if isinstance(region, str) else None


def plan_sides(plan: Mapping[str, Any]) -> tuple[dict[str, Resource], dict[str, Resource]]:
    """(before, after) resources of a plan; a created one is only after, a destroyed one only before."""
    from generator.plan.planjson import checked

    plan = checked(plan)
    refs = config_refs(plan)
    before: dict[str, Resource] = {}
    after: dict[str, Resource] = {}
    for rc in plan.get("resource_changes", []):
        if rc.get("mode", "managed") != "managed":
            continue
        change, actions = rc.get("change", {}), rc["change"]["actions"]
        address, kind = rc["address"], rc.get("type", "")
        if rc.get("deposed"):  # left by a failed create_before_destroy: it exists (and bills) until deleted
            address = f"{address} (deposed {rc['deposed']})"
        resource_refs = refs.get(_INDEX.sub("", rc["address"]), {})
        old = change.get("before")
        if isinstance(old, dict):
            before[address] = Resource(address, kind, old, {}, resource_refs)
            if "forget" in actions:  # only dropped from the state: the object stays and still costs
                forgotten = address if actions == ["forget"] else f"{address} (forgotten)"
                after[forgotten] = Resource(forgotten, kind, old, {}, resource_refs)
        if isinstance(change.get("after"), dict):
            after[address] = Resource(address, kind, change["after"], change.get("after_unknown") or {}, resource_refs)
    return before, after


def price_side(resources: Mapping[str, Resource], prices: PriceTable, usage: Usage) -> Estimate:
    from generator.review.cost.rules_res import price_resource

    context = Context(prices, usage, resources)
    lines: list[Line] = []
    unpriced: list[Unpriced] = []
    for resource in sorted(resources.values(), key=lambda r: r.address):
        priced, reasons = price_resource(resource, context)
        lines.extend(priced)
        unpriced.extend(Unpriced(resource.address, resource.type, reason) for reason in reasons)
    return Estimate(tuple(lines), tuple(unpriced))


def line_changes(before: Estimate, after: Estimate) -> tuple[LineChange, ...]:
    """Dimensions whose amount or description differ, in address order."""
    old = {(line.address, line.key): line for line in before.lines}
    new = {(line.address, line.key): line for line in after.lines}
    changes = []
    for key in sorted(old.keys() | new.keys()):
        a, b = old.get(key), new.get(key)
        if a and b and round(a.amount, 2) == round(b.amount, 2) and a.item == b.item:
            continue
        changes.append(LineChange(key[0], key[1], a, b))
    return tuple(changes)


def env_cost(
    env: str, plan: Mapping[str, Any], prices: PriceTable, usage: Usage, usage_file: str | None = None
) -> EnvCost:
    """Price both sides of one env's plan."""
    before, after = plan_sides(plan)
    old, new = price_side(before, prices, usage), price_side(after, prices, usage)
    return EnvCost(
        env=env,
        region=prices.region,
        before=old,
        after=new,
        changes=line_changes(old, new),
        assumptions=tuple(usage.lines()),
        usage_file=usage_file,
        as_of=prices.as_of,
    )


def failed_cost(env: str, region: str, error: str) -> EnvCost:
    return EnvCost(
        env=env,
        region=region,
        before=Estimate(),
        after=Estimate(),
        changes=(),
        assumptions=(),
        usage_file=None,
        as_of="",
        error=error,
    )


def money(amount: float, signed: bool = False) -> str:
    text = f"${abs(amount):,.2f}"
    if signed:
        return ("+" if amount >= 0.005 else "-" if amount <= -0.005 else "±") + text
    return ("-" if amount <= -0.005 else "") + text


def unit_price(usd: float) -> str:
    text = f"{usd:.6f}".rstrip("0")
    return "$" + (text + "0" if len(text.split(".")[1]) < 2 else text)


def quantity(value: float) -> str:
    return f"{value:,.0f}" if abs(value - round(value)) < 1e-9 else f"{value:,.2f}"


def formula(line: Line) -> str:
    """`730 hour × $0.059 = $43.07`, with the range of an autoscaled line."""
    text = f"{quantity(line.quantity)} {line.price.unit} × {unit_price(line.price.usd)} = {money(line.amount)}"
    if line.low is not None and line.high is not None:
        text += f" (range {money(line.low_amount)}–{money(line.high_amount)})"
    return text


def total_text(estimate: Estimate) -> str:
    if estimate.ranged and round(estimate.low, 2) != round(estimate.high, 2):
        return f"{money(estimate.total)} ({money(estimate.low)}–{money(estimate.high)})"
    return money(estimate.total)
