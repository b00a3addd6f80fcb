"""Review model -> one markdown comment (generator/templates/plan_comment.md.j2). Pure: no I/O but the template.

GitHub rejects comments over 65,536 characters, so the render degrades in steps until it fits:
full plan text goes first, then attribute detail of non-destructive changes, then the
architecture diagrams, then the remaining attribute detail and the non-destructive resource lists,
and last the destroy/replace list is cut to what fits, saying how many were left out.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import jinja2

from generator.diagram.model import Pictures
from generator.paths import templates_dir
from generator.plan.model import EnvPlan, PlanReport
from generator.plan.resource import Action, ResourceChange
from generator.review.comment import mdescape
from generator.review.comment.costpolicy import CostGroup, cost_globals, cost_groups, policy_groups
from generator.review.comment.markup import code, fence, size, source_link, summary, tidy
from generator.review.comment.parts import attribute_lines, label, parts_globals, plan_text, plural
from generator.review.comment.status import CiStatus
from generator.review.cost.estimate import EnvCost
from generator.review.policy.findings import PolicyReport

MARKER = "<!-- hclgen:plan-comment -->"
DIAGRAM_LEGEND = "🟩 added · 🟨 changed · 🟧 replaced · 🟥 destroyed · 🟦 moved · 🟪 imported"
MAX_CHARS = 65_536
TEMPLATE = "plan_comment.md.j2"
COLLAPSE_FROM = 2  # with this many envs or more, the no-op envs share one line


@dataclass(frozen=True)
class View:
    """How much of the report one render shows; render_comment tries these from most to least."""

    plan_text: bool = True
    destructive_attributes: bool = True
    other_attributes: bool = True
    keep_others: int | None = None  # None: list every created/updated/imported/moved resource
    keep_destructive: int | None = None  # None: list every destroyed/replaced resource
    diagrams: bool = True  # the compact architecture diagram of each env (dropped before destroy detail)
    cost_lines: bool = True  # the top cost lines of each env (the totals always stay)
    cost_changes: bool = True  # the cost lines the plan changes


_TEXT: dict[str, bool] = {"plan_text": False}
_COST = {**_TEXT, "cost_lines": False}
_ATTRS = {**_COST, "other_attributes": False}
_DIAGRAMS = {**_ATTRS, "diagrams": False}
_CHANGES = {**_DIAGRAMS, "cost_changes": False}
STEPS = (
    View(),
    View(**_TEXT),
    View(**_COST),
    View(**_ATTRS),
    View(**_DIAGRAMS),
    View(**_CHANGES),
    View(**_CHANGES, destructive_attributes=False),
)


@dataclass(frozen=True)
class Group:
    """The resources of one env listed in one section, and how many were left out."""

    env: EnvPlan
    shown: tuple[ResourceChange, ...]
    omitted: int


@functools.cache
def _template() -> jinja2.Template:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters.update(code=code, fence=fence, plural=plural, summary=summary, label=label, text=mdescape.text)
    environment.globals.update(
        attribute_lines=attribute_lines,
        source_link=source_link,
        plan_text=plan_text,
        Action=Action,
        **cost_globals(),
        **parts_globals(),
    )
    return environment.get_template(TEMPLATE)


def _groups(envs: Sequence[EnvPlan], pick: str, keep: int | None) -> list[Group]:
    """Per env, the `destructive` or `others` changes; `keep` caps how many are listed in all."""
    groups = []
    left = keep
    for env in envs:
        items: tuple[ResourceChange, ...] = getattr(env, pick)
        if not items:
            continue
        shown = items if left is None else items[:left]
        left = None if left is None else left - len(shown)
        groups.append(Group(env, tuple(shown), len(items) - len(shown)))
    return groups


def _cuts(
    view: View,
    report: PlanReport,
    others: int,
    omitted_others: int,
    omitted_destructive: int,
    diagrams: bool = False,
    costs: Sequence[CostGroup] = (),
) -> list[str]:
    cuts = []
    if not view.plan_text:
        cuts.append("the full plan text")
    if costs and not view.cost_lines:
        cuts.append("the top cost lines of each environment")
    if diagrams and not view.diagrams:
        cuts.append("the architecture diagrams")
    if costs and not view.cost_changes and any(group.cost.before.lines for group in costs):
        cuts.append("the changed cost lines")
    if not view.destructive_attributes:
        cuts.append("the attribute changes of each resource")
    elif not view.other_attributes:
        kinds = (
            "created, updated, imported, moved and drifted"
            if report.drifted
            else "created, updated, imported and moved"
        )
        cuts.append(f"the attribute changes of {kinds} resources")
    if omitted_others:
        cuts.append(f"{omitted_others} of the {others} created, updated, imported or moved resources")
    if omitted_destructive:
        cuts.append(f"{omitted_destructive} of the {report.destructive} destroyed or replaced resources")
    return cuts


@dataclass(frozen=True)
class Extras:
    """The cost and policy sections, rendered from their own models."""

    costs: tuple[EnvCost, ...] = ()
    policy: PolicyReport | None = None
    diagrams: Mapping[str, Pictures] = field(default_factory=dict)  # env -> compact Mermaid diagram, in parts
    status: CiStatus | None = None  # the CI jobs' step records (failures shown first)


def collapsed(report: PlanReport) -> list[str]:
    """The envs listed on the one "No changes" line instead of a row and a section each."""
    if len(report.envs) < COLLAPSE_FROM:
        return []
    return [env.env for env in report.envs if env.no_changes and not env.stale]


def _render(
    report: PlanReport,
    view: View,
    artifacts_url: str | None,
    source_url: str | None,
    limit: int = MAX_CHARS,
    extras: Extras = Extras(),
) -> str:
    destructive = _groups(report.envs, "destructive", view.keep_destructive)
    others = _groups(report.envs, "others", view.keep_others)
    quiet = collapsed(report)
    costs = cost_groups(
        [c for c in extras.costs if c.env not in quiet], lines=view.cost_lines, changes=view.cost_changes
    )
    cuts = _cuts(
        view,
        report,
        sum(len(env.others) for env in report.envs),
        sum(g.omitted for g in others),
        sum(g.omitted for g in destructive),
        bool(extras.diagrams),
        costs,
    )
    shown = sorted(extras.diagrams.items()) if view.diagrams else []
    return tidy(
        _template().render(
            marker=MARKER,
            report=report,
            destructive_groups=destructive,
            other_groups=others,
            cuts=cuts,
            view=view,
            artifacts_url=mdescape.safe_url(artifacts_url),
            source_url=source_url,
            limit=limit,
            diagrams=shown,
            legend=DIAGRAM_LEGEND,
            cost_groups=costs,
            policy=extras.policy,
            policy_groups=policy_groups(extras.policy),
            collapsed=quiet,
            status=extras.status,
            nothing_affected=extras.status.nothing_affected if extras.status is not None else True,
        )
    )


def _truncate(text: str, limit: int) -> str:
    note = "\n\n… (comment cut at GitHub's size limit; see the workflow run's artifacts)\n"
    while size(text) + size(note) > limit:
        text = text[: max(0, len(text) - (size(text) + size(note) - limit))]
    return text + note


def _largest(fits: Callable[[int], str | None], high: int) -> tuple[int, str] | None:
    """The largest n in [0, high] whose render fits (renders grow with n), with its text."""
    best = None
    low = 0
    while low <= high:
        mid = (low + high) // 2
        text = fits(mid)
        if text is None:
            high = mid - 1
        else:
            best, low = (mid, text), mid + 1
    return best


def render_comment(
    report: PlanReport,
    *,
    artifacts_url: str | None = None,
    source_url: str | None = None,
    limit: int = MAX_CHARS,
    diagrams: Mapping[str, Pictures] | None = None,
    costs: Sequence[EnvCost] = (),
    policy: PolicyReport | None = None,
    status: CiStatus | None = None,
    trailer: str = "",
) -> str:
    """The markdown comment at the most detailed view that fits in `limit` characters.

    `diagrams`: env -> (title, Mermaid text) parts of its compact architecture diagram, changes marked.
    Order of cuts: full plan text; top cost lines; attributes of non-destructive changes; the
    diagrams; changed cost lines; all attributes; then the non-destructive list shortened; last
    the destroy/replace list shortened. Cost totals and policy findings always stay.
    `status`: the CI step records; failed steps come first and no failure reads as green.
    `trailer`: hidden markers (the digests) appended after the text, within the limit.
    """
    if trailer:
        body = render_comment(
            report,
            artifacts_url=artifacts_url,
            source_url=source_url,
            limit=limit - size(trailer) - 2,
            diagrams=diagrams,
            costs=costs,
            policy=policy,
            status=status,
        )
        return f"{body.rstrip(chr(10))}\n\n{trailer}\n"
    extras = Extras(tuple(costs), policy, dict(diagrams or {}), status)

    def attempt(view: View) -> str | None:
        text = _render(report, view, artifacts_url, source_url, limit, extras)
        return text if size(text) <= limit else None

    for view in STEPS:
        if (text := attempt(view)) is not None:
            return text
    bare = STEPS[-1]
    others = sum(len(env.others) for env in report.envs)
    found = _largest(lambda n: attempt(replace(bare, keep_others=n)), others - 1)
    if found is not None:
        return found[1]
    found = _largest(lambda n: attempt(replace(bare, keep_others=0, keep_destructive=n)), report.destructive - 1)
    if found is not None:
        return found[1]
    return _truncate(
        _render(report, replace(bare, keep_others=0, keep_destructive=0), artifacts_url, source_url, limit, extras),
        limit,
    )
