"""The stack's `services=`: the checks that need the whole env, and the wiring of each service.

Kept beside modules/stack.py so compose() stays a readable list of wiring lines.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from generator.cdk import Construct, ServiceDiscoveryPrivateDnsNamespace, VpcSecurityGroupEgressRule, tracked
from generator.errors import InputError
from modules.ecs import SecretRef
from modules.service import Service, ServiceWiring
from modules.services import ServiceInputs

MODULE = "services"
PRIMARY = "app"  # how services name the stack's own `ecs` service in reachable_from


def check(
    services: Sequence[ServiceInputs], *, queues: Sequence[str], buckets: Sequence[str], caches: Sequence[str]
) -> None:
    """Env-wide checks of the services' names, references and listener rules."""
    names = [service.name for service in services]
    for name in names:
        if names.count(name) > 1:
            raise InputError(f"services[{name}].name", "two services have this name; give each its own", module=MODULE)
    keys = [service.key for service in services]
    if len(set(keys)) != len(keys):
        raise InputError("services.name", "names must stay distinct once '-' becomes '_'", module=MODULE)
    for service in services:
        where = f"services[{service.name}]"
        _known(where, "consumes", service.consumes, list(queues), "queue", "queues")
        _known(where, "sends_to", service.sends_to, list(queues), "queue", "queues")
        _known(where, "buckets", service.buckets, list(buckets), "bucket", "buckets")
        _known(where, "caches", service.caches, list(caches), "cache", "caches")
        _known(where, "reachable_from", service.reachable_from, [PRIMARY, *names], "service", "services")
    _check_rules([service for service in services if service.role == "web"])


def _known(
    where: str, field_name: str, given: Sequence[str], known: Sequence[str], what: str, stack_field: str
) -> None:
    for name in given:
        if name not in known:
            have = ", ".join(sorted(known)) or "none"
            raise InputError(
                f"{where}.{field_name}",
                f"no {what} named {name!r} (known: {have}); add it to {stack_field}= or fix the name",
                module=MODULE,
            )


def _check_rules(web: Sequence[ServiceInputs]) -> None:
    """Two web services whose rules can match the same request: the lower priority would never see it."""
    for index, first in enumerate(web):
        for second in web[index + 1 :]:
            if _overlap(first.hosts, second.hosts) and _overlap(first.paths, second.paths):
                raise InputError(
                    f"services[{second.name}].paths",
                    f"its hosts/paths overlap those of "
                    f"{first.name!r}, so one would shadow the other; give them distinct hosts= "
                    "or paths=",
                    module=MODULE,
                )


def _overlap(first: Sequence[str], second: Sequence[str]) -> bool:
    """Do two condition lists admit a common value? Empty means any value."""
    if not first or not second:
        return True
    return any(a == b or fnmatch.fnmatchcase(a, b) or fnmatch.fnmatchcase(b, a) for a in first for b in second)


def internal_urls(services: Sequence[ServiceInputs], prefix: str) -> dict[str, dict[str, str]]:
    """caller name -> {INFERENCE_URL: http://inference.<prefix>.internal:8080} for each internal service it may call."""
    urls: dict[str, dict[str, str]] = {}
    for service in services:
        for caller in service.reachable_from:
            variable = f"{service.name.upper().replace('-', '_')}_URL"
            urls.setdefault(caller, {})[variable] = f"http://{service.name}.{prefix}.internal:{service.container_port}"
    return urls


def priorities(services: Sequence[ServiceInputs]) -> dict[str, int]:
    """Listener rule priority per web service: the given one, else 100 + 10 * position (stable on append)."""
    return {service.name: service.priority or 100 + 10 * index for index, service in enumerate(services)}


class ServiceCommons(Construct):
    """What no single service owns (the Cloud Map namespace, ALB egress to other ports): services.tf."""

    @staticmethod
    def of(scope: Construct) -> Construct:
        found = scope.node.try_find_child("services")
        return found if isinstance(found, Construct) else ServiceCommons(scope, "services")


@dataclass(frozen=True)
class Shared:
    """What every service of an env shares (set by the stack)."""

    vpc_id: str
    subnet_ids: list[str]
    cluster_id: str
    cluster_arn: str
    cluster_name: str
    region: str
    repository_urls: Mapping[str, str]
    repository_arns: Mapping[str, str]
    environment: Mapping[str, str]  # database address etc. (services with database=True)
    secrets: Mapping[str, SecretRef]  # database credentials (services with database=True)
    parameters: Mapping[str, str]
    listener_arn: str
    alb_security_group_id: str
    primary_security_group_id: str
    primary_port: int


def build(
    scope: Construct,
    services: Sequence[ServiceInputs],
    shared: Shared,
    *,
    prefix: str,
    grants: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    links: Mapping[str, Mapping[str, str]] | None = None,
    scale_queues: Mapping[str, str] | None = None,
) -> dict[str, Service]:
    """Every service, then the internal services' ingress from their callers.

    grants: service name -> task role statements on queues/buckets/caches; links: service name ->
    extra environment (queue URLs, bucket names, cache endpoints); scale_queues: service -> queue name.
    """
    namespace = None
    if any(service.role == "internal" for service in services):
        namespace = tracked(
            ServiceDiscoveryPrivateDnsNamespace(
                ServiceCommons.of(scope),
                "namespace",
                name=f"{prefix}.internal",
                vpc=shared.vpc_id,
                description=f"Names of the internal services of {prefix}",
            ),
            "internal",
        )
    order = priorities(services)
    urls = internal_urls(services, prefix)
    built: dict[str, Service] = {}
    for service in services:
        environment = {
            **(shared.environment if service.database else {}),
            **urls.get(service.name, {}),
            **(links or {}).get(service.name, {}),
        }
        built[service.name] = Service(
            scope,
            f"service_{service.key}",
            service,
            ServiceWiring(
                vpc_id=shared.vpc_id,
                subnet_ids=shared.subnet_ids,
                cluster_id=shared.cluster_id,
                cluster_arn=shared.cluster_arn,
                cluster_name=shared.cluster_name,
                region=shared.region,
                image_repository_url=shared.repository_urls[service.image_repository],
                repository_arn=shared.repository_arns[service.image_repository],
                environment=environment,
                secrets=shared.secrets if service.database else {},
                parameters=shared.parameters,
                task_statements=list((grants or {}).get(service.name, ())),
                listener_arn=shared.listener_arn if service.role == "web" else None,
                alb_security_group_id=shared.alb_security_group_id if service.role == "web" else None,
                namespace_id=None if namespace is None else namespace.id,
                scale_queue=(scale_queues or {}).get(service.name),
            ),
            prefix=prefix,
            priority=order[service.name],
        )
    for service in services:
        for caller in service.reachable_from:
            group = shared.primary_security_group_id if caller == PRIMARY else built[caller].security_group_id
            built[service.name].admit(caller.replace("-", "_"), group)
    return built


def alb_ports(scope: Construct, services: Sequence[ServiceInputs], shared: Shared, vpc_cidr: str) -> None:
    """The ALB's egress reaches the `ecs` service's port; web services on other ports need their own rule."""
    ports = sorted({service.container_port for service in services if service.role == "web"} - {shared.primary_port})
    for port in ports:
        tracked(
            VpcSecurityGroupEgressRule(
                ServiceCommons.of(scope),
                f"alb_to_port_{port}",
                security_group_id=shared.alb_security_group_id,
                description=f"Web services on port {port}",
                ip_protocol="tcp",
                from_port=port,
                to_port=port,
                cidr_ipv4=vpc_cidr,
            )
        )
