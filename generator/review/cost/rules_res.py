"""Price rules of the queue, uploads, cache, API front and endpoint modules (issue 23).

Kept apart from costrules.py (cost.py prices through price_resource() below, which falls back to it)
so the per-type facts of issue 24 can absorb them at merge:
types here are either priced (RES_RULES) or free of any charge of their own (RES_FREE).
SQS and HTTP APIs are billed per request: they are priced from the env's usage assumptions.
"""

from __future__ import annotations

from collections.abc import Callable

from generator.review.cost import rules as costrules
from generator.review.cost.lines import Context, Line, Resource
from generator.review.cost.rules_services import SERVICE_RULES

Result = tuple[list[Line], list[str]]

RES_FREE: frozenset[str] = frozenset(
    {
        # Settings of a bucket or queue, users and groups, routing: no charge of their own.
        "aws_s3_bucket_cors_configuration",
        "aws_s3_bucket_notification",
        "aws_sqs_queue_policy",
        "aws_sqs_queue_redrive_policy",
        "aws_sqs_queue_redrive_allow_policy",
        "aws_elasticache_subnet_group",
        "aws_elasticache_user",
        "aws_elasticache_user_group",
        "aws_elasticache_user_group_association",
        "aws_elasticache_parameter_group",
        "aws_apigatewayv2_stage",
        "aws_apigatewayv2_route",
        "aws_apigatewayv2_integration",
        "aws_apigatewayv2_api_mapping",
        "aws_apigatewayv2_domain_name",
        # VPC links of HTTP APIs are free (REST API VPC links bill the NLB they need, which is priced on its own).
        "aws_apigatewayv2_vpc_link",
    }
)


def _collect(*items: Line | str | None) -> Result:
    return [i for i in items if isinstance(i, Line)], [i for i in items if isinstance(i, str)]


def replication_group(r: Resource, ctx: Context) -> Result:
    engine = str(r.values.get("engine") or "redis")
    node_type = str(r.values.get("node_type"))
    groups = r.values.get("num_node_groups")
    if groups and r.values.get("replicas_per_node_group") is not None:
        nodes = int(groups) * (int(r.values["replicas_per_node_group"]) + 1)
    else:
        nodes = int(r.values.get("num_cache_clusters") or 1)
    hours = ctx.prices.hours_per_month
    return _collect(
        ctx.line(
            r,
            "nodes",
            f"{node_type} {engine} node hours ({nodes} node{'s' if nodes > 1 else ''})",
            nodes * hours,
            f"elasticache_{engine}_{node_type}",
        )
    )


def sqs_queue(r: Resource, ctx: Context) -> Result:
    # A dead-letter queue is billed only for the few messages that fail: no usage assumed for it.
    if any(r.base in other.refs.get("redrive_policy", ()) for other in ctx.of_type("aws_sqs_queue")):
        return [], []
    fifo = bool(r.values.get("fifo_queue"))
    millions = ctx.usage.queue_requests_per_month / 1e6
    return _collect(
        ctx.line(
            r,
            "requests",
            f"SQS {'FIFO' if fifo else 'standard'} requests (millions)",
            millions,
            "sqs_fifo_million_requests" if fifo else "sqs_standard_million_requests",
        )
    )


def http_api(r: Resource, ctx: Context) -> Result:
    if (r.values.get("protocol_type") or "HTTP") != "HTTP":
        return [], ["WebSocket APIs are not in the price table"]
    return _collect(
        ctx.line(
            r,
            "requests",
            "API Gateway HTTP API requests (millions)",
            ctx.usage.requests_per_month / 1e6,
            "apigw_http_million_requests",
        )
    )


RES_RULES: dict[str, Callable[[Resource, Context], Result]] = {
    "aws_elasticache_replication_group": replication_group,
    "aws_sqs_queue": sqs_queue,
    "aws_apigatewayv2_api": http_api,
    **SERVICE_RULES,  # Cloud Map names of internal services (costrules_services.py)
}


def price_resource(resource: Resource, ctx: Context) -> Result:
    """Priced lines of one resource: the rules above first, then costrules.py's."""
    rule = RES_RULES.get(resource.type)
    if rule is not None:
        return rule(resource, ctx)
    if resource.type in RES_FREE:
        return [], []
    return costrules.price_resource(resource, ctx)
