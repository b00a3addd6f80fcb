"""Inputs of the alarms module: thresholds (AlarmInputs), monitored resources, RDS connection limits."""

from __future__ import annotations

from dataclasses import dataclass, field

from generator import validate
from generator.errors import InputError
from modules.notifications import NotificationInputs

MODULE = "alarms"
GIB = 1024**3
# PostgreSQL on RDS: max_connections = LEAST({DBInstanceClassMemory/9531392}, 5000).
_BYTES_PER_CONNECTION = 9531392
_BURSTABLE_GIB = {"micro": 1, "small": 2, "medium": 4, "large": 8, "xlarge": 16, "2xlarge": 32}
_GENERAL_GIB = {
    "large": 8,
    "xlarge": 16,
    "2xlarge": 32,
    "4xlarge": 64,
    "8xlarge": 128,
    "12xlarge": 192,
    "16xlarge": 256,
    "24xlarge": 384,
    "32xlarge": 512,
    "48xlarge": 768,
}
_BURSTABLE = {"t3", "t4g"}
_GENERAL = {"m5", "m5d", "m6g", "m6gd", "m6i", "m6id", "m7g", "m7gd", "m7i", "m8g"}
_MEMORY = {"r5", "r5b", "r5d", "r6g", "r6gd", "r6i", "r6id", "r7g", "r7gd", "r7i", "r8g"}


def instance_memory_gib(instance_class: str) -> int | None:
    """Nominal memory of an RDS instance class, or None when the class is not in the table."""
    _, family, size = (instance_class.split(".") + ["", ""])[:3]
    if family in _BURSTABLE:
        return _BURSTABLE_GIB.get(size)
    if family in _GENERAL:
        return _GENERAL_GIB.get(size)
    if family in _MEMORY and size in _GENERAL_GIB:
        return 2 * _GENERAL_GIB[size]
    return None


def postgres_max_connections(instance_class: str) -> int | None:
    """max_connections as RDS's default PostgreSQL parameter group derives it from the class memory.

    RDS keeps some memory for the OS, so the live value (`SHOW max_connections`) is a little lower;
    set AlarmInputs.rds_max_connections to it when you want the threshold exact.
    """
    memory = instance_memory_gib(instance_class)
    return None if memory is None else min(memory * GIB // _BYTES_PER_CONNECTION, 5000)


@dataclass(frozen=True, kw_only=True)
class AlarmInputs:
    """Alarm thresholds; each alarm sends ALARM and OK to the environment's topic.

    notifications: who is told (email, HTTPS, Slack through AWS Chatbot).
    minutes: consecutive one-minute periods a threshold must hold before the alarm fires (where
      the alarm has no own `*_minutes`).
    ecs_cpu_percent / ecs_memory_percent: service-average CPU / memory utilisation.
    alb_5xx_percent / alb_5xx_minutes: 5xx answers (load balancer's and targets') as a share of requests.
    alb_4xx_percent / alb_4xx_minutes: 4xx answers as a share of requests (clients failing, or probing).
    unhealthy_targets: healthy-check failures in the target group that count as an outage.
    running_tasks_below_desired: alarm when running tasks trail the desired count by this many.
    rds_cpu_percent: database CPU. rds_free_storage_percent: free space as a share of the storage
      allocated now (the instance's allocated_storage as Terraform last read it, so autoscaling moves it).
    rds_connections_percent: connections as a share of max_connections.
    rds_max_connections: max_connections; derived from the instance class memory when None.
    queue_age_seconds / queue_age_minutes: ApproximateAgeOfOldestMessage of a consumed queue; any
      message in a dead-letter queue alarms at once.
    api_5xx_percent / api_5xx_minutes: API Gateway 5xx share; api_p90_latency_ms /
      api_p90_integration_latency_ms over api_latency_minutes: p90 Latency and IntegrationLatency.
    cache_cpu_percent / cache_memory_percent / cache_evictions: the cache's engine CPU, memory, evictions.
    slow_queries / slow_query_ms: count PostgreSQL log lines "duration: N ms" with N >= slow_query_ms
      (a metric filter on the exported log) and alarm on any; the log group is created here with
      slow_query_log_days retention, so for a database that already exports its log, import the group first.
    """

    notifications: NotificationInputs = field(default_factory=NotificationInputs)
    minutes: int = 5
    ecs_cpu_percent: int = 80
    ecs_memory_percent: int = 80
    alb_5xx_percent: int = 3
    alb_5xx_minutes: int = 1
    alb_4xx_percent: int = 10
    alb_4xx_minutes: int = 5
    unhealthy_targets: int = 1
    running_tasks_below_desired: int = 1
    rds_cpu_percent: int = 80
    rds_free_storage_percent: int = 10
    rds_connections_percent: int = 90
    rds_max_connections: int | None = None
    queue_age_seconds: int = 600
    queue_age_minutes: int = 15
    api_5xx_percent: int = 5
    api_5xx_minutes: int = 3
    api_p90_latency_ms: int = 2500
    api_p90_integration_latency_ms: int = 2000
    api_latency_minutes: int = 5
    cache_cpu_percent: int = 80
    cache_memory_percent: int = 80
    cache_evictions: int = 1
    slow_query_ms: int = 3000
    slow_queries: bool = False
    slow_query_log_days: int = 30
    tags: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in (
            "minutes",
            "alb_5xx_minutes",
            "alb_4xx_minutes",
            "queue_age_minutes",
            "api_5xx_minutes",
            "api_latency_minutes",
        ):
            validate.in_range(MODULE, name, getattr(self, name), 1, 60)
        for name in (
            "ecs_cpu_percent",
            "ecs_memory_percent",
            "alb_5xx_percent",
            "alb_4xx_percent",
            "rds_cpu_percent",
            "rds_free_storage_percent",
            "rds_connections_percent",
            "api_5xx_percent",
            "cache_cpu_percent",
            "cache_memory_percent",
        ):
            validate.in_range(MODULE, name, getattr(self, name), 1, 100)
        for name in (
            "queue_age_seconds",
            "api_p90_latency_ms",
            "api_p90_integration_latency_ms",
            "cache_evictions",
            "slow_query_ms",
        ):
            validate.in_range(MODULE, name, getattr(self, name), 1, 1209600)
        validate.in_range(MODULE, "unhealthy_targets", self.unhealthy_targets, 1, 1000)
        validate.in_range(MODULE, "running_tasks_below_desired", self.running_tasks_below_desired, 1, 1000)
        if self.rds_max_connections is not None:
            validate.in_range(MODULE, "rds_max_connections", self.rds_max_connections, 1, 262143)

    def max_connections(self, instance_class: str) -> int:
        derived = self.rds_max_connections or postgres_max_connections(instance_class)
        if derived is None:
            raise InputError(
                "rds_max_connections",
                f"cannot derive max_connections of {instance_class!r}: set rds_max_connections",
                module=MODULE,
            )
        return derived


@dataclass(frozen=True)
class AlarmTargets:
    """The monitored resources (set by the stack)."""

    cluster_name: str
    service_name: str
    load_balancer: str  # ALB arn_suffix
    target_group: str  # target group arn_suffix
    db_instance: str
    db_allocated_gib: int
    db_instance_class: str
    rds_alarms: bool = True  # False for an Aurora cluster: modules/aurora_alarms.py watches it instead
    # The free-storage threshold in bytes as a Terraform number computed from the instance's
    # allocated_storage (so it follows storage autoscaling); None: from db_allocated_gib.
    db_free_storage_bytes: float | None = None
