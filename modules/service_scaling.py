"""Autoscaling of one service of `services=`: the scalable target and its target tracking policy.

Created inside the Service construct (its scope), so the resources stay in the service's file.
"""

from __future__ import annotations

from typing import Any

from generator.cdk import AppautoscalingPolicy, AppautoscalingTarget, Construct, tracked
from modules.service_wiring import ServiceWiring
from modules.services import ServiceInputs


def autoscale(
    scope: Construct, inputs: ServiceInputs, wiring: ServiceWiring, *, full_name: str, service_name: str
) -> None:
    """Target tracking on CPU, queue age or backlog per task, between the service's min and max capacity."""
    low, high = inputs.capacity
    target = tracked(
        AppautoscalingTarget(
            scope,
            "scaling_target",
            service_namespace="ecs",
            scalable_dimension="ecs:service:DesiredCount",
            resource_id=f"service/{wiring.cluster_name}/{service_name}",
            min_capacity=low,
            max_capacity=high,
        ),
        inputs.key,
    )
    scaling = tracked(
        AppautoscalingPolicy(
            scope,
            "scaling_policy",
            name=f"{full_name}-{inputs.scale_on.replace('_', '-')}",
            policy_type="TargetTrackingScaling",
            service_namespace=target.service_namespace,
            scalable_dimension=target.scalable_dimension,
            resource_id=target.resource_id,
        ),
        inputs.key,
    )
    scaling.add_override("target_tracking_scaling_policy_configuration", target_tracking(inputs, wiring, full_name))


def target_tracking(inputs: ServiceInputs, wiring: ServiceWiring, full_name: str) -> dict[str, Any]:
    """The scaling policy's target tracking configuration: CPU, queue age or backlog per task."""
    base: dict[str, Any] = {
        "target_value": inputs.scaling_target_value,
        "scale_in_cooldown": 300,
        "scale_out_cooldown": 60,
    }
    if inputs.scale_on == "cpu":
        return {
            **base,
            "predefined_metric_specification": {"predefined_metric_type": "ECSServiceAverageCPUUtilization"},
        }
    queue = {"name": "QueueName", "value": wiring.scale_queue}
    if inputs.scale_on == "queue_age":
        return {
            **base,
            "customized_metric_specification": {
                "namespace": "AWS/SQS",
                "metric_name": "ApproximateAgeOfOldestMessage",
                "statistic": "Maximum",
                "dimensions": [queue],
            },
        }
    # Backlog per task: visible messages divided by the running tasks (AWS's recommended queue metric).
    service = [{"name": "ClusterName", "value": wiring.cluster_name}, {"name": "ServiceName", "value": full_name}]
    return {
        **base,
        "customized_metric_specification": {
            "metrics": [
                {
                    "id": "backlog",
                    "label": "Visible messages",
                    "return_data": False,
                    "metric_stat": {
                        "metric": {
                            "namespace": "AWS/SQS",
                            "metric_name": "ApproximateNumberOfMessagesVisible",
                            "dimensions": [queue],
                        },
                        "stat": "Sum",
                    },
                },
                {
                    "id": "tasks",
                    "label": "Running tasks",
                    "return_data": False,
                    "metric_stat": {
                        "metric": {
                            "namespace": "ECS/ContainerInsights",
                            "metric_name": "RunningTaskCount",
                            "dimensions": service,
                        },
                        "stat": "Average",
                    },
                },
                {
                    "id": "per_task",
                    "label": "Visible messages per task",
                    "expression": "backlog / MAX([tasks, 1])",
                    "return_data": True,
                },
            ]
        },
    }
