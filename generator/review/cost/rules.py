"""How each resource type is billed: one rule per Terraform type, returning (lines, reasons).

Reasons name what could not be priced (a class or engine missing from the table): such a
resource is listed as not priced, never zero. FREE types have no charge of their own."""

from __future__ import annotations

from collections.abc import Callable

from generator import facts
from generator.review.cost.free import FREE
from generator.review.cost.lines import Context, Line, Resource
from generator.review.cost.rules_db import db_instance, db_proxy, rds_cluster, rds_cluster_instance

Result = tuple[list[Line], list[str]]
Rule = Callable[[Resource, Context], Result]
MONTHS_IF_NEVER_EXPIRES = 12.0


def _hours(ctx: Context) -> float:
    return ctx.prices.hours_per_month


def _collect(*items: Line | str | None) -> Result:
    lines = [item for item in items if isinstance(item, Line)]
    return lines, [item for item in items if isinstance(item, str)]


def _monthly(resource: Resource, ctx: Context, item: str, price_key: str, count: float = 1) -> Result:
    return _collect(ctx.line(resource, "month", item, count, price_key))


def nat_gateway(r: Resource, ctx: Context) -> Result:
    gateways = max(1, len(ctx.of_type("aws_nat_gateway")))
    share = ctx.usage.nat_gb_per_month / gateways
    of = f" (1/{gateways} of {ctx.usage.nat_gb_per_month:,.0f} GB)" if gateways > 1 else ""
    return _collect(
        ctx.line(r, "hours", "NAT gateway hours", _hours(ctx), "nat_gateway_hour"),
        ctx.line(r, "data", f"NAT data processed{of}", share, "nat_gateway_gb"),
    )


def eip(r: Resource, ctx: Context) -> Result:
    return _collect(ctx.line(r, "ipv4", "public IPv4 address hours", _hours(ctx), "public_ipv4_hour"))


def load_balancer(r: Resource, ctx: Context) -> Result:
    kind = r.values.get("load_balancer_type") or "application"
    if kind not in ("application", "network"):
        return [], [f"{kind} load balancers are not in the price table"]
    hours = _hours(ctx)
    gb_per_hour = ctx.usage.alb_gb_per_month / hours
    if kind == "application":  # an LCU: 25 new connections/s or 1 GB/hour, whichever is higher
        lcu = max(ctx.usage.requests_per_month / (hours * 3600) / 25, gb_per_hour)
        items: list[Line | str | None] = [
            ctx.line(r, "hours", "ALB hours", hours, "alb_hour"),
            ctx.line(r, "lcu", f"ALB LCU-hours ({lcu:.3f} LCU on average)", lcu * hours, "alb_lcu_hour"),
        ]
    else:
        items = [
            ctx.line(r, "hours", "NLB hours", hours, "nlb_hour"),
            ctx.line(r, "lcu", "NLB NLCU-hours (by GB processed)", gb_per_hour * hours, "nlb_lcu_hour"),
        ]
    if not r.values.get("internal"):
        zones = r.count_of("subnets") or r.count_of("subnet_mapping") or 2
        items.append(
            ctx.line(
                r, "ipv4", f"public IPv4 address hours (one per AZ, {zones} AZs)", zones * hours, "public_ipv4_hour"
            )
        )
    return _collect(*items)


def _linked(r: Resource, ctx: Context, attribute: str, kind: str) -> Resource | None:
    for ref in r.refs.get(attribute, ()):
        for other in ctx.resources.values():
            if other.type == kind and other.base == ref:
                return other
    return None


def _scaling(service: Resource, ctx: Context) -> tuple[float, float] | None:
    name = service.values.get("name")
    for target in ctx.of_type("aws_appautoscaling_target"):
        linked = service.base in target.refs.get("resource_id", ())
        named = isinstance(name, str) and str(target.values.get("resource_id", "")).endswith(f"/{name}")
        if target.values.get("service_namespace") == "ecs" and (linked or named):
            return float(target.values.get("min_capacity") or 0), float(target.values.get("max_capacity") or 0)
    return None


def ecs_service(r: Resource, ctx: Context) -> Result:
    strategy = r.values.get("capacity_provider_strategy") or []
    providers = {item.get("capacity_provider") for item in strategy if isinstance(item, dict)}
    if (r.values.get("launch_type") or "EC2") != "FARGATE" and not providers & {"FARGATE", "FARGATE_SPOT"}:
        return [], ["tasks run on EC2 instances, which are not in the price table"]
    task = _linked(r, ctx, "task_definition", "aws_ecs_task_definition")
    if task is None:
        return [], ["its task definition is not in the plan"]
    vcpu = float(task.values.get("cpu") or 0) / 1024
    gb = float(task.values.get("memory") or 0) / 1024
    platform = (task.values.get("runtime_platform") or [{}])[0] or {}
    arm = "arm_" if platform.get("cpu_architecture") == "ARM64" else ""
    desired = float(r.values.get("desired_count") or 0)
    scaling = _scaling(r, ctx)
    low, high = scaling if scaling and scaling[0] != scaling[1] else (None, None)
    average = ctx.usage.service_average_count.get(r.address)
    if average is None:
        average = min(max(desired, scaling[0]), scaling[1]) if scaling else desired
    hours = _hours(ctx)
    tasks = f"{average:g} task{'' if average == 1 else 's'}"
    autoscaled = f", autoscaled {low:g}–{high:g}" if low is not None else ""

    def dim(key: str, per_task: float, unit: str) -> Line | str:
        return ctx.line(
            r,
            key,
            f"Fargate {unit}-hours ({tasks} × {per_task:g} {unit}{autoscaled})",
            average * per_task * hours,
            f"fargate_{arm}{key}_hour",
            None if low is None else low * per_task * hours,
            None if high is None else high * per_task * hours,
        )

    return _collect(dim("vcpu", vcpu, "vCPU"), dim("gb", gb, "GB"))


def waf_web_acl(r: Resource, ctx: Context) -> Result:
    rules = r.count_of("rule") or 0
    return _collect(
        ctx.line(r, "acl", "WAF web ACL", 1, "waf_web_acl_month"),
        ctx.line(r, "rules", f"WAF rules ({rules})", rules, "waf_rule_month"),
        ctx.line(r, "requests", "WAF requests (millions)", ctx.usage.requests_per_month / 1e6, "waf_million_requests"),
    )


def metric_alarm(r: Resource, ctx: Context) -> Result:
    queries = [q for q in r.values.get("metric_query") or [] if isinstance(q, dict) and q.get("metric")]
    metrics = max(1, len(queries))
    high_res = 0 < float(r.values.get("period") or 60) < 60
    key = "cloudwatch_high_res_alarm_month" if high_res else "cloudwatch_alarm_month"
    what = "high-resolution" if high_res else "standard"
    return _collect(ctx.line(r, "alarm", f"CloudWatch {what} alarm ({metrics} metric)", metrics, key))


def log_group(r: Resource, ctx: Context) -> Result:
    if r.values.get("log_group_class") == "INFREQUENT_ACCESS":
        return [], ["the Infrequent Access log class is not in the price table"]
    days = float(r.values.get("retention_in_days") or 0)
    months = days / 30 if days else MONTHS_IF_NEVER_EXPIRES
    kept = f"{days:g}-day retention" if days else f"never expires: {MONTHS_IF_NEVER_EXPIRES:g} months assumed"
    flows = ctx.flow_log_target(r)
    gb = ctx.usage.flow_log_gb_per_month if flows else ctx.usage.log_gb_per_month
    return _collect(
        None if flows else ctx.line(r, "ingest", "CloudWatch Logs ingestion", gb, "cloudwatch_logs_ingest_gb"),
        ctx.line(r, "storage", f"CloudWatch Logs storage ({kept})", gb * months, "cloudwatch_logs_storage_gb_month"),
    )


def flow_log(r: Resource, ctx: Context) -> Result:
    destination = r.values.get("log_destination_type") or "cloud-watch-logs"
    key = {"cloud-watch-logs": "cloudwatch_vended_logs_gb", "s3": "vended_logs_s3_gb"}.get(destination)
    if key is None:
        return [], [f"flow logs to {destination} are not in the price table"]
    return _collect(ctx.line(r, "data", f"flow log delivery to {destination}", ctx.usage.flow_log_gb_per_month, key))


def vpc_endpoint(r: Resource, ctx: Context) -> Result:
    kind = r.values.get("vpc_endpoint_type") or "Gateway"
    if kind == "Gateway":
        return [], []  # S3 and DynamoDB gateway endpoints are free
    if kind != "Interface":
        return [], [f"{kind} endpoints are not in the price table"]
    zones = r.count_of("subnet_ids") or 2
    return _collect(
        ctx.line(
            r, "hours", f"interface endpoint hours ({zones} AZs)", zones * _hours(ctx), "vpc_endpoint_interface_hour"
        ),
        ctx.line(
            r, "data", "interface endpoint data processed", ctx.usage.endpoint_gb_per_month, "vpc_endpoint_interface_gb"
        ),
    )


def ecs_cluster(r: Resource, ctx: Context) -> Result:
    settings = r.values.get("setting") or []
    insights = any(
        s.get("name") == "containerInsights" and s.get("value") in ("enabled", "enhanced")
        for s in settings
        if isinstance(s, dict)
    )
    return [], [
        "Container Insights metrics are billed per metric, which the price table does not cover"
    ] if insights else []


def ssm_parameter(r: Resource, ctx: Context) -> Result:
    if r.values.get("tier") != "Advanced":
        return [], []
    return _monthly(r, ctx, "SSM advanced parameter", "ssm_advanced_parameter_month")


RULES: dict[str, Rule] = {
    "aws_nat_gateway": nat_gateway,
    "aws_eip": eip,
    "aws_lb": load_balancer,
    "aws_alb": load_balancer,
    "aws_ecs_service": ecs_service,
    "aws_db_instance": db_instance,
    "aws_rds_cluster": rds_cluster,
    "aws_rds_cluster_instance": rds_cluster_instance,
    "aws_db_proxy": db_proxy,
    "aws_wafv2_web_acl": waf_web_acl,
    "aws_cloudwatch_metric_alarm": metric_alarm,
    "aws_cloudwatch_log_group": log_group,
    "aws_flow_log": flow_log,
    "aws_vpc_endpoint": vpc_endpoint,
    "aws_ecs_cluster": ecs_cluster,
    "aws_ssm_parameter": ssm_parameter,
    "aws_cloudwatch_composite_alarm": lambda r, c: _monthly(
        r, c, "CloudWatch composite alarm", "cloudwatch_composite_alarm_month"
    ),
    "aws_cloudwatch_dashboard": lambda r, c: _monthly(r, c, "CloudWatch dashboard", "cloudwatch_dashboard_month"),
    "aws_secretsmanager_secret": lambda r, c: _monthly(r, c, "Secrets Manager secret", "secretsmanager_secret_month"),
    "aws_kms_key": lambda r, c: _monthly(r, c, "KMS key", "kms_key_month"),
    "aws_route53_zone": lambda r, c: _monthly(r, c, "Route 53 hosted zone", "route53_hosted_zone_month"),
    "aws_ecr_repository": lambda r, c: _collect(
        c.line(r, "storage", "ECR image storage", c.usage.ecr_storage_gb, "ecr_storage_gb_month")
    ),
    "aws_s3_bucket": lambda r, c: _collect(
        c.line(r, "storage", "S3 Standard storage", c.usage.s3_storage_gb, "s3_standard_gb_month")
    ),
}


def price_resource(resource: Resource, ctx: Context) -> Result:
    """Priced lines of one resource, and the reasons for what could not be priced."""
    rule = RULES.get(resource.type)
    if rule is not None:
        return rule(resource, ctx)
    if resource.type in FREE or facts.cost_override(resource.type) in ("free", "usage"):
        return [], []
    return [], ["no price rule for this resource type"]
