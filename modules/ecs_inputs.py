"""Inputs of the ECS module: Fargate sizes, secret references, service settings and wiring."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from generator import secrets as plain_secrets
from generator import validate
from generator.cdk import ITerraformDependable
from generator.errors import InputError

MODULE = "ecs"
CONTAINER = "app"
# Fargate's allowed task sizes: cpu units -> allowed memory (MiB).
FARGATE_SIZES: dict[int, tuple[int, ...]] = {
    256: (512, 1024, 2048),
    512: tuple(range(1024, 4097, 1024)),
    1024: tuple(range(2048, 8193, 1024)),
    2048: tuple(range(4096, 16385, 1024)),
    4096: tuple(range(8192, 30721, 1024)),
    8192: tuple(range(16384, 61441, 4096)),
    16384: tuple(range(32768, 122881, 8192)),
}


@dataclass(frozen=True)
class SecretRef:
    """A Secrets Manager secret injected as an environment variable (optionally one JSON key of it)."""

    arn: str
    json_key: str | None = None

    @property
    def value_from(self) -> str:
        return f"{self.arn}:{self.json_key}::" if self.json_key else self.arn


@dataclass(frozen=True, kw_only=True)
class EcsInputs:
    """Service settings.

    image_tag: tag of the image in the service's ECR repository.
    cpu / memory: Fargate task size; the pair must be one AWS allows (e.g. 256/512, 1024/2048).
    container_port: port the application listens on (the ALB targets it).
    desired_count: running tasks; min_capacity/max_capacity bound CPU target tracking (cpu_target %).
    environment: plain environment variables, committed in ecs.tf. Secret-looking ones are refused
      (generator/secrets.py: names like *PASSWORD*, *PASS*, *SECRET*, *TOKEN*, *_KEY, *_SK, *DSN*,
      values like postgres://user:pw@..., AKIA..., ghp_..., sk_live_...): use secrets=.
    not_secret: environment names that look like secrets but are not (an explicit opt-out each).
    secrets: env var -> SecretRef (Secrets Manager).
    container_insights: CloudWatch Container Insights on the cluster.
    log_retention_days: CloudWatch Logs retention (one of the values CloudWatch accepts).
    enable_execute_command: allow `aws ecs execute-command` into tasks.
    health_check_grace_period: seconds the ALB health check is ignored after a task starts.
    """

    image_tag: str = "latest"
    cpu: int = 256
    memory: int = 512
    container_port: int = 8000
    desired_count: int = 1
    min_capacity: int | None = None
    max_capacity: int | None = None
    cpu_target: int = 60
    environment: Mapping[str, str] = field(default_factory=dict)
    not_secret: tuple[str, ...] = ()
    secrets: Mapping[str, SecretRef] = field(default_factory=dict)
    container_insights: bool = True
    log_retention_days: int = 30
    enable_execute_command: bool = False
    health_check_grace_period: int = 60
    tags: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        validate.types(self, MODULE)
        validate.matches(MODULE, "image_tag", self.image_tag, r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}", "an image tag")
        if self.cpu not in FARGATE_SIZES:
            raise InputError(
                "cpu", f"{self.cpu} is not a Fargate size ({', '.join(map(str, FARGATE_SIZES))})", module=MODULE
            )
        options = FARGATE_SIZES[self.cpu]
        if self.memory not in options:
            raise InputError(
                "memory",
                f"{self.memory} MiB is not allowed with cpu {self.cpu} on Fargate "
                f"(allowed: {', '.join(map(str, options))})",
                module=MODULE,
            )
        validate.in_range(MODULE, "container_port", self.container_port, 1, 65535)
        validate.in_range(MODULE, "desired_count", self.desired_count, 0, 1000)
        low, high = self.capacity
        if not low <= self.desired_count <= high:
            raise InputError(
                "desired_count", f"{self.desired_count} is outside min/max capacity {low}..{high}", module=MODULE
            )
        validate.in_range(MODULE, "cpu_target", self.cpu_target, 10, 95)
        validate.one_of(MODULE, "log_retention_days", self.log_retention_days, validate.LOG_RETENTION_DAYS)
        validate.in_range(MODULE, "health_check_grace_period", self.health_check_grace_period, 0, 2147483647)
        for key in [*self.environment, *self.secrets]:
            validate.matches(MODULE, "environment", key, r"[A-Za-z_][A-Za-z0-9_]*", "an environment variable name")
        plain_secrets.check_named(MODULE, "environment", self.environment, self.not_secret)

    @property
    def capacity(self) -> tuple[int, int]:
        low = self.desired_count if self.min_capacity is None else self.min_capacity
        high = max(low, self.desired_count) if self.max_capacity is None else self.max_capacity
        return low, high


@dataclass(frozen=True)
class EcsWiring:
    """What the service takes from the other modules (set by the stack, not by env configs)."""

    vpc_id: str
    subnet_ids: list[str]
    alb_security_group_id: str
    target_group_arn: str
    image_repository_url: str
    execution_role_arn: str
    task_role_arn: str
    region: str
    environment: Mapping[str, str] = field(default_factory=dict)
    secrets: Mapping[str, SecretRef] = field(default_factory=dict)
    depends_on: list[ITerraformDependable] = field(default_factory=list)
    image_tag: str | None = None  # overrides inputs.image_tag (the deploy parameter's value)
    parameters: Mapping[str, str] = field(default_factory=dict)  # env var -> SSM parameter ARN
    blue_green: bool = False  # CodeDeploy controls task definition and target groups
    scheduled_scaling: bool = False  # scheduled actions own the scalable target's min/max
