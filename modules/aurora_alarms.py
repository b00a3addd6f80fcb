"""The database alarms of part 1, adapted to an Aurora cluster (seed 004's thresholds).

Per instance (writer and each reader, so a failover keeps every alarm meaningful): CPU,
connections against max_connections, free local storage; per reader: replica lag. Aurora
storage grows by itself, so RDS's FreeStorageSpace becomes FreeLocalStorage (temporary
files, sized by the instance class). Every alarm notifies one SNS topic ARN, so it can be
wired to the part-1 alarm topic.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator import validate
from generator.cdk import CloudwatchMetricAlarm, Construct, tracked
from generator.errors import InputError

MODULE = "aurora.alarms"
GIB = 1024**3
# Memory of Aurora PostgreSQL instance classes (GiB); local storage is about twice the memory.
CLASS_MEMORY_GIB: dict[str, int] = {
    "db.t4g.medium": 4,
    "db.t4g.large": 8,
    "db.t3.medium": 4,
    "db.t3.large": 8,
    "db.r6g.large": 16,
    "db.r6g.xlarge": 32,
    "db.r6g.2xlarge": 64,
    "db.r6g.4xlarge": 128,
    "db.r7g.large": 16,
    "db.r7g.xlarge": 32,
    "db.r7g.2xlarge": 64,
    "db.r7g.4xlarge": 128,
    "db.r6i.large": 16,
    "db.r6i.xlarge": 32,
    "db.r6i.2xlarge": 64,
    "db.r6i.4xlarge": 128,
}


def default_max_connections(instance_class: str) -> int:
    """Aurora PostgreSQL's default: LEAST(DBInstanceClassMemory / 9531392, 5000)."""
    if instance_class not in CLASS_MEMORY_GIB:
        raise InputError("max_connections", f"unknown memory for {instance_class}: set max_connections", module=MODULE)
    return min(CLASS_MEMORY_GIB[instance_class] * GIB // 9531392, 5000)


@dataclass(frozen=True, kw_only=True)
class AuroraAlarmInputs:
    """Thresholds (seed 004) and where alarms go.

    topic_arn: SNS topic notified on alarm and on recovery (None: alarms without actions).
    cpu_percent: CPUUtilization >= this for `minutes`.
    connections_percent: DatabaseConnections > this % of max_connections for `minutes`.
    max_connections: the instances' max_connections; None derives Aurora's default from the class.
    free_local_storage_percent: FreeLocalStorage < this % of the class's local storage.
    replica_lag_ms: AuroraReplicaLag > this on a reader.
    minutes: how long a breach must last (1-minute periods).
    """

    topic_arn: str | None = None
    cpu_percent: int = 80
    connections_percent: int = 90
    max_connections: int | None = None
    free_local_storage_percent: int = 10
    replica_lag_ms: int = 2000
    minutes: int = 5
    tags: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.topic_arn is not None:
            validate.matches(
                MODULE,
                "topic_arn",
                self.topic_arn,
                r"(arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]+|\$\{.+\})",
                "an SNS topic ARN",
            )
        validate.in_range(MODULE, "cpu_percent", self.cpu_percent, 1, 100)
        validate.in_range(MODULE, "connections_percent", self.connections_percent, 1, 100)
        if self.max_connections is not None:
            validate.in_range(MODULE, "max_connections", self.max_connections, 1, 262143)
        validate.in_range(MODULE, "free_local_storage_percent", self.free_local_storage_percent, 1, 99)
        validate.in_range(MODULE, "replica_lag_ms", self.replica_lag_ms, 1, 3600000)
        validate.in_range(MODULE, "minutes", self.minutes, 1, 60)


@dataclass(frozen=True)
class ClusterFacts:
    """What the alarms read from the cluster (modules.aurora.Aurora has these attributes)."""

    cluster_identifier: str
    writer_instance_id: str
    reader_instance_ids: list[str]
    instance_class: str


class AuroraAlarms(Construct):
    """CloudWatch alarms of one Aurora cluster; `topic_arn` may be any SNS topic ARN token."""

    def __init__(
        self, scope: Construct, id_: str, inputs: AuroraAlarmInputs, cluster: ClusterFacts, *, name: str
    ) -> None:
        super().__init__(scope, id_)
        self.inputs = inputs
        limit = inputs.max_connections or default_max_connections(cluster.instance_class)
        connections = limit * inputs.connections_percent // 100
        local = CLASS_MEMORY_GIB.get(cluster.instance_class, 16) * 2 * GIB * inputs.free_local_storage_percent // 100
        members = [("writer", cluster.writer_instance_id)] + [
            (f"reader_{index + 1}", instance) for index, instance in enumerate(cluster.reader_instance_ids)
        ]
        for key, instance in members:
            label = f"{name}-db-{key.replace('_', '-')}"
            self._alarm(
                f"{key}_cpu",
                f"{label}-cpu",
                "CPUUtilization",
                instance,
                "GreaterThanOrEqualToThreshold",
                inputs.cpu_percent,
                f"CPU >= {inputs.cpu_percent}% for {inputs.minutes} min",
            )
            self._alarm(
                f"{key}_connections",
                f"{label}-connections",
                "DatabaseConnections",
                instance,
                "GreaterThanThreshold",
                connections,
                f"connections > {inputs.connections_percent}% of max_connections {limit}",
            )
            self._alarm(
                f"{key}_local_storage",
                f"{label}-local-storage",
                "FreeLocalStorage",
                instance,
                "LessThanThreshold",
                local,
                f"free local storage < {inputs.free_local_storage_percent}% of the class's local storage",
                statistic="Minimum",
            )
            if key != "writer":
                self._alarm(
                    f"{key}_replica_lag",
                    f"{label}-replica-lag",
                    "AuroraReplicaLag",
                    instance,
                    "GreaterThanThreshold",
                    inputs.replica_lag_ms,
                    f"replica lag > {inputs.replica_lag_ms} ms",
                    statistic="Maximum",
                )

    def _alarm(
        self,
        key: str,
        alarm_name: str,
        metric: str,
        instance: str,
        comparison: str,
        threshold: int,
        description: str,
        statistic: str = "Average",
    ) -> None:
        actions = [self.inputs.topic_arn] if self.inputs.topic_arn else None
        tracked(
            CloudwatchMetricAlarm(
                self,
                key,
                alarm_name=alarm_name,
                alarm_description=description,
                namespace="AWS/RDS",
                metric_name=metric,
                dimensions={"DBInstanceIdentifier": instance},
                statistic=statistic,
                period=60,
                evaluation_periods=self.inputs.minutes,
                datapoints_to_alarm=self.inputs.minutes,
                comparison_operator=comparison,
                threshold=threshold,
                treat_missing_data="missing",
                alarm_actions=actions,
                ok_actions=actions,
                tags={"Name": alarm_name, **self.inputs.tags},
            )
        )
