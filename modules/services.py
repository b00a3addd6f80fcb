"""More ECS services beside the stack's `ecs` one: web (behind the shared ALB), worker, internal.

Inputs only (validated where one service can tell); modules/service.py builds a service and
modules/stack_services.py checks what needs the whole env (unknown queues, overlapping rules).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from generator import secrets as plain_secrets
from generator import validate
from generator.errors import InputError
from modules.ecs import FARGATE_SIZES, SecretRef
from modules.iam import IamInputs

MODULE = "services"
Role = Literal["web", "worker", "internal"]
ScaleOn = Literal["cpu", "queue_depth", "queue_age"]
# Default target per scaling metric: CPU %, visible messages per running task, oldest message age (s).
DEFAULT_TARGETS: dict[str, int] = {"cpu": 60, "queue_depth": 100, "queue_age": 300}
RESERVED = {"this", "app", "service"}  # names the stack's own `ecs` service uses


@dataclass(frozen=True, kw_only=True)
class ServiceInputs:
    """One ECS Fargate service (or scheduled task) with its own task definition, roles, logs and scaling.

    name: short label (lowercase, digits, dashes); resources are named <prefix>-<name>.
    role: "web" (a target group and listener rules on the env's ALB), "worker" (no load balancer,
      no port), or "internal" (a Cloud Map name <name>.<prefix>.internal; its security group admits
      only the services in `reachable_from`).
    repository: ECR repository with the image (default: name; created when ecr.repositories lacks it).
    image_tag / command: image tag and container command (empty: the image's own).
    cpu / memory: Fargate task size (a pair AWS allows).
    port: container port (web and internal; default 8000). A worker takes none.
    hosts / paths: listener rule conditions of a web service (host headers, path patterns; at least one).
    priority: listener rule priority (1..50000, lower first); default: 100 + 10 * position in services.
    health_check_path: target group health check path of a web service (default "/health").
    container_health_check: the container's own check, e.g. ("CMD-SHELL", "curl -fs localhost:8000/health").
    environment / secrets: plain variables (secret-looking names or values are refused, see
      generator/secrets.py) and Secrets Manager references.
    not_secret: environment names that look like secrets but are not (an explicit opt-out each).
    task_statements: IAM statements of the service's own task role.
    database: give the task the database address and credentials (and the database admits it).
    consumes / sends_to: queue names it receives from / sends to (exact SQS permissions, nothing wider).
    buckets: upload buckets it presigns PUTs for and reads. caches: caches it connects to.
    reachable_from: (internal) names of the services that may call it ("app" is the `ecs` service).
    desired_count / min_capacity / max_capacity: running tasks and autoscaling bounds.
    scale_on: "cpu", "queue_depth" (visible messages per task) or "queue_age" (oldest message, s) of
      the first queue in `consumes`; scale_target: the target value (default per metric).
    schedule: an EventBridge expression (cron(...)/rate(...)): a scheduled task, not a service.
    singleton: exactly one task, never two (Celery Beat): no autoscaling, stop before start on deploy.
    timeout_seconds: the longest one unit of work takes; a consumed queue's visibility timeout must cover it.
    log_retention_days: CloudWatch Logs retention.
    alarm_cpu_percent / alarm_memory_percent / alarm_minutes: the service's CPU/memory alarms (with `alarms`).
    """

    name: str
    role: Role
    repository: str | None = None
    image_tag: str = "latest"
    command: tuple[str, ...] = ()
    cpu: int = 256
    memory: int = 512
    port: int | None = None
    hosts: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    priority: int | None = None
    health_check_path: str | None = None
    container_health_check: tuple[str, ...] = ()
    environment: Mapping[str, str] = field(default_factory=dict)
    not_secret: tuple[str, ...] = ()
    secrets: Mapping[str, SecretRef] = field(default_factory=dict)
    task_statements: tuple[Mapping[str, Any], ...] = ()
    database: bool = True
    consumes: tuple[str, ...] = ()
    sends_to: tuple[str, ...] = ()
    buckets: tuple[str, ...] = ()
    caches: tuple[str, ...] = ()
    reachable_from: tuple[str, ...] = ()
    desired_count: int = 1
    min_capacity: int | None = None
    max_capacity: int | None = None
    scale_on: ScaleOn = "cpu"
    scale_target: int | None = None
    schedule: str | None = None
    singleton: bool = False
    timeout_seconds: int = 30
    log_retention_days: int = 30
    alarm_cpu_percent: int = 80
    alarm_memory_percent: int = 80
    alarm_minutes: int = 5
    tags: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        where = f"services[{self.name}]"
        validate.types(self, MODULE)
        validate.matches(MODULE, "services.name", self.name, r"[a-z][a-z0-9-]{0,19}", "a short lowercase label")
        if self.name in RESERVED or validate.tf_name(self.name) in RESERVED:
            raise InputError(
                f"{where}.name", f"{self.name!r} is the `ecs` service's own name; choose another", module=MODULE
            )
        validate.one_of(MODULE, f"{where}.role", self.role, ("web", "worker", "internal"))
        self._check_size(where)
        self._check_role(where)
        self._check_scaling(where)
        for key in [*self.environment, *self.secrets]:
            validate.matches(MODULE, f"{where}.environment", key, r"[A-Za-z_][A-Za-z0-9_]*", "a variable name")
        plain_secrets.check_named(MODULE, f"{where}.environment", self.environment, self.not_secret)
        IamInputs(task_statements=self.task_statements)  # the same statement checks as the `ecs` task role
        validate.in_range(MODULE, f"{where}.timeout_seconds", self.timeout_seconds, 1, 43200)
        for key in ("alarm_cpu_percent", "alarm_memory_percent"):
            validate.in_range(MODULE, f"{where}.{key}", getattr(self, key), 1, 100)
        validate.in_range(MODULE, f"{where}.alarm_minutes", self.alarm_minutes, 1, 60)

    def _check_size(self, where: str) -> None:
        if self.cpu not in FARGATE_SIZES:
            raise InputError(
                f"{where}.cpu",
                f"{self.cpu} is not a Fargate size ({', '.join(map(str, FARGATE_SIZES))})",
                module=MODULE,
            )
        if self.memory not in FARGATE_SIZES[self.cpu]:
            raise InputError(
                f"{where}.memory",
                f"{self.memory} MiB is not allowed with cpu {self.cpu} on Fargate "
                f"(allowed: {', '.join(map(str, FARGATE_SIZES[self.cpu]))})",
                module=MODULE,
            )

    def _check_role(self, where: str) -> None:
        if self.role == "worker":
            for key, hint in (
                ("port", "a worker takes no traffic; drop port= (or make it role='internal')"),
                (
                    "health_check_path",
                    "a worker has no load balancer to probe it; drop "
                    "health_check_path= and use container_health_check= instead",
                ),
                ("hosts", "only a web service has listener rules; drop hosts="),
                ("paths", "only a web service has listener rules; drop paths="),
            ):
                if getattr(self, key):
                    raise InputError(f"{where}.{key}", hint, module=MODULE)
        else:
            validate.in_range(MODULE, f"{where}.port", self.container_port, 1, 65535)
            for key in ("schedule", "singleton"):
                if getattr(self, key):
                    raise InputError(
                        f"{where}.{key}",
                        "only a worker runs on a schedule or as a single task; use role='worker'",
                        module=MODULE,
                    )
        if self.role == "web":
            if not self.hosts and not self.paths:
                raise InputError(
                    f"{where}.hosts",
                    "a web service needs listener rule conditions: give hosts= "
                    "and/or paths= (the `ecs` service takes everything else)",
                    module=MODULE,
                )
            if self.priority is not None:
                validate.in_range(MODULE, f"{where}.priority", self.priority, 1, 50000)
            validate.matches(
                MODULE, f"{where}.health_check_path", self.target_health_path, r"/[\x21-\x7e]*", "a URL path"
            )
        elif self.hosts or self.paths or self.health_check_path:
            raise InputError(
                f"{where}.hosts",
                "only a web service is behind the ALB; drop hosts=/paths=/health_check_path=",
                module=MODULE,
            )
        if (self.role == "internal") != bool(self.reachable_from):
            raise InputError(
                f"{where}.reachable_from",
                "an internal service names its callers (reachable_from=('web',)); other roles take none",
                module=MODULE,
            )

    def _check_scaling(self, where: str) -> None:
        validate.in_range(MODULE, f"{where}.desired_count", self.desired_count, 0, 1000)
        low, high = self.capacity
        if not low <= self.desired_count <= high:
            raise InputError(
                f"{where}.desired_count",
                f"{self.desired_count} is outside min/max capacity {low}..{high}",
                module=MODULE,
            )
        if self.singleton and (self.desired_count != 1 or {self.min_capacity, self.max_capacity} - {None, 1}):
            raise InputError(
                f"{where}.singleton",
                "a singleton runs exactly one task: drop desired_count/max_capacity",
                module=MODULE,
            )
        if self.scale_on != "cpu" and not self.consumes:
            raise InputError(
                f"{where}.scale_on", f"{self.scale_on!r} scales on a queue: name it in consumes=", module=MODULE
            )
        if self.scale_target is not None:
            validate.in_range(MODULE, f"{where}.scale_target", self.scale_target, 1, 86400)
        if self.schedule is not None and not (
            self.schedule.startswith(("cron(", "rate(")) and self.schedule.endswith(")")
        ):
            raise InputError(
                f"{where}.schedule",
                f"{self.schedule!r} is not an EventBridge expression: write cron(0 3 * * ? *) or rate(1 hour)",
                module=MODULE,
            )

    @property
    def capacity(self) -> tuple[int, int]:
        if self.singleton:
            return 1, 1
        low = self.desired_count if self.min_capacity is None else self.min_capacity
        high = max(low, self.desired_count) if self.max_capacity is None else self.max_capacity
        return low, high

    @property
    def container_port(self) -> int:
        return self.port or 8000

    @property
    def target_health_path(self) -> str:
        return self.health_check_path or "/health"

    @property
    def image_repository(self) -> str:
        return self.repository or self.name

    @property
    def key(self) -> str:
        """Terraform name stem of the service's resources."""
        return validate.tf_name(self.name)

    @property
    def scaling_target_value(self) -> int:
        return self.scale_target or DEFAULT_TARGETS[self.scale_on]

    @property
    def is_service(self) -> bool:
        """False for a scheduled task (EventBridge runs it; no ECS service)."""
        return self.schedule is None
