"""The one plan model: `terraform show -json` -> EnvPlan. Pure: dicts in, frozen dataclasses out.

Beside resource changes it carries drift (resource_drift), output changes, checks that did not
pass, deferred changes and action invocations (generator.plan.parts), and whether the plan
is refresh-only, so no consumer can say "No changes" over any of them.

`plan`, `apply` and `destroy` decide and print from it (generator.plan.summary), and the
pull-request comment renders it (generator.review.comment.render), so they never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from generator.plan import parts as planparts
from generator.plan import planjson
from generator.plan.attrdiff import format_path
from generator.plan.parts import ActionInvocation, CheckResult, DeferredChange, OutputChange, is_refresh_only
from generator.plan.resource import Action, ResourceChange, classify, configured_keys, resource_change


@dataclass(frozen=True)
class Counts:
    add: int = 0
    change: int = 0
    destroy: int = 0
    replace: int = 0
    imported: int = 0
    moved: int = 0
    forget: int = 0

    @property
    def total(self) -> int:
        return self.add + self.change + self.destroy + self.replace + self.imported + self.moved + self.forget


@dataclass(frozen=True)
class EnvPlan:
    """One environment's plan: counts, changed resources (destructive first), full text, and
    what else a reviewer must see: drift, outputs, checks, deferred changes, actions."""

    env: str
    counts: Counts
    changes: tuple[ResourceChange, ...]
    full_text: str | None = None
    errored: bool = False
    error: str | None = None  # why the plan failed, when hclgen recorded it
    stale: tuple[str, ...] = ()  # committed files that differ from what the Python renders
    outputs: tuple[OutputChange, ...] = ()
    drift: tuple[ResourceChange, ...] = ()  # changed outside terraform (resource_drift)
    checks: tuple[CheckResult, ...] = ()  # checks that did not pass
    deferred: tuple[DeferredChange, ...] = ()
    actions: tuple[ActionInvocation, ...] = ()
    refresh_only: bool = False  # a `plan -refresh-only`: applying only records the drift in state

    @property
    def outputs_changed(self) -> int:
        return len(self.outputs)

    @property
    def failed_checks(self) -> tuple[CheckResult, ...]:
        return tuple(c for c in self.checks if c.failed)

    @property
    def destructive(self) -> tuple[ResourceChange, ...]:
        return tuple(c for c in self.changes if c.destructive)

    @property
    def others(self) -> tuple[ResourceChange, ...]:
        return tuple(c for c in self.changes if not c.destructive)

    @property
    def has_changes(self) -> bool:
        """Whether applying would do anything: resources (incl. imports, moves, forgets), outputs,
        actions, or (refresh-only) recording drift in the state."""
        return (
            self.counts.total > 0
            or self.outputs_changed > 0
            or bool(self.actions)
            or (self.refresh_only and bool(self.drift))
        )

    @property
    def no_changes(self) -> bool:
        """Nothing to apply, nothing drifted, deferred or failed: "the infrastructure matches"."""
        return (
            not self.has_changes
            and not self.errored
            and not self.drift
            and not self.deferred
            and not self.failed_checks
        )


@dataclass(frozen=True)
class PlanReport:
    envs: tuple[EnvPlan, ...]

    @property
    def destructive(self) -> int:
        return sum(len(env.destructive) for env in self.envs)

    @property
    def stateful_destructive(self) -> int:
        return sum(1 for env in self.envs for c in env.destructive if c.stateful)

    @property
    def no_changes(self) -> bool:
        return all(env.no_changes for env in self.envs)

    @property
    def errored(self) -> tuple[str, ...]:
        return tuple(env.env for env in self.envs if env.errored)

    @property
    def drifted(self) -> int:
        return sum(len(env.drift) for env in self.envs)

    @property
    def failed_checks(self) -> int:
        return sum(len(env.failed_checks) for env in self.envs)


def _counts(changes: Sequence[ResourceChange]) -> Counts:
    by = {action: sum(1 for c in changes if c.action is action) for action in Action}
    return Counts(
        add=by[Action.CREATE] + by[Action.CREATE_FORGET],
        change=by[Action.UPDATE],
        destroy=by[Action.DESTROY],
        replace=by[Action.REPLACE],
        forget=by[Action.FORGET] + by[Action.CREATE_FORGET],
        imported=sum(1 for c in changes if c.imported),
        moved=sum(1 for c in changes if c.moved_from),
    )


def _order(change: ResourceChange) -> tuple[int, int, str]:
    """Destroys, then replaces (stateful first in each), then the rest in plan order."""
    rank = {Action.DESTROY: 0, Action.REPLACE: 1}.get(change.action, 2)
    return (rank, 0 if change.stateful or rank == 2 else 1, "" if rank == 2 else change.address)


def env_plan(
    env: str, plan: Mapping[str, Any], sources: Mapping[str, str] | None = None, full_text: str | None = None
) -> EnvPlan:
    """Build one env's model from its parsed `terraform show -json` document.

    Raises PlanFormatError (one line) for a document it cannot read truthfully (planjson.checked)."""
    plan = planjson.checked(plan)
    try:
        return _env_plan(env, plan, sources, full_text)
    except (AttributeError, TypeError, KeyError, ValueError) as err:  # a shape checked() does not know yet
        raise planjson.PlanFormatError(
            f"not a plan hclgen understands: a value of an unexpected shape ({type(err).__name__}: {str(err)[:80]})"
        ) from None


def _env_plan(env: str, plan: Mapping[str, Any], sources: Mapping[str, str] | None, full_text: str | None) -> EnvPlan:
    configured = configured_keys(plan)
    changes = [
        resource_change(rc, sources or {}, configured)
        for rc in plan.get("resource_changes", [])
        if rc.get("mode", "managed") == "managed"
    ]
    kept = [c for c in changes if c.action is not Action.NOOP or c.imported or c.moved_from]
    kept.sort(key=_order)  # stable: non-destructive keep terraform's (address) order
    refresh_only = is_refresh_only(plan)
    drift = [
        resource_change(rc, sources or {}, configured)
        for rc in plan.get("resource_drift") or []
        if rc.get("mode", "managed") == "managed"
    ]
    if not refresh_only:
        drift = relevant_drift(drift, plan)
    return EnvPlan(
        env=env,
        counts=_counts(kept),
        changes=tuple(kept),
        full_text=full_text,
        errored=bool(plan.get("errored")),
        outputs=planparts.outputs(plan, classify),
        drift=tuple(c for c in drift if _drifted(c)),
        checks=planparts.checks(plan),
        deferred=planparts.deferred(plan, classify),
        actions=planparts.actions(plan),
        refresh_only=refresh_only,
    )


def _under(path: str, prefix: str) -> bool:
    return not prefix or path == prefix or (path.startswith(prefix) and path[len(prefix)] in ".[ ")


def relevant_drift(drift: Sequence[ResourceChange], plan: Mapping[str, Any]) -> list[ResourceChange]:
    """Drift in a normal plan, as terraform shows it: only the attributes the plan's changes
    depend on (relevant_attributes). The rest (an EIP's association filled in by the NAT gateway
    created after it) is the provider catching up, not someone changing things outside terraform;
    the plan's own changes already show what it reverts. A deleted resource is always relevant."""
    relevant: dict[str, list[str]] = {}
    for item in plan.get("relevant_attributes") or []:
        relevant.setdefault(str(item.get("resource")), []).append(format_path(tuple(item.get("attribute") or ())))
    out = []
    for change in drift:
        prefixes = relevant.get(change.address)
        if change.action is Action.DESTROY:
            out.append(change)
        elif prefixes is not None:
            prefixes = ["" if p == "(whole resource)" else p for p in prefixes]
            kept = tuple(a for a in change.attributes if any(_under(a.path, p) for p in prefixes))
            out.append(replace(change, attributes=kept))
    return out


def _drifted(change: ResourceChange) -> bool:
    """Drift worth showing: deleted outside terraform, or attributes that really differ (a drift
    entry whose differences are all provider normalisation, null vs [], is noise)."""
    return change.action is Action.DESTROY or (change.action is not Action.NOOP and bool(change.attributes))


def failed_plan(env: str, error: str | None) -> EnvPlan:
    """An env whose plan did not complete (recorded by `plan` in meta.json)."""
    return EnvPlan(env=env, counts=Counts(), changes=(), errored=True, error=error)
