"""One CloudWatch dashboard with the metrics the alarms watch: service, load balancer, database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator import validate
from generator.cdk import CloudwatchDashboard, Construct, tracked
from generator.jsonenc import terraform_json
from modules.alarms import AlarmTargets

MODULE = "dashboard"


@dataclass(frozen=True, kw_only=True)
class DashboardInputs:
    """The environment's dashboard.

    period_seconds: resolution of every graph (60 = one point a minute).
    """

    period_seconds: int = 60

    def __post_init__(self) -> None:
        validate.one_of(MODULE, "period_seconds", self.period_seconds, (60, 300, 900, 3600))


def _widget(
    index: int, title: str, metrics: list[list[Any]], period: int, region: str, stat: str = "Average"
) -> dict[str, Any]:
    return {
        "type": "metric",
        "x": (index % 3) * 8,
        "y": (index // 3) * 6,
        "width": 8,
        "height": 6,
        "properties": {
            "title": title,
            "region": region,
            "view": "timeSeries",
            "stat": stat,
            "period": period,
            "metrics": metrics,
        },
    }


class Dashboard(Construct):
    """Outputs: dashboard_name."""

    def __init__(
        self, scope: Construct, id_: str, inputs: DashboardInputs, targets: AlarmTargets, *, name: str, region: str
    ) -> None:
        super().__init__(scope, id_)
        service = ["ClusterName", targets.cluster_name, "ServiceName", targets.service_name]
        balancer = ["LoadBalancer", targets.load_balancer]
        database = ["DBInstanceIdentifier", targets.db_instance]
        period = inputs.period_seconds
        widgets = [
            _widget(
                0,
                "ECS CPU and memory (%)",
                [["AWS/ECS", "CPUUtilization", *service], ["AWS/ECS", "MemoryUtilization", *service]],
                period,
                region,
            ),
            _widget(
                1,
                "ECS tasks",
                [
                    ["ECS/ContainerInsights", "RunningTaskCount", *service],
                    ["ECS/ContainerInsights", "DesiredTaskCount", *service],
                ],
                period,
                region,
            ),
            _widget(
                2,
                "ALB requests and 5xx",
                [
                    ["AWS/ApplicationELB", "RequestCount", *balancer],
                    ["AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", *balancer],
                    ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", *balancer],
                ],
                period,
                region,
                "Sum",
            ),
            _widget(
                3,
                "ALB target response time (s)",
                [["AWS/ApplicationELB", "TargetResponseTime", *balancer, {"stat": "p90"}]],
                period,
                region,
            ),
            _widget(
                4,
                "ALB healthy / unhealthy targets",
                [
                    ["AWS/ApplicationELB", "HealthyHostCount", "TargetGroup", targets.target_group, *balancer],
                    ["AWS/ApplicationELB", "UnHealthyHostCount", "TargetGroup", targets.target_group, *balancer],
                ],
                period,
                region,
                "Maximum",
            ),
            _widget(5, "RDS CPU (%)", [["AWS/RDS", "CPUUtilization", *database]], period, region),
            _widget(6, "RDS connections", [["AWS/RDS", "DatabaseConnections", *database]], period, region, "Maximum"),
            _widget(
                7, "RDS free storage (bytes)", [["AWS/RDS", "FreeStorageSpace", *database]], period, region, "Minimum"
            ),
            _widget(
                8,
                "RDS read / write latency (s)",
                [["AWS/RDS", "ReadLatency", *database], ["AWS/RDS", "WriteLatency", *database]],
                period,
                region,
            ),
        ]
        board = tracked(
            CloudwatchDashboard(self, "this", dashboard_name=name, dashboard_body=terraform_json({"widgets": widgets}))
        )
        self.dashboard_name: str = board.dashboard_name
