"""How `services=` and the resources they use join the stack: checks, build order, grants, alarms.

compose() calls these in order: check (at input time), resources (before the `ecs` service, whose
environment and task role take their part), services (after it), api (after the ALB), alarms.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from generator.cdk import Construct, IamRolePolicy, tracked
from generator.environment import Environment
from generator.errors import InputError
from modules import resource_alarms, stack_resources, stack_services
from modules.alarms import AlarmInputs
from modules.alb import Alb
from modules.apigw import AlbTarget, ApiInputs
from modules.aurora import Aurora
from modules.ecr import Ecr
from modules.ecs import Ecs, EcsInputs, SecretRef
from modules.iam import Iam, policy
from modules.params import Params
from modules.queue import QueueInputs
from modules.rds import Rds
from modules.rds_proxy import RdsProxy
from modules.redis import CacheInputs
from modules.service import Service
from modules.services import ServiceInputs
from modules.stack_resources import PRIMARY, Built
from modules.uploads import UploadsInputs
from modules.vpc import Vpc


class StackInputs(Protocol):
    """The inputs wiring reads (modules.stack.StackInputs has them); a protocol, so stack.py and
    this file do not import each other."""

    @property
    def ecs(self) -> EcsInputs: ...
    @property
    def alarms(self) -> AlarmInputs | None: ...
    @property
    def services(self) -> tuple[ServiceInputs, ...]: ...
    @property
    def queues(self) -> Mapping[str, QueueInputs]: ...
    @property
    def uploads(self) -> Mapping[str, UploadsInputs]: ...
    @property
    def bucket_queues(self) -> Mapping[str, str]: ...
    @property
    def caches(self) -> Mapping[str, CacheInputs]: ...
    @property
    def api(self) -> ApiInputs | None: ...
    @property
    def api_queue(self) -> str | None: ...


def check(stack: StackInputs) -> None:
    """Env-wide checks of services and resources (one line each, naming the field and the fix)."""
    stack_services.check(
        stack.services, queues=list(stack.queues), buckets=list(stack.uploads), caches=list(stack.caches)
    )
    table = stack_resources.uses(stack.services, stack.queues, stack.uploads, stack.caches)
    timeouts = {service.name: service.timeout_seconds for service in stack.services}
    for service, used in table.items():
        for queue in sorted(used["consumes"]):
            stack.queues[queue].check_consumer(service, timeouts.get(service, 30), field_prefix=f"queues[{queue}].")
    for bucket, queue in stack.bucket_queues.items():
        if bucket not in stack.uploads or queue not in stack.queues:
            raise InputError(
                f"bucket_queues[{bucket}]",
                f"{bucket!r} -> {queue!r} names an unknown bucket or queue; both must be in uploads= and queues=",
                module="stack",
            )
    if stack.api is not None and stack.api.target == "sqs" and stack.api_queue not in stack.queues:
        raise InputError(
            "api_queue", f"{stack.api_queue!r} is not in queues=: name the queue the API sends to", module="stack"
        )


@dataclass
class Wired:
    """The resources, and what each service (the `ecs` one as "app") gets from them."""

    built: Built
    table: dict[str, dict[str, set[str]]]
    grants: dict[str, list[Mapping[str, Any]]]
    links: dict[str, dict[str, str]]


def resources(scope: Construct, stack: StackInputs, env: Environment, vpc: Vpc) -> Wired:
    built = stack_resources.build(
        scope,
        prefix=env.prefix,
        vpc=vpc,
        queues=stack.queues,
        uploads=stack.uploads,
        bucket_queues=stack.bucket_queues,
        caches=stack.caches,
        private_subnet_ids=vpc.private_subnet_ids,
        database_subnet_ids=vpc.database_subnet_ids,
    )
    table = stack_resources.uses(stack.services, stack.queues, stack.uploads, stack.caches)
    return Wired(built, table, stack_resources.grants(table, built), stack_resources.links(table, built))


def primary(stack: StackInputs, wired: Wired, prefix: str) -> dict[str, str]:
    """Extra environment of the `ecs` service: its resources and the internal services it may call."""
    return {**wired.links.get(PRIMARY, {}), **stack_services.internal_urls(stack.services, prefix).get(PRIMARY, {})}


def primary_grants(iam: Iam, ecs: Ecs, wired: Wired) -> None:
    statements = wired.grants.get(PRIMARY, [])
    if statements:
        tracked(
            IamRolePolicy(iam, "task_resources", name="resources", role=iam.task_role.id, policy=policy(statements)),
            "task_resources",
        )
    for cache in sorted(wired.table[PRIMARY]["caches"]):
        wired.built.caches[cache].allow_from("service", ecs.security_group_id)


def services(
    scope: Construct,
    stack: StackInputs,
    env: Environment,
    wired: Wired,
    *,
    vpc: Vpc,
    alb: Alb,
    ecr: Ecr,
    ecs: Ecs,
    db: Rds | Aurora,
    db_proxy: RdsProxy | None,
    params: Params,
) -> dict[str, Service]:
    if not stack.services:
        return {}
    shared = stack_services.Shared(
        vpc_id=vpc.vpc_id,
        subnet_ids=vpc.private_subnet_ids,
        cluster_id=ecs.cluster.id,
        cluster_arn=ecs.cluster.arn,
        cluster_name=ecs.cluster_name,
        region=env.region,
        repository_urls=ecr.repository_urls,
        repository_arns=ecr.repository_arns,
        environment={
            "DB_HOST": db_proxy.endpoint if db_proxy else db.address,
            "DB_PORT": str(db.port),
            "DB_NAME": db.database_name,
        },
        secrets={
            "DB_USERNAME": SecretRef(db.master_secret_arn, "username"),
            "DB_PASSWORD": SecretRef(db.master_secret_arn, "password"),
        },
        parameters=params.arns,
        listener_arn=alb.listener.arn,
        alb_security_group_id=alb.security_group_id,
        primary_security_group_id=ecs.security_group_id,
        primary_port=stack.ecs.container_port,
    )
    stack_services.alb_ports(scope, stack.services, shared, vpc.cidr)
    built = stack_services.build(
        scope,
        stack.services,
        shared,
        prefix=env.prefix,
        grants=wired.grants,
        links=wired.links,
        scale_queues=stack_resources.scale_queues(stack.services, wired.built),
    )
    for service in stack.services:
        made = built[service.name]
        if service.database:
            (db_proxy or db).allow_from(
                service.key, made.security_group_id, f"PostgreSQL from the {service.name} service"
            )
        for cache in sorted(wired.table[service.name]["caches"]):
            wired.built.caches[cache].allow_from(service.key, made.security_group_id)
    return built


def api(
    scope: Construct, stack: StackInputs, env: Environment, wired: Wired, *, vpc: Vpc, alb: Alb, listener_port: int
) -> None:
    if stack.api is None:
        return
    wired.built.api = stack_resources.api_front(
        scope,
        stack.api,
        wired.built,
        prefix=env.prefix,
        queue=stack.api_queue,
        vpc=vpc,
        alb=AlbTarget(alb.listener.arn, alb.security_group_id, listener_port),
    )


def alarms(
    stack: StackInputs, wired: Wired, *, scope: Construct, prefix: str, topic_arn: str, db_instance: str | None
) -> None:
    if stack.alarms is None:
        return
    consumed = {queue for used in wired.table.values() for queue in used["consumes"]}
    resource_alarms.ResourceAlarms(
        scope,
        "resource_alarms",
        stack.alarms,
        wired.built,
        prefix=prefix,
        topic_arn=topic_arn,
        consumed=consumed,
        db_instance=db_instance,
    )
