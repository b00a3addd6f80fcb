"""Every resource type's cost decision: a price rule, free, or billed per use and not estimated.

The rules live here in review/cost/ (rules.py, rules_res.py, rules_services.py); facts/ holds the
decisions a module or the service table makes (TYPE_FACTS, USAGE_PRICED). This module joins the
two, so facts/ never imports the cost room that imports it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from generator import facts
from generator.review.cost.free import FREE
from generator.review.cost.rules import RULES
from generator.review.cost.rules_res import RES_FREE, RES_RULES


def cost_decision(type_: str, root: Path | None = None) -> str | None:
    """ "rule", "free" or "usage" (billed per use, not estimated); None: nobody decided."""
    if type_ in RULES or type_ in RES_RULES:
        return "rule"
    override = facts.cost_override(type_, root)
    if override is not None:
        return override
    return "free" if type_ in FREE or type_ in RES_FREE else None


def missing(types: Iterable[str], root: Path | None = None) -> list[str]:
    """facts.missing with the cost decision too: one line per undecided fact, naming where to decide it."""
    return facts.missing(types, root, lambda type_: cost_decision(type_, root))
