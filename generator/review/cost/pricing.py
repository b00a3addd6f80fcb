"""The price table shipped with hclgen (generator/review/cost/data/prices.json): loading and lookup.

One file, per region, of on-demand USD list prices keyed by what hclgen prices (for example
`nat_gateway_hour`, `rds_postgres_db.t4g.micro_multi_az`). Each entry carries its source and
as-of date; scripts/refresh_prices.py rewrites entries from the AWS Price List offer files.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import UsageError

PRICES_FILE = Path(__file__).resolve().parent / "data" / "prices.json"


@dataclass(frozen=True)
class Price:
    """One unit price."""

    key: str
    usd: float
    unit: str  # what one unit is: "hour", "GB", "GB-month", ...
    description: str
    source: str  # the offer file / pricing page it comes from
    as_of: str  # when that price was read
    method: str = "manual"  # "manual" (typed in) or "offer-file" (scripts/refresh_prices.py)


@dataclass(frozen=True)
class PriceTable:
    """The prices of one region."""

    region: str
    prices: Mapping[str, Price]
    instance_vcpus: Mapping[str, int]
    hours_per_month: float = 730.0

    def get(self, key: str) -> Price | None:
        return self.prices.get(key)

    @property
    def as_of(self) -> str:
        """The oldest as-of date in the table: the estimate is no fresher than that."""
        return min((price.as_of for price in self.prices.values()), default="unknown")


def _price(key: str, raw: Mapping[str, Any]) -> Price:
    return Price(
        key=key,
        usd=float(raw["usd"]),
        unit=str(raw["unit"]),
        description=str(raw.get("description", key)),
        source=str(raw["source"]),
        as_of=str(raw["as_of"]),
        method=str(raw.get("method", "manual")),
    )


@functools.cache
def _document(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise UsageError(f"cannot read the price table {path}: {err}") from None
    if not isinstance(data, dict) or not isinstance(data.get("regions"), dict):
        raise UsageError(f'price table {path} has no "regions" object')
    return data


def regions(path: Path = PRICES_FILE) -> tuple[str, ...]:
    return tuple(sorted(_document(path)["regions"]))


def load_prices(region: str, path: Path = PRICES_FILE) -> PriceTable:
    """The table of one region; a one-line error naming the regions there are."""
    data = _document(path)
    raw = data["regions"].get(region)
    if raw is None:
        raise UsageError(f"no prices for region {region} in {path.name} (it has: {', '.join(regions(path))})")
    try:
        prices = {key: _price(key, value) for key, value in raw.items()}
    except (KeyError, TypeError, ValueError) as err:
        raise UsageError(f"price table {path.name}, region {region}: malformed entry ({err})") from None
    vcpus = {str(k): int(v) for k, v in data.get("instance_vcpus", {}).items()}
    return PriceTable(
        region=region, prices=prices, instance_vcpus=vcpus, hours_per_month=float(data.get("hours_per_month", 730))
    )
