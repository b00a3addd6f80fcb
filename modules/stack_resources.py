"""The stack's queues, upload buckets, caches and API front, and what each service is granted on them.

A service is granted on a resource when it names it (consumes=, sends_to=, buckets=, caches=) or the
resource names it (QueueInputs.consumers/senders, UploadsInputs.uploaders/readers, CacheInputs.users);
nothing else gets a permission or a network path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from generator import validate
from generator.cdk import Construct
from generator.errors import InputError
from modules.apigw import AlbTarget, ApiFront, ApiInputs
from modules.queue import Queue, QueueInputs
from modules.redis import Cache, CacheInputs
from modules.services import ServiceInputs
from modules.uploads import Uploads, UploadsInputs
from modules.vpc import Vpc

MODULE = "services"
PRIMARY = "app"
Statement = Mapping[str, Any]


def _variable(name: str) -> str:
    return name.upper().replace("-", "_")


def uses(
    services: Sequence[ServiceInputs],
    queues: Mapping[str, QueueInputs],
    uploads: Mapping[str, UploadsInputs],
    caches: Mapping[str, CacheInputs],
) -> dict[str, dict[str, set[str]]]:
    """service -> {"consumes"/"sends_to"/"uploads"/"reads"/"caches": resource names}, from both sides."""
    table = {
        service.name: {
            "consumes": set(service.consumes),
            "sends_to": set(service.sends_to),
            "uploads": set(service.buckets),
            "reads": set(service.buckets),
            "caches": set(service.caches),
        }
        for service in services
    }
    # The `ecs` service ("app") has no such fields: resources name it (senders=("app",), users=("app",)...).
    table[PRIMARY] = {"consumes": set(), "sends_to": set(), "uploads": set(), "reads": set(), "caches": set()}
    sides: list[tuple[str, str, Mapping[str, Any], str]] = [
        ("queues", "consumers", queues, "consumes"),
        ("queues", "senders", queues, "sends_to"),
        ("uploads", "uploaders", uploads, "uploads"),
        ("uploads", "readers", uploads, "reads"),
        ("caches", "users", caches, "caches"),
    ]
    for stack_field, role, resources, kind in sides:
        for resource, inputs in resources.items():
            for service in getattr(inputs, role):
                if service not in table:
                    have = ", ".join(sorted(table)) or "none"
                    raise InputError(
                        f"{stack_field}[{resource}].{role}",
                        f"no service named {service!r} (services: {have}); add it to services= or fix the name",
                        module=MODULE,
                    )
                table[service][kind].add(resource)
    return table


@dataclass
class Built:
    queues: dict[str, Queue] = field(default_factory=dict)
    uploads: dict[str, Uploads] = field(default_factory=dict)
    caches: dict[str, Cache] = field(default_factory=dict)
    api: ApiFront | None = None


def build(
    scope: Construct,
    *,
    prefix: str,
    vpc: Vpc,
    queues: Mapping[str, QueueInputs],
    uploads: Mapping[str, UploadsInputs],
    bucket_queues: Mapping[str, str],
    caches: Mapping[str, CacheInputs],
    private_subnet_ids: list[str],
    database_subnet_ids: list[str],
) -> Built:
    built = Built()
    for name, queue in queues.items():
        built.queues[name] = Queue(
            scope, f"queue_{validate.tf_name(name)}", queue, key=validate.tf_name(name), name=f"{prefix}-{name}"
        )
    for name, bucket in uploads.items():
        target = bucket_queues.get(name)
        built.uploads[name] = Uploads(
            scope,
            f"uploads_{validate.tf_name(name)}",
            bucket,
            key=validate.tf_name(name),
            name=f"{prefix}-{name}",
            queue=None if target is None else built.queues[target],
        )
    for name, cache in caches.items():
        subnets = private_subnet_ids if cache.subnet_tier == "private" else database_subnet_ids
        built.caches[name] = Cache(
            scope,
            f"cache_{validate.tf_name(name)}",
            cache,
            key=validate.tf_name(name),
            name=f"{prefix}-{name}",
            vpc_id=vpc.vpc_id,
            subnet_ids=subnets,
            zones=len(vpc.zones),
        )
    return built


def api_front(
    scope: Construct, inputs: ApiInputs, built: Built, *, prefix: str, queue: str | None, vpc: Vpc, alb: AlbTarget
) -> ApiFront:
    if inputs.target == "sqs":
        return ApiFront(
            scope, "api", inputs, key="api", name=prefix, queue=None if queue is None else built.queues[queue]
        )
    return ApiFront(
        scope, "api", inputs, key="api", name=prefix, alb=alb, vpc_id=vpc.vpc_id, subnet_ids=vpc.private_subnet_ids
    )


def grants(table: Mapping[str, Mapping[str, set[str]]], built: Built) -> dict[str, list[Statement]]:
    """Task role statements per service: exactly its queues, buckets and caches."""
    result: dict[str, list[Statement]] = {}
    for service, used in table.items():
        statements: list[Statement] = []
        for name in sorted(used["consumes"]):
            statements += built.queues[name].consume_statements()
        for name in sorted(used["sends_to"]):
            statements += built.queues[name].send_statements()
        for name in sorted(used["uploads"]):
            statements += built.uploads[name].presign_statements()
        for name in sorted(used["reads"]):
            statements += built.uploads[name].read_statements()
        for name in sorted(used["caches"]):
            statements += built.caches[name].connect_statements()
        result[service] = statements
    return result


def links(table: Mapping[str, Mapping[str, set[str]]], built: Built) -> dict[str, dict[str, str]]:
    """Environment variables per service: queue URLs, bucket names, cache endpoints and IAM user (no secrets)."""
    result: dict[str, dict[str, str]] = {}
    for service, used in table.items():
        env: dict[str, str] = {}
        for name in sorted(used["consumes"] | used["sends_to"]):
            env[f"QUEUE_{_variable(name)}_URL"] = built.queues[name].url
        for name in sorted(used["uploads"] | used["reads"]):
            env[f"BUCKET_{_variable(name)}"] = built.uploads[name].bucket_name
        for name in sorted(used["caches"]):
            cache = built.caches[name]
            env[f"CACHE_{_variable(name)}_HOST"] = cache.primary_endpoint
            env[f"CACHE_{_variable(name)}_PORT"] = str(cache.port)
            env[f"CACHE_{_variable(name)}_USER"] = cache.user_id  # IAM auth: the token is signed, never stored
        result[service] = env
    return result


def scale_queues(services: Sequence[ServiceInputs], built: Built) -> dict[str, str]:
    """service -> the SQS queue name its queue_depth/queue_age scaling watches (its first consumed queue)."""
    return {
        service.name: built.queues[service.consumes[0]].queue_name for service in services if service.scale_on != "cpu"
    }
