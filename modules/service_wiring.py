"""What one service of `services=` takes from the rest of the stack, and its roles' trust policies."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from generator.jsonenc import terraform_json
from modules.ecs_inputs import SecretRef

_TRUST = {"ecs": "ecs-tasks.amazonaws.com", "events": "events.amazonaws.com"}


def trust(service: str) -> str:
    return terraform_json(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": _TRUST[service]}, "Action": "sts:AssumeRole"}],
        }
    )


@dataclass(frozen=True)
class ServiceWiring:
    """What a service takes from the rest of the stack (set by the stack, not by env configs)."""

    vpc_id: str
    subnet_ids: list[str]
    cluster_id: str
    cluster_arn: str
    cluster_name: str
    region: str
    image_repository_url: str
    repository_arn: str
    environment: Mapping[str, str] = field(default_factory=dict)
    secrets: Mapping[str, SecretRef] = field(default_factory=dict)
    parameters: Mapping[str, str] = field(default_factory=dict)  # env var -> SSM parameter ARN
    task_statements: Sequence[Mapping[str, Any]] = ()  # grants on queues, buckets, caches
    listener_arn: str | None = None  # web
    alb_security_group_id: str | None = None  # web
    namespace_id: str | None = None  # internal: the Cloud Map namespace
    scale_queue: str | None = None  # queue name the worker scales on
    depends_on: list[Any] = field(default_factory=list)
