"""The words in each box: what an engineer writes on a whiteboard, read from resource values."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from generator.diagram.graph import Resource
from generator.facts.kinds import KINDS


class Context:
    """Resources by address and who references whom, for labels that read neighbours."""

    def __init__(self, resources: Mapping[str, Resource]) -> None:
        self.resources = resources
        self.referrers: dict[str, list[Resource]] = {}
        for resource in resources.values():
            # once per referrer: an instance naming its cluster in three arguments is still one instance
            for address in sorted({ref.address for ref in resource.refs}):
                self.referrers.setdefault(address, []).append(resource)

    def referring(self, resource: Resource, type_: str) -> list[Resource]:
        return sorted((r for r in self.referrers.get(resource.address, []) if r.type == type_), key=lambda r: r.address)

    def referenced(self, resource: Resource, type_: str) -> list[Resource]:
        found = {ref.address for ref in resource.refs if ref.address.startswith(f"{type_}.")}
        return [self.resources[address] for address in sorted(found) if address in self.resources]


def literal(value: Any) -> str | None:
    """A value known at synth time, as text; None for references and absent values."""
    if value is None or (isinstance(value, str) and "${" in value):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def zone_of(subnet: Resource | None) -> str:
    zone = literal(subnet.values.get("availability_zone")) if subnet else None
    return zone or ""


def _name(resource: Resource, *keys: str) -> str:
    for key in (*keys, "name", "identifier"):
        if (value := literal(resource.values.get(key))) is not None:
            return value
    return resource.name


def _alb(resource: Resource, ctx: Context) -> list[str]:
    kind = "Network" if resource.values.get("load_balancer_type") == "network" else "Application"
    scheme = "internal" if resource.values.get("internal") is True else "internet-facing"
    listeners = []
    for listener in ctx.referring(resource, "aws_lb_listener"):
        protocol, port = literal(listener.values.get("protocol")) or "", literal(listener.values.get("port")) or ""
        actions = listener.values.get("default_action") or [{}]
        redirect = any(isinstance(a, Mapping) and a.get("type") == "redirect" for a in actions)
        listeners.append(f"{protocol} :{port}" + (" → redirect" if redirect else ""))
    return [f"{kind} Load Balancer", f"{_name(resource)} · {scheme}", " · ".join(listeners)]


def _service(resource: Resource, ctx: Context) -> list[str]:
    tasks = literal(resource.values.get("desired_count")) or "?"
    scaling = ""
    for target in ctx.referring(resource, "aws_appautoscaling_target"):
        low, high = literal(target.values.get("min_capacity")), literal(target.values.get("max_capacity"))
        scaling = f" (scales {low}–{high})" if low != high else ""
    size = ""
    for task in ctx.referenced(resource, "aws_ecs_task_definition"):
        cpu, memory = literal(task.values.get("cpu")), literal(task.values.get("memory"))
        if cpu and memory and cpu.isdigit():
            size = f"{int(cpu) / 1024:g} vCPU / {memory} MiB"
    launch = literal(resource.values.get("launch_type")) or "ECS"
    return [
        f"ECS service ({launch.title() if launch == 'FARGATE' else launch})",
        _name(resource),
        f"{tasks} task{'' if tasks == '1' else 's'}{scaling}",
        size,
    ]


_ENGINES = {
    "postgres": "PostgreSQL",
    "aurora-postgresql": "PostgreSQL",
    "mysql": "MySQL",
    "aurora-mysql": "MySQL",
    "mariadb": "MariaDB",
    "aurora": "MySQL",
}


def _database(resource: Resource, ctx: Context) -> list[str]:
    raw = literal(resource.values.get("engine")) or "database"
    engine = _ENGINES.get(raw, raw)
    version = literal(resource.values.get("engine_version")) or ""
    if resource.type == "aws_rds_cluster":
        members = ctx.referring(resource, "aws_rds_cluster_instance")
        classes = sorted({literal(m.values.get("instance_class")) or "?" for m in members})
        multi = len(members) > 1
        return [
            f"Aurora {engine} {version}".rstrip(),
            _name(resource, "cluster_identifier"),
            f"{len(members)} instance{'' if len(members) == 1 else 's'} · {', '.join(classes)}",
            "Multi-AZ" if multi else "Single-AZ",
        ]
    multi = resource.values.get("multi_az") is True
    return [
        f"RDS {engine} {version}".rstrip(),
        _name(resource),
        literal(resource.values.get("instance_class")) or "",
        "Multi-AZ (standby)" if multi else "Single-AZ",
    ]


def _nat(resource: Resource, ctx: Context) -> list[str]:
    subnets = ctx.referenced(resource, "aws_subnet")
    return ["NAT gateway", zone_of(subnets[0] if subnets else None)]


def _endpoint(resource: Resource, ctx: Context) -> list[str]:
    kind = literal(resource.values.get("vpc_endpoint_type")) or "Gateway"
    return [f"{_endpoint_service(resource)} {kind.lower()} endpoint".strip()]


def _endpoint_service(resource: Resource) -> str:
    # com.amazonaws.<region>.ecr.api -> "ECR API" (the service may itself hold dots)
    return " ".join((literal(resource.values.get("service_name")) or "").split(".")[3:]).upper()


def _endpoints(members: Sequence[Resource], ctx: Context) -> tuple[str, ...]:
    """One box per tier, its services two to a line: four endpoints side by side would widen the tier."""
    if len(members) == 1:
        return tuple(_endpoint(members[0], ctx))
    kinds = sorted({(literal(m.values.get("vpc_endpoint_type")) or "Gateway").lower() for m in members})
    services = sorted(_endpoint_service(m) for m in members)
    pairs = [" · ".join(services[i : i + 2]) for i in range(0, len(services), 2)]
    return (f"{len(members)} {'/'.join(kinds)} endpoints", *pairs)


def _ecr(resource: Resource, ctx: Context) -> list[str]:
    immutable = resource.values.get("image_tag_mutability") == "IMMUTABLE"
    return ["ECR repository", _name(resource), "immutable tags" if immutable else ""]


def _waf(resource: Resource, ctx: Context) -> list[str]:
    rules = resource.values.get("rule") or []
    count = len(rules) if isinstance(rules, list) else 1
    return ["WAF web ACL", _name(resource), f"{count} rule{'' if count == 1 else 's'}" if rules else ""]


def _topic(resource: Resource, ctx: Context) -> list[str]:
    subscriptions = ctx.referring(resource, "aws_sns_topic_subscription")
    protocols = sorted({literal(s.values.get("protocol")) or "?" for s in subscriptions})
    return ["SNS topic", _name(resource), f"→ {', '.join(protocols)}" if protocols else ""]


def _codedeploy(resource: Resource, ctx: Context) -> list[str]:
    style = resource.values.get("deployment_style") or {}
    style = style[0] if isinstance(style, list) and style else style
    blue_green = isinstance(style, Mapping) and style.get("deployment_type") == "BLUE_GREEN"
    return ["CodeDeploy", _name(resource, "deployment_group_name"), "blue/green" if blue_green else ""]


def _generic(resource: Resource, ctx: Context) -> list[str]:
    return [_title(resource), _name(resource, "dashboard_name", "url")]


def _title(resource: Resource) -> str:
    from generator import facts

    kind = facts.diagram_kind(resource.type)
    return KINDS[kind].title if kind else resource.type


LABELS: dict[str, Callable[[Resource, Context], list[str]]] = {
    "alb": _alb,
    "service": _service,
    "database": _database,
    "nat": _nat,
    "endpoint": _endpoint,
    "ecr": _ecr,
    "waf": _waf,
    "topic": _topic,
    "codedeploy": _codedeploy,
}


def label(kind: str, members: Sequence[Resource], ctx: Context) -> tuple[str, ...]:
    """The lines of one node's box (empty lines dropped)."""
    if kind == "nat":  # one box per tier: one NAT gateway per AZ is the usual, its zones say which
        zones = sorted({zone for member in members for zone in _nat(member, ctx)[1:] if zone})
        count = f"{len(members)} NAT gateways" if len(members) > 1 else "NAT gateway"
        return (count, f"AZ {', '.join(zone[-1:] for zone in zones)}") if zones else (count,)
    if kind == "endpoint":
        return _endpoints(members, ctx)
    if KINDS[kind].aggregate:
        return (
            KINDS[kind].title,
            f"{len(members)} {'alarm' if kind == 'alarm' else 'item'}{'' if len(members) == 1 else 's'}",
        )
    if kind == "ci_role":
        return ("CI role (OIDC)", _name(members[0]))
    lines = LABELS.get(kind, _generic)(members[0], ctx)
    return tuple(line for line in lines if line)
