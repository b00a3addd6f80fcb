"""The console summary of one plan, printed by `plan`, `apply` and `destroy`: from the plan model."""

from __future__ import annotations

from generator.plan.model import EnvPlan
from generator.plan.resource import Action, ResourceChange

LISTED_PER_KIND = 25  # creates and updates beyond this are counted, not listed

# (label, which changes) in print order: destroys and replaces always in full, first.
_KINDS: tuple[tuple[str, Action | str], ...] = (
    ("destroy", Action.DESTROY),
    ("replace", Action.REPLACE),
    ("change", Action.UPDATE),
    ("add", Action.CREATE),
    ("forget", Action.FORGET),
    ("replace, old one forgotten", Action.CREATE_FORGET),
    ("import", "import"),
    ("move", "move"),
)


def headline(plan: EnvPlan) -> str:
    c = plan.counts
    text = f"{plan.env}: {c.add} to add, {c.change} to change, {c.destroy} to destroy, {c.replace} to replace"
    extra = [f"{n} to {word}" for n, word in ((c.imported, "import"), (c.moved, "move"), (c.forget, "forget")) if n]
    outputs = [f"{plan.outputs_changed} output change(s)"] if plan.outputs_changed else []
    more = [
        f"{n} {word}" for n, word in ((len(plan.actions), "action(s) to run"), (len(plan.deferred), "deferred")) if n
    ]
    return ", ".join([text, *extra, *outputs, *more]) + (" (refresh-only)" if plan.refresh_only else "")


def notices(plan: EnvPlan) -> list[str]:
    """One line each for drift and failed checks: the things a plan can hide behind zero counts."""
    out = []
    if plan.drift:
        out.append(
            f"  drift    {len(plan.drift)} resource(s) changed outside Terraform: "
            + ", ".join(c.address for c in plan.drift[:5])
            + (" ..." if len(plan.drift) > 5 else "")
        )
    failed = plan.failed_checks
    if failed:
        out.append(
            f"  checks   {len(failed)} failed: "
            + "; ".join(f"{c.address}" + (f" ({c.problems[0]})" if c.problems else "") for c in failed[:5])
        )
    return out


def _picked(plan: EnvPlan, kind: Action | str) -> list[ResourceChange]:
    if kind == "import":
        return [c for c in plan.changes if c.imported and c.action is Action.NOOP]
    if kind == "move":
        return [c for c in plan.changes if c.moved_from and c.action is Action.NOOP]
    return [c for c in plan.changes if c.action is kind]


def lines(plan: EnvPlan) -> list[str]:
    """Headline, drift and failed checks, then destroys and replaces (always all), then the
    rest, each kind cut at 25."""
    out = [headline(plan), *notices(plan)]
    for label, kind in _KINDS:
        picked = _picked(plan, kind)
        limit = len(picked) if kind in (Action.DESTROY, Action.REPLACE) else LISTED_PER_KIND
        out += [
            f"  {label:<8} " + (f"{c.moved_from} -> {c.address}" if label == "move" else c.address)
            for c in picked[:limit]
        ]
        if len(picked) > limit:
            out.append(f"  {label:<8} ... and {len(picked) - limit} more")
    return out
