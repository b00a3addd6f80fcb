"""AWS's always-free allowances that apply to what the estimate prices, as a separate line.

They are per account and region, not per env: another env or project in the same account may use
them already, so the estimate never deducts them; `cost` shows what they would be worth. Only the
always-free tiers (not the 12-month ones of new accounts) are listed, as AWS publishes them:
CloudWatch's 10 standard alarm metrics, 3 dashboards and 5 GB of log data (ingestion and storage).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from generator.review.cost.lines import Line


@dataclass(frozen=True)
class Allowance:
    key: str  # the price table key it applies to
    quantity: float  # free per month, in the key's unit
    what: str


ALLOWANCES: tuple[Allowance, ...] = (
    Allowance("cloudwatch_alarm_month", 10, "10 standard alarm metrics"),
    Allowance("cloudwatch_dashboard_month", 3, "3 dashboards"),
    Allowance("cloudwatch_logs_ingest_gb", 5, "5 GB of log ingestion"),
    Allowance("cloudwatch_logs_storage_gb_month", 5, "5 GB-month of log storage"),
)


def free_tier(lines: Iterable[Line]) -> list[tuple[str, float]]:
    """(what, USD per month it would save) for each allowance the priced lines reach."""
    used: dict[str, float] = {}
    unit: dict[str, float] = {}
    for line in lines:
        used[line.price.key] = used.get(line.price.key, 0.0) + line.quantity
        unit[line.price.key] = line.price.usd
    return [(a.what, min(a.quantity, used[a.key]) * unit[a.key]) for a in ALLOWANCES if used.get(a.key)]
