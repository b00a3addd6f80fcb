"""What a pricing rule works with: one resource of a plan side, its context, and the priced line it returns."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generator.review.cost.pricing import Price, PriceTable
from generator.review.cost.usage import Usage

_INDEX = re.compile(r"\[[^\]]*\]")


@dataclass(frozen=True)
class Line:
    """quantity x price = amount, per month; low/high are the quantity range of autoscaled services."""

    address: str
    key: str  # which dimension of the resource: "hours", "data", "instance", ...
    item: str  # what a reader sees: "NAT gateway hours", "db.m7g.large, Multi-AZ"
    quantity: float
    price: Price
    low: float | None = None
    high: float | None = None

    @property
    def amount(self) -> float:
        return self.quantity * self.price.usd

    @property
    def low_amount(self) -> float:
        return (self.quantity if self.low is None else self.low) * self.price.usd

    @property
    def high_amount(self) -> float:
        return (self.quantity if self.high is None else self.high) * self.price.usd


@dataclass(frozen=True)
class Resource:
    """One resource instance on one side of the plan."""

    address: str
    type: str
    values: Mapping[str, Any]
    unknown: Mapping[str, Any]  # after_unknown: attributes only known after apply
    refs: Mapping[str, tuple[str, ...]]  # attribute -> addresses it references in configuration

    @property
    def base(self) -> str:
        return _INDEX.sub("", self.address)

    def count_of(self, attribute: str) -> int | None:
        """How many items a list attribute holds, known or not yet known."""
        for source in (self.values, self.unknown):
            value = source.get(attribute)
            if isinstance(value, list):
                return len(value)
        return len(self.refs[attribute]) if self.refs.get(attribute) else None


@dataclass(frozen=True)
class Context:
    """What a pricing rule may look at besides its resource."""

    prices: PriceTable
    usage: Usage
    resources: Mapping[str, Resource]  # same side of the plan, by address

    def of_type(self, *types: str) -> list[Resource]:
        return [r for r in self.resources.values() if r.type in types]

    def flow_log_target(self, group: Resource) -> bool:
        """A flow log delivers into this log group: its data is priced as vended logs, not ingestion."""
        return any(group.base in flow.refs.get("log_destination", ()) for flow in self.of_type("aws_flow_log"))

    def line(
        self,
        resource: Resource,
        key: str,
        item: str,
        quantity: float,
        price_key: str,
        low: float | None = None,
        high: float | None = None,
    ) -> Line | str:
        price = self.prices.get(price_key)
        if price is None:
            return f"no price for {price_key} in {self.prices.region}"
        return Line(resource.address, key, item, quantity, price, low, high)
