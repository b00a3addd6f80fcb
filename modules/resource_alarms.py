"""Alarms on the queues, the API front, the caches and the database's slow queries (seed 004's table, seed 002).

Each alarm has its own threshold, period and datapoints (AlarmInputs), and notifies the env's alarm topic.
"""

from __future__ import annotations

from collections.abc import Mapping

from generator import validate
from generator.cdk import CloudwatchLogGroup, CloudwatchLogMetricFilter, Construct, tracked
from modules.alarms import AlarmInputs, Rule, metric, metric_alarm
from modules.stack_resources import Built

SLOW_QUERY_NAMESPACE = "hclgen/PostgreSQL"


class ResourceAlarms(Construct):
    """Outputs: alarm_names (Terraform name -> CloudWatch alarm name)."""

    def __init__(
        self,
        scope: Construct,
        id_: str,
        inputs: AlarmInputs,
        built: Built,
        *,
        prefix: str,
        topic_arn: str,
        consumed: set[str],
        db_instance: str | None,
    ) -> None:
        super().__init__(scope, id_)
        self._inputs, self._prefix, self._topic = inputs, prefix, topic_arn
        self.alarm_names: dict[str, str] = {}
        for name, queue in built.queues.items():
            key = validate.tf_name(name)
            dimensions = {"QueueName": queue.queue_name}
            if name in consumed:
                self._alarm(
                    f"{key}_age",
                    f"Oldest message in {name} waits >= {inputs.queue_age_seconds} s",
                    Rule(inputs.queue_age_seconds, minutes=inputs.queue_age_minutes),
                    single={
                        "namespace": "AWS/SQS",
                        "metric_name": "ApproximateAgeOfOldestMessage",
                        "statistic": "Maximum",
                        "dimensions": dimensions,
                    },
                )
            self._alarm(
                f"{key}_dlq_depth",
                f"Messages in the dead-letter queue of {name}",
                Rule(0, "GreaterThanThreshold", minutes=1),
                single={
                    "namespace": "AWS/SQS",
                    "metric_name": "ApproximateNumberOfMessagesVisible",
                    "statistic": "Maximum",
                    "dimensions": {"QueueName": queue.dlq_name},
                },
            )
        if built.api is not None:
            self._api(built.api.api_id)
        for name, cache in built.caches.items():
            self._cache(validate.tf_name(name), cache.group.id)
        if inputs.slow_queries and db_instance is not None:
            self._slow_queries(db_instance)

    def _api(self, api_id: str) -> None:
        inputs = self._inputs
        api = {"ApiId": api_id}
        self._alarm(
            "api_5xx_ratio",
            "Share of API requests answered with 5xx, in %",
            Rule(inputs.api_5xx_percent, minutes=inputs.api_5xx_minutes),
            expression="100 * FILL(errors, 0) / FILL(requests, 1)",
            queries={
                "requests": metric("AWS/ApiGateway", "Count", "Sum", api),
                "errors": metric("AWS/ApiGateway", "5xx", "Sum", api),
            },
        )
        for key, metric_name, threshold in (
            ("api_latency_p90", "Latency", inputs.api_p90_latency_ms),
            ("api_integration_latency_p90", "IntegrationLatency", inputs.api_p90_integration_latency_ms),
        ):
            self._alarm(
                key,
                f"API p90 {metric_name} >= {threshold} ms",
                Rule(threshold, minutes=inputs.api_latency_minutes),
                single={
                    "namespace": "AWS/ApiGateway",
                    "metric_name": metric_name,
                    "extended_statistic": "p90",
                    "dimensions": api,
                },
            )

    def _cache(self, key: str, group_id: str) -> None:
        inputs = self._inputs
        dimensions = {"ReplicationGroupId": group_id}
        for suffix, metric_name, statistic, threshold in (
            ("cpu", "EngineCPUUtilization", "Average", inputs.cache_cpu_percent),
            ("memory", "DatabaseMemoryUsagePercentage", "Average", inputs.cache_memory_percent),
            ("evictions", "Evictions", "Sum", inputs.cache_evictions),
        ):
            self._alarm(
                f"{key}_cache_{suffix}",
                f"Cache {key} {metric_name} >= {threshold}",
                Rule(threshold, minutes=inputs.minutes),
                single={
                    "namespace": "AWS/ElastiCache",
                    "metric_name": metric_name,
                    "statistic": statistic,
                    "dimensions": dimensions,
                },
            )

    def _slow_queries(self, db_instance: str) -> None:
        inputs = self._inputs
        metric_name = f"{self._prefix}-slow-queries"
        # log_min_duration_statement writes "duration: 3012.345 ms  statement: ..." for every slow statement.
        # The group RDS exports the PostgreSQL log to; made here so the filter has it before the first slow query.
        group = tracked(
            CloudwatchLogGroup(
                self,
                "postgresql_log",
                name=f"/aws/rds/instance/{db_instance}/postgresql",
                retention_in_days=inputs.slow_query_log_days,
            ),
            "postgresql",
        )
        # The RDS line: "<date> <time> <tz:host(port):user@db:[pid]:LOG:>  duration: 3012.3 ms  statement: ...".
        tracked(
            CloudwatchLogMetricFilter(
                self,
                "slow_queries_filter",
                name=metric_name,
                log_group_name=group.name,
                pattern=f'[date, time, session, label="duration:", duration>={inputs.slow_query_ms}, unit="ms", ...]',
                metric_transformation={
                    "name": metric_name,
                    "namespace": SLOW_QUERY_NAMESPACE,
                    "value": "1",
                    "default_value": "0",
                },
            ),
            "slow_queries",
        )
        self._alarm(
            "slow_queries",
            f"Statements slower than {inputs.slow_query_ms} ms",
            Rule(0, "GreaterThanThreshold", minutes=1),
            single={"namespace": SLOW_QUERY_NAMESPACE, "metric_name": metric_name, "statistic": "Sum"},
        )

    def _alarm(
        self,
        key: str,
        description: str,
        rule: Rule,
        *,
        single: Mapping[str, object] | None = None,
        expression: str | None = None,
        queries: Mapping[str, dict[str, object]] | None = None,
    ) -> None:
        alarm_name = f"{self._prefix}-{key.replace('_', '-')}"
        metric_alarm(
            self,
            key,
            alarm_name=alarm_name,
            description=description,
            rule=rule,
            topic_arn=self._topic,
            tags=self._inputs.tags,
            single=single,
            expression=expression,
            queries=queries,
        )
        self.alarm_names[key] = alarm_name
