"""Price rules of the database types: RDS instances, Aurora clusters and their instances, RDS Proxy.

Part of rules.py's RULES (kept apart for size); like every rule, (lines, reasons) per resource.
"""

from __future__ import annotations

from generator.review.cost.lines import Context, Line, Resource

Result = tuple[list[Line], list[str]]


def _hours(ctx: Context) -> float:
    return ctx.prices.hours_per_month


def _collect(*items: Line | str | None) -> Result:
    lines = [item for item in items if isinstance(item, Line)]
    return lines, [item for item in items if isinstance(item, str)]


def _vcpus(ctx: Context, instance_class: str) -> int | None:
    return ctx.prices.instance_vcpus.get(instance_class)


def _performance_insights(r: Resource, ctx: Context, instance_class: str, copies: int) -> Line | str | None:
    retention = r.values.get("performance_insights_retention_period") or 7
    if not r.values.get("performance_insights_enabled") or retention <= 7:
        return None
    vcpus = _vcpus(ctx, instance_class)
    if vcpus is None:
        return f"vCPU count of {instance_class} unknown"
    return ctx.line(
        r,
        "pi",
        f"Performance Insights {retention}-day retention ({vcpus * copies} vCPU)",
        vcpus * copies,
        "performance_insights_vcpu_month",
    )


def _managed_secret(r: Resource, ctx: Context) -> Line | str | None:
    if not r.values.get("manage_master_user_password"):
        return None
    return ctx.line(
        r, "secret", "Secrets Manager secret of the master password (RDS-managed)", 1, "secretsmanager_secret_month"
    )


def db_instance(r: Resource, ctx: Context) -> Result:
    engine, cls = r.values.get("engine"), str(r.values.get("instance_class"))
    if engine != "postgres":
        return [], [f"engine {engine} is not in the price table"]
    multi = bool(r.values.get("multi_az"))
    suffix, label = ("_multi_az", "Multi-AZ") if multi else ("", "Single-AZ")
    storage_type = r.values.get("storage_type") or "gp2"
    size = float(r.values.get("allocated_storage") or 0)
    items: list[Line | str | None] = [
        ctx.line(r, "instance", f"{cls} {label} instance hours", _hours(ctx), f"rds_postgres_{cls}{suffix}")
    ]
    if storage_type in ("gp2", "gp3", "io1"):
        items.append(
            ctx.line(r, "storage", f"{storage_type} storage, {label}", size, f"rds_storage_{storage_type}{suffix}")
        )
    else:
        items.append(f"{storage_type} storage is not in the price table")
    iops = float(r.values.get("iops") or 0)
    included = {"gp3": 3000.0 if size < 400 else 12000.0, "io1": 0.0}.get(storage_type)
    if included is not None and iops > included:
        items.append(
            ctx.line(
                r,
                "iops",
                f"{storage_type} IOPS above the included {included:,.0f}",
                iops - included,
                f"rds_iops_{storage_type}{suffix}",
            )
        )
    items += [_performance_insights(r, ctx, cls, 2 if multi else 1), _managed_secret(r, ctx)]
    return _collect(*items)


def rds_cluster(r: Resource, ctx: Context) -> Result:
    if r.values.get("engine") != "aurora-postgresql":
        return [], [f"engine {r.values.get('engine')} is not in the price table"]
    if r.values.get("storage_type") == "aurora-iopt1":
        return [], ["Aurora I/O-Optimized is not in the price table"]
    usage = ctx.usage
    return _collect(
        ctx.line(r, "storage", "Aurora storage", usage.aurora_storage_gb, "aurora_storage"),
        ctx.line(r, "io", "Aurora I/O requests", usage.aurora_io_million_per_month, "aurora_io_million"),
        _managed_secret(r, ctx),
    )


def rds_cluster_instance(r: Resource, ctx: Context) -> Result:
    cls = str(r.values.get("instance_class"))
    if r.values.get("engine") != "aurora-postgresql":
        return [], [f"engine {r.values.get('engine')} is not in the price table"]
    if cls == "db.serverless":
        return [], ["Aurora Serverless v2 capacity (ACUs) is not in the price table"]
    return _collect(
        ctx.line(r, "instance", f"{cls} instance hours", _hours(ctx), f"aurora_postgresql_{cls}"),
        _performance_insights(r, ctx, cls, 1),
    )


def db_proxy(r: Resource, ctx: Context) -> Result:
    databases = ctx.of_type("aws_db_instance", "aws_rds_cluster_instance")
    counts = [_vcpus(ctx, str(db.values.get("instance_class"))) for db in databases]
    if any(count is None for count in counts):
        return [], ["vCPU count of a database behind it is unknown"]
    vcpus = max(2, sum(count or 0 for count in counts))  # billed for at least 2 vCPUs
    return _collect(
        ctx.line(
            r,
            "vcpu",
            f"RDS Proxy vCPU-hours ({vcpus} vCPU of the databases in this plan)",
            vcpus * _hours(ctx),
            "rds_proxy_vcpu_hour",
        )
    )
