"""CloudWatch alarms on the service, the load balancer and the database, sent to the alarm topic.

Defaults are seed 004's table (../shared/seeds): ECS CPU and memory >= 80 % for 5 minutes, ALB
5xx >= 3 % of requests for 1 minute (and 4xx >= 10 % for 5), any unhealthy target, fewer running
tasks than desired, RDS CPU >= 80 %, free storage < 10 % of the storage allocated now (it
follows storage autoscaling), connections > 90 % of max_connections. Each alarm has its own
threshold, period and datapoints (`Rule`); modules/resource_alarms.py adds queues, the API,
the cache and slow queries, with the same helper.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generator.cdk import CloudwatchMetricAlarm, Construct, tracked
from modules.alarm_inputs import GIB as GIB
from modules.alarm_inputs import MODULE as MODULE
from modules.alarm_inputs import AlarmInputs as AlarmInputs
from modules.alarm_inputs import AlarmTargets as AlarmTargets
from modules.alarm_inputs import instance_memory_gib as instance_memory_gib
from modules.alarm_inputs import postgres_max_connections as postgres_max_connections


@dataclass(frozen=True)
class Rule:
    """How one alarm judges: threshold, comparison, period (s) and datapoints out of as many periods."""

    threshold: float  # or a Terraform number (a token) computed at apply time
    comparison: str = "GreaterThanOrEqualToThreshold"
    minutes: int = 5
    period: int = 60

    @property
    def datapoints(self) -> int:
        return max(1, self.minutes * 60 // self.period)


def metric(namespace: str, name: str, stat: str, dimensions: Mapping[str, str], period: int = 60) -> dict[str, Any]:
    return {"namespace": namespace, "metric_name": name, "stat": stat, "period": period, "dimensions": dict(dimensions)}


def metric_alarm(
    scope: Construct,
    key: str,
    *,
    alarm_name: str,
    description: str,
    rule: Rule,
    topic_arn: str,
    tags: Mapping[str, str],
    single: Mapping[str, Any] | None = None,
    expression: str | None = None,
    queries: Mapping[str, dict[str, Any]] | None = None,
    tf_name: str | None = None,
) -> CloudwatchMetricAlarm:
    """One alarm notifying the topic on ALARM and OK: a single metric, or an expression over `queries`.

    tf_name: its Terraform name when the construct id (key) is not unique in the env."""
    alarm = tracked(
        CloudwatchMetricAlarm(
            scope,
            key,
            alarm_name=alarm_name,
            alarm_description=description,
            comparison_operator=rule.comparison,
            threshold=rule.threshold,
            evaluation_periods=rule.datapoints,
            datapoints_to_alarm=rule.datapoints,
            treat_missing_data="notBreaching",
            alarm_actions=[topic_arn],
            ok_actions=[topic_arn],
            tags={"Name": alarm_name, **tags},
            **({} if single is None else {**single, "period": rule.period}),
        ),
        tf_name,
    )
    if expression is not None and queries is not None:
        rows: list[dict[str, Any]] = [
            {"id": "result", "expression": expression, "label": description, "return_data": True}
        ]
        rows += [
            {"id": query_id, "metric": {**spec, "period": rule.period}, "return_data": False}
            for query_id, spec in queries.items()
        ]
        alarm.add_override("metric_query", rows)  # nested blocks, written with Terraform's own keys
    return alarm


class Alarms(Construct):
    """Outputs: alarm_names (Terraform name -> CloudWatch alarm name)."""

    def __init__(
        self, scope: Construct, id_: str, inputs: AlarmInputs, targets: AlarmTargets, *, name: str, topic_arn: str
    ) -> None:
        super().__init__(scope, id_)
        self._inputs, self._name, self._topic = inputs, name, topic_arn
        self.alarm_names: dict[str, str] = {}
        self.alarms: dict[str, CloudwatchMetricAlarm] = {}
        service = {"ClusterName": targets.cluster_name, "ServiceName": targets.service_name}
        database = {"DBInstanceIdentifier": targets.db_instance}
        self._simple(
            "ecs_cpu",
            "ECS service CPU",
            "AWS/ECS",
            "CPUUtilization",
            "Average",
            service,
            Rule(inputs.ecs_cpu_percent, minutes=inputs.minutes),
        )
        self._simple(
            "ecs_memory",
            "ECS service memory",
            "AWS/ECS",
            "MemoryUtilization",
            "Average",
            service,
            Rule(inputs.ecs_memory_percent, minutes=inputs.minutes),
        )
        self._alb(inputs, targets)
        self._math(
            "ecs_running_tasks",
            "Running tasks below the desired count",
            "desired - running",
            Rule(inputs.running_tasks_below_desired, minutes=inputs.minutes),
            {
                "desired": metric("ECS/ContainerInsights", "DesiredTaskCount", "Average", service),
                "running": metric("ECS/ContainerInsights", "RunningTaskCount", "Average", service),
            },
        )
        if targets.rds_alarms:
            self._database(inputs, targets, database)
        # What CodeDeploy watches during a deploy of the service (it rolls back when one fires).
        self.service_alarm_names = [self.alarms[key].alarm_name for key in ("ecs_cpu", "ecs_memory", "alb_5xx_ratio")]

    def _database(self, inputs: AlarmInputs, targets: AlarmTargets, database: Mapping[str, str]) -> None:
        minutes = inputs.minutes
        self._simple(
            "rds_cpu",
            "Database CPU",
            "AWS/RDS",
            "CPUUtilization",
            "Average",
            database,
            Rule(inputs.rds_cpu_percent, minutes=minutes),
        )
        share = inputs.rds_free_storage_percent
        free: float
        if targets.db_free_storage_bytes is not None:
            free = targets.db_free_storage_bytes
            label = f"Database free storage below {share} % of the allocated storage"
        else:
            free = targets.db_allocated_gib * GIB * share // 100
            label = f"Database free storage below {share} % of {targets.db_allocated_gib} GiB"
        self._simple(
            "rds_free_storage",
            label,
            "AWS/RDS",
            "FreeStorageSpace",
            "Minimum",
            database,
            Rule(free, "LessThanThreshold", minutes),
        )
        limit = inputs.max_connections(targets.db_instance_class)
        connections = max(1, limit * inputs.rds_connections_percent // 100)
        self._simple(
            "rds_connections",
            f"Database connections above {inputs.rds_connections_percent} % of max_connections {limit}",
            "AWS/RDS",
            "DatabaseConnections",
            "Maximum",
            database,
            Rule(connections, "GreaterThanThreshold", minutes),
        )

    def _alb(self, inputs: AlarmInputs, targets: AlarmTargets) -> None:
        balancer = {"LoadBalancer": targets.load_balancer}
        requests = metric("AWS/ApplicationELB", "RequestCount", "Sum", balancer)
        self._math(
            "alb_5xx_ratio",
            "Share of requests answered with 5xx, in %",
            "100 * (FILL(elb_5xx, 0) + FILL(target_5xx, 0)) / FILL(requests, 1)",
            Rule(inputs.alb_5xx_percent, minutes=inputs.alb_5xx_minutes),
            {
                "requests": requests,
                "elb_5xx": metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "Sum", balancer),
                "target_5xx": metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", balancer),
            },
        )
        self._math(
            "alb_4xx_ratio",
            "Share of requests answered with 4xx, in %",
            "100 * (FILL(elb_4xx, 0) + FILL(target_4xx, 0)) / FILL(requests, 1)",
            Rule(inputs.alb_4xx_percent, minutes=inputs.alb_4xx_minutes),
            {
                "requests": requests,
                "elb_4xx": metric("AWS/ApplicationELB", "HTTPCode_ELB_4XX_Count", "Sum", balancer),
                "target_4xx": metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", "Sum", balancer),
            },
        )
        self._simple(
            "alb_unhealthy_targets",
            "Unhealthy targets behind the load balancer",
            "AWS/ApplicationELB",
            "UnHealthyHostCount",
            "Maximum",
            {**balancer, "TargetGroup": targets.target_group},
            Rule(inputs.unhealthy_targets, minutes=inputs.minutes),
        )

    def _simple(
        self,
        key: str,
        description: str,
        namespace: str,
        metric_name: str,
        stat: str,
        dimensions: Mapping[str, str],
        rule: Rule,
    ) -> None:
        self._alarm(
            key,
            description,
            rule,
            single={
                "namespace": namespace,
                "metric_name": metric_name,
                "statistic": stat,
                "dimensions": dict(dimensions),
            },
        )

    def _math(
        self, key: str, description: str, expression: str, rule: Rule, metrics: Mapping[str, dict[str, Any]]
    ) -> None:
        self._alarm(key, description, rule, expression=expression, queries=metrics)

    def _alarm(self, key: str, description: str, rule: Rule, **how: Any) -> CloudwatchMetricAlarm:
        alarm_name = f"{self._name}-{key.replace('_', '-')}"
        alarm = metric_alarm(
            self,
            key,
            alarm_name=alarm_name,
            description=description,
            rule=rule,
            topic_arn=self._topic,
            tags=self._inputs.tags,
            **how,
        )
        self.alarm_names[key] = alarm_name
        self.alarms[key] = alarm
        return alarm
