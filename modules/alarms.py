"""CloudWatch alarms on the service, the load balancer and the database, sent to the alarm topic.

Defaults are the reference thresholds (../shared/seeds 003/004): ECS CPU and memory >= 80 % for
5 minutes, ALB 5xx >= 5 % of requests, any unhealthy target, fewer running tasks than desired,
RDS CPU >= 80 %, free storage < 10 % of allocated, connections >= 80 % of max_connections.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from generator import validate
from generator.cdk import CloudwatchMetricAlarm, Construct, tracked
from generator.errors import InputError
from modules.notifications import NotificationInputs

MODULE = "alarms"
GIB = 1024**3
# PostgreSQL on RDS: max_connections = LEAST({DBInstanceClassMemory/9531392}, 5000).
_BYTES_PER_CONNECTION = 9531392
_BURSTABLE_GIB = {"micro": 1, "small": 2, "medium": 4, "large": 8, "xlarge": 16, "2xlarge": 32}
_GENERAL_GIB = {"large": 8, "xlarge": 16, "2xlarge": 32, "4xlarge": 64, "8xlarge": 128, "12xlarge": 192,
                "16xlarge": 256, "24xlarge": 384, "32xlarge": 512, "48xlarge": 768}
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
    minutes: consecutive one-minute periods a threshold must hold before the alarm fires.
    ecs_cpu_percent / ecs_memory_percent: service-average CPU / memory utilisation.
    alb_5xx_percent: 5xx answers (load balancer's and targets') as a share of requests.
    unhealthy_targets: healthy-check failures in the target group that count as an outage.
    running_tasks_below_desired: alarm when running tasks trail the desired count by this many.
    rds_cpu_percent: database CPU. rds_free_storage_percent: free space as a share of allocated_storage.
    rds_connections_percent: connections as a share of max_connections.
    rds_max_connections: max_connections; derived from the instance class memory when None.
    """

    notifications: NotificationInputs = field(default_factory=NotificationInputs)
    minutes: int = 5
    ecs_cpu_percent: int = 80
    ecs_memory_percent: int = 80
    alb_5xx_percent: int = 5
    unhealthy_targets: int = 1
    running_tasks_below_desired: int = 1
    rds_cpu_percent: int = 80
    rds_free_storage_percent: int = 10
    rds_connections_percent: int = 80
    rds_max_connections: int | None = None
    tags: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        validate.in_range(MODULE, "minutes", self.minutes, 1, 60)
        for name in ("ecs_cpu_percent", "ecs_memory_percent", "alb_5xx_percent", "rds_cpu_percent",
                     "rds_free_storage_percent", "rds_connections_percent"):
            validate.in_range(MODULE, name, getattr(self, name), 1, 100)
        validate.in_range(MODULE, "unhealthy_targets", self.unhealthy_targets, 1, 1000)
        validate.in_range(MODULE, "running_tasks_below_desired", self.running_tasks_below_desired, 1, 1000)
        if self.rds_max_connections is not None:
            validate.in_range(MODULE, "rds_max_connections", self.rds_max_connections, 1, 262143)

    def max_connections(self, instance_class: str) -> int:
        derived = self.rds_max_connections or postgres_max_connections(instance_class)
        if derived is None:
            raise InputError("rds_max_connections", f"cannot derive max_connections of {instance_class!r}: "
                             "set rds_max_connections", module=MODULE)
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


def _metric(namespace: str, name: str, stat: str, dimensions: Mapping[str, str]) -> dict[str, Any]:
    return {"namespace": namespace, "metric_name": name, "stat": stat, "period": 60, "dimensions": dict(dimensions)}


class Alarms(Construct):
    """Outputs: alarm_names (Terraform name -> CloudWatch alarm name)."""

    def __init__(self, scope: Construct, id_: str, inputs: AlarmInputs, targets: AlarmTargets, *, name: str,
                 topic_arn: str) -> None:
        super().__init__(scope, id_)
        self._inputs, self._name, self._topic = inputs, name, topic_arn
        self.alarm_names: dict[str, str] = {}
        service = {"ClusterName": targets.cluster_name, "ServiceName": targets.service_name}
        database = {"DBInstanceIdentifier": targets.db_instance}
        self._simple("ecs_cpu", "ECS service CPU", "AWS/ECS", "CPUUtilization", "Average", service,
                     inputs.ecs_cpu_percent)
        self._simple("ecs_memory", "ECS service memory", "AWS/ECS", "MemoryUtilization", "Average", service,
                     inputs.ecs_memory_percent)
        self._alb(inputs, targets)
        self._math("ecs_running_tasks", "Running tasks below the desired count",
                   "desired - running", inputs.running_tasks_below_desired, {
                       "desired": _metric("ECS/ContainerInsights", "DesiredTaskCount", "Average", service),
                       "running": _metric("ECS/ContainerInsights", "RunningTaskCount", "Average", service)})
        if targets.rds_alarms:
            self._database(inputs, targets, database)

    def _database(self, inputs: AlarmInputs, targets: AlarmTargets, database: Mapping[str, str]) -> None:
        self._simple("rds_cpu", "Database CPU", "AWS/RDS", "CPUUtilization", "Average", database,
                     inputs.rds_cpu_percent)
        free_bytes = targets.db_allocated_gib * GIB * inputs.rds_free_storage_percent // 100
        self._simple("rds_free_storage", f"Database free storage below {inputs.rds_free_storage_percent} % of "
                     f"{targets.db_allocated_gib} GiB", "AWS/RDS", "FreeStorageSpace", "Minimum", database,
                     free_bytes, comparison="LessThanThreshold")
        limit = inputs.max_connections(targets.db_instance_class)
        connections = max(1, limit * inputs.rds_connections_percent // 100)
        self._simple("rds_connections", f"Database connections at {inputs.rds_connections_percent} % of "
                     f"max_connections {limit}", "AWS/RDS", "DatabaseConnections", "Maximum", database, connections)

    def _alb(self, inputs: AlarmInputs, targets: AlarmTargets) -> None:
        balancer = {"LoadBalancer": targets.load_balancer}
        self._math("alb_5xx_ratio", "Share of requests answered with 5xx, in %",
                   "100 * (FILL(elb_5xx, 0) + FILL(target_5xx, 0)) / FILL(requests, 1)", inputs.alb_5xx_percent, {
                       "requests": _metric("AWS/ApplicationELB", "RequestCount", "Sum", balancer),
                       "elb_5xx": _metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "Sum", balancer),
                       "target_5xx": _metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", balancer)})
        self._simple("alb_unhealthy_targets", "Unhealthy targets behind the load balancer", "AWS/ApplicationELB",
                     "UnHealthyHostCount", "Maximum", {**balancer, "TargetGroup": targets.target_group},
                     inputs.unhealthy_targets)

    def _simple(self, key: str, description: str, namespace: str, metric: str, stat: str,
                dimensions: Mapping[str, str], threshold: int, *,
                comparison: str = "GreaterThanOrEqualToThreshold") -> None:
        self._alarm(key, description, threshold, comparison, namespace=namespace, metric_name=metric,
                    statistic=stat, period=60, dimensions=dict(dimensions))

    def _math(self, key: str, description: str, expression: str, threshold: int,
              metrics: Mapping[str, dict[str, Any]]) -> None:
        queries: list[dict[str, Any]] = [{"id": "result", "expression": expression, "label": description,
                                          "return_data": True}]
        queries += [{"id": query_id, "metric": metric, "return_data": False} for query_id, metric in metrics.items()]
        alarm = self._alarm(key, description, threshold, "GreaterThanOrEqualToThreshold")
        alarm.add_override("metric_query", queries)  # nested blocks, written with Terraform's own keys

    def _alarm(self, key: str, description: str, threshold: int, comparison: str,
               **metric: Any) -> CloudwatchMetricAlarm:
        alarm_name = f"{self._name}-{key.replace('_', '-')}"
        alarm = tracked(CloudwatchMetricAlarm(
            self, key, alarm_name=alarm_name, alarm_description=description, comparison_operator=comparison,
            threshold=threshold, evaluation_periods=self._inputs.minutes, datapoints_to_alarm=self._inputs.minutes,
            treat_missing_data="notBreaching", alarm_actions=[self._topic], ok_actions=[self._topic],
            tags={"Name": alarm_name, **self._inputs.tags}, **metric))
        self.alarm_names[key] = alarm_name
        return alarm
