"""AWS's always-free allowances that apply to what the estimate prices, as a separate line.

They are per account, not per env: another env or project of the same account may use them
already, so the estimate never deducts them; `cost`, `cost --json` and the PR comment show what
they would be worth, on their own. Only the always-free tiers are listed, as AWS publishes them:
CloudWatch's 10 standard alarm metrics, 3 dashboards and 5 GB of log data (ingestion and storage),
per https://aws.amazon.com/cloudwatch/pricing/ (free tier table); AWS bills the two log allowances
as separate lines ("First 5GB per month of log data ingested is free", "First 5GB-mo per month of
logs storage is free").
The 12-month offers are left out on purpose: AWS ended them for accounts opened from 2025-07-15
(those get credits instead), and an older account's 12 months are over.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from generator.review.cost.lines import Line

KIND = "always-free"  # the only kind of allowance listed (see above)


@dataclass(frozen=True)
class Allowance:
    key: str  # the price table key it applies to
    quantity: float  # free per month, in the key's unit
    what: str


@dataclass(frozen=True)
class Saving:
    """What one allowance would take off this env's month, were no other env using it."""

    allowance: Allowance
    quantity: float  # the part of the env's usage the allowance covers
    usd: float


ALLOWANCES: tuple[Allowance, ...] = (
    Allowance("cloudwatch_alarm_month", 10, "10 standard alarm metrics"),
    Allowance("cloudwatch_dashboard_month", 3, "3 dashboards"),
    Allowance("cloudwatch_logs_ingest_gb", 5, "5 GB of log ingestion"),
    Allowance("cloudwatch_logs_storage_gb_month", 5, "5 GB-month of log storage"),
)


def savings(lines: Iterable[Line]) -> list[Saving]:
    """One saving for each allowance the priced lines reach."""
    used: dict[str, float] = {}
    unit: dict[str, float] = {}
    for line in lines:
        used[line.price.key] = used.get(line.price.key, 0.0) + line.quantity
        unit[line.price.key] = line.price.usd
    found = []
    for allowance in ALLOWANCES:
        if used.get(allowance.key):
            covered = min(allowance.quantity, used[allowance.key])
            found.append(Saving(allowance, covered, covered * unit[allowance.key]))
    return found


def free_tier(lines: Iterable[Line]) -> list[tuple[str, float]]:
    """(what, USD per month it would save) for each allowance the priced lines reach."""
    return [(saving.allowance.what, saving.usd) for saving in savings(lines)]


def to_json(found: Iterable[Saving]) -> dict[str, Any]:
    """The `free_tier` field of `cost --json`: worth, kind and allowances; never part of the totals."""
    items = list(found)
    allowances: list[Mapping[str, Any]] = [
        {
            "what": s.allowance.what,
            "price_key": s.allowance.key,
            "free_quantity": s.allowance.quantity,
            "covered_quantity": round(s.quantity, 4),
            "usd": round(s.usd, 4),
        }
        for s in items
    ]
    return {
        "usd": round(sum(s.usd for s in items), 4),
        "kind": KIND,
        "per": "account",
        "deducted": False,
        "allowances": allowances,
    }
