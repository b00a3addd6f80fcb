"""Price rules of the services layer's own types (issue 23): Cloud Map names of internal services.

costrules_res.py consults them before costrules.py. EventBridge rules are free; the Fargate time of
a scheduled task is not priced (it depends on how long each run takes)."""

from __future__ import annotations

from generator.review.cost.lines import Context, Line, Resource

Result = tuple[list[Line], list[str]]


def _collect(*items: Line | str) -> Result:
    return [i for i in items if isinstance(i, Line)], [i for i in items if isinstance(i, str)]


def dns_namespace(r: Resource, ctx: Context) -> Result:
    return _collect(
        ctx.line(r, "zone", "Cloud Map private DNS namespace (a Route 53 hosted zone)", 1, "route53_hosted_zone_month")
    )


def discovery_service(r: Resource, ctx: Context) -> Result:
    return _collect(
        ctx.line(
            r,
            "instances",
            "Cloud Map registered instances (1 assumed; one per running task)",
            1,
            "cloudmap_instance_month",
        )
    )


SERVICE_RULES = {
    "aws_service_discovery_private_dns_namespace": dns_namespace,
    "aws_service_discovery_service": discovery_service,
}
