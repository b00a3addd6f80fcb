"""What the cost estimate assumes about traffic and data: environments/<env>/usage.toml.

Prices come from the plan and the price table; how much data flows or how many tasks run on
average does not, so each env states it here (every field has a default). The comment shows
these figures next to the estimate so a reviewer sees what it assumes.
"""

from __future__ import annotations

import dataclasses
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import UsageError

USAGE_FILE = "usage.toml"


@dataclass(frozen=True)
class Usage:
    """Monthly usage assumptions of one environment."""

    nat_gb_per_month: float = 100.0
    """GB processed by all NAT gateways together (image pulls, calls to AWS APIs and the internet)."""
    requests_per_month: float = 5_000_000.0
    """HTTP requests reaching the load balancer (and WAF, when there is one)."""
    alb_gb_per_month: float = 20.0
    """GB the load balancer processes (requests and responses)."""
    log_gb_per_month: float = 5.0
    """GB ingested into each CloudWatch log group."""
    flow_log_gb_per_month: float = 10.0
    """GB of VPC flow log records per flow log."""
    endpoint_gb_per_month: float = 10.0
    """GB through each interface VPC endpoint."""
    ecr_storage_gb: float = 2.0
    """GB of images kept in each ECR repository."""
    s3_storage_gb: float = 10.0
    """GB stored in each S3 bucket (Standard class)."""
    aurora_storage_gb: float = 20.0
    """GB stored by each Aurora cluster."""
    aurora_io_million_per_month: float = 50.0
    """Millions of I/O requests per month of each Aurora cluster (standard storage)."""
    service_average_count: Mapping[str, float] = field(default_factory=dict)
    """Average running tasks per ECS service address (e.g. "aws_ecs_service.this" = 3);
    default: its desired_count, kept within the autoscaling min..max."""
    queue_requests_per_month: float = 1_000_000.0
    """SQS requests (sends, receives, deletes; a long poll counts once) per month of each queue."""

    def lines(self) -> list[str]:
        """The assumptions as short phrases, for the comment and the CLI."""
        out = [
            f"{_num(self.nat_gb_per_month)} GB/month through NAT",
            f"{_num(self.requests_per_month)} requests/month",
            f"{_num(self.alb_gb_per_month)} GB/month through the load balancer",
            f"{_num(self.log_gb_per_month)} GB/month of logs per log group",
        ]
        out += [
            f"{address}: {_num(count)} tasks on average"
            for address, count in sorted(self.service_average_count.items())
        ]
        return out


def _num(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


_FIELDS = {f.name: f for f in dataclasses.fields(Usage)}


def usage_from_mapping(data: Mapping[str, Any], where: str) -> Usage:
    """Validated Usage from parsed TOML; one-line errors naming the file and field."""
    values: dict[str, Any] = {}
    for name, raw in data.items():
        if name not in _FIELDS:
            raise UsageError(f"{where}: unknown field {name!r} (known: {', '.join(sorted(_FIELDS))})")
        if name == "service_average_count":
            if not isinstance(raw, dict) or not all(_non_negative(v) for v in raw.values()):
                raise UsageError(f"{where}: service_average_count must map service addresses to numbers >= 0")
            values[name] = {str(k): float(v) for k, v in raw.items()}
        elif not _non_negative(raw):
            raise UsageError(f"{where}: {name} must be a number >= 0, got {raw!r}")
        else:
            values[name] = float(raw)
    return Usage(**values)


def _non_negative(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and value >= 0


def load_usage(env_dir: Path) -> tuple[Usage, Path | None]:
    """The env's usage.toml (defaults when there is none) and the file it came from."""
    path = env_dir / USAGE_FILE
    if not path.is_file():
        return Usage(), None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:  # TOMLDecodeError and not-UTF-8 are ValueErrors
        raise UsageError(f"cannot read {path}: {err}") from None
    return usage_from_mapping(data, str(path)), path
