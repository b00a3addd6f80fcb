"""What the plan comment shows of the cost estimate and the policy findings (view models)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from generator.review.cost.estimate import EnvCost, LineChange, formula, money, total_text, unit_price
from generator.review.cost.freetier import Saving, savings
from generator.review.cost.lines import Line
from generator.review.policy.findings import MAX_SHOWN, EnvPolicy, Finding, PolicyReport

MAX_COST_CHANGES = 15  # changed lines per env, largest delta first
TOP_COST_LINES = 10  # most expensive lines per env after the plan


@dataclass(frozen=True)
class CostGroup:
    """One env's estimate and the lines the comment lists for it."""

    cost: EnvCost
    changes: tuple[LineChange, ...]
    changes_omitted: int
    top: tuple[Line, ...]
    free: tuple[Saving, ...] = ()  # always-free allowances the env reaches: a line of its own, never deducted

    @property
    def free_usd(self) -> float:
        return sum(saving.usd for saving in self.free)


@dataclass(frozen=True)
class PolicyGroup:
    """One env's policy result and the findings listed (capped)."""

    policy: EnvPolicy
    introduced: tuple[Finding, ...]
    fixed: tuple[Finding, ...]
    omitted: int


def cost_groups(costs: Sequence[EnvCost], *, lines: bool, changes: bool) -> list[CostGroup]:
    """A created env lists its top lines only: every line of it is new, the changes say nothing more."""
    groups = []
    for cost in costs:
        changed = sorted(cost.changes, key=lambda c: (-abs(c.delta), c.address, c.key))
        shown = changed[:MAX_COST_CHANGES] if changes and cost.before.lines else []
        omitted = len(changed) - len(shown) if shown else 0
        top = cost.after.top(TOP_COST_LINES) if lines else ()
        groups.append(CostGroup(cost, tuple(shown), omitted, top, tuple(savings(cost.after.lines))))
    return groups


def policy_groups(report: PolicyReport | None) -> list[PolicyGroup]:
    if report is None:
        return []
    groups = []
    for env in report.envs:
        introduced, fixed = env.introduced[:MAX_SHOWN], env.fixed[:MAX_SHOWN]
        omitted = len(env.introduced) + len(env.fixed) - len(introduced) - len(fixed)
        groups.append(PolicyGroup(env, introduced, fixed, omitted))
    return groups


def change_item(change: LineChange) -> str:
    """`db.t4g.micro Single-AZ instance hours → db.t4g.small Single-AZ instance hours` when it changed."""
    before, after = change.before, change.after
    if before and after and before.item != after.item:
        return f"{before.item} → {after.item}"
    line = after or before
    return line.item if line else change.key


def as_of(costs: Sequence[CostGroup]) -> str:
    return min((group.cost.as_of for group in costs if group.cost.as_of), default="unknown")


def cost_globals() -> dict[str, Callable[..., Any]]:
    return {
        "money": money,
        "formula": formula,
        "total_text": total_text,
        "unit_price": unit_price,
        "change_item": change_item,
        "cost_as_of": as_of,
    }
