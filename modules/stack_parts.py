"""The stack's optional parts (database choice, proxy, blue/green) and their outputs.

Kept beside modules/stack.py so compose() stays a readable list of wiring lines.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from generator.cdk import Construct, TerraformOutput, tracked
from modules.alarms import AlarmInputs, Rule, metric_alarm
from modules.alb import Alb
from modules.aurora import Aurora, AuroraInputs
from modules.aurora_alarms import AuroraAlarmInputs, AuroraAlarms, ClusterFacts
from modules.codedeploy import BlueGreen, BlueGreenInputs, BlueGreenWiring
from modules.deploy import Deploy
from modules.ecs import Ecs, EcsInputs
from modules.endpoints import Endpoints
from modules.oidc import Oidc
from modules.rds import Rds, RdsInputs
from modules.rds_proxy import ProxyTarget, RdsProxy, RdsProxyInputs
from modules.service import Service
from modules.services import ServiceInputs
from modules.vpc import Vpc, VpcInputs


class StackInputs(Protocol):
    """The inputs these parts read (modules.stack.StackInputs has them); a protocol, so stack.py and
    this file do not import each other."""

    @property
    def aurora(self) -> AuroraInputs | None: ...
    @property
    def aurora_alarms(self) -> AuroraAlarmInputs: ...
    @property
    def blue_green(self) -> BlueGreenInputs | None: ...
    @property
    def ecs(self) -> EcsInputs: ...
    @property
    def rds(self) -> RdsInputs: ...
    @property
    def rds_proxy(self) -> RdsProxyInputs | None: ...
    @property
    def vpc(self) -> VpcInputs: ...


def database(
    scope: Construct, stack: StackInputs, vpc: Vpc, name: str, *, topic_arn: str | None = None
) -> Rds | Aurora:
    """The RDS instance, or the Aurora cluster (with its alarms) when stack.aurora is set.

    topic_arn: the env's alarm topic; the cluster alarms notify it unless aurora_alarms names its own."""
    if stack.aurora is None:
        return Rds(scope, "rds", stack.rds, name=name, vpc_id=vpc.vpc_id, db_subnet_group_name=vpc.db_subnet_group_name)
    cluster = Aurora(
        scope,
        "aurora",
        stack.aurora,
        name=name,
        vpc_id=vpc.vpc_id,
        db_subnet_group_name=vpc.db_subnet_group_name,
        zones=vpc.zones,
    )
    thresholds = stack.aurora_alarms
    if thresholds.topic_arn is None and topic_arn is not None:
        thresholds = replace(thresholds, topic_arn=topic_arn)
    AuroraAlarms(
        scope,
        "aurora_alarms",
        thresholds,
        ClusterFacts(
            cluster.cluster_identifier, cluster.writer_instance_id, cluster.reader_instance_ids, cluster.instance_class
        ),
        name=name,
    )
    return cluster


def endpoints(
    scope: Construct, stack: StackInputs, vpc: Vpc, name: str, region: str, *, needs: list[str]
) -> Endpoints | None:
    """The interface VPC endpoints of vpc.endpoints (endpoints.tf), with those the tasks need (`needs`)."""
    if stack.vpc.endpoints is None:
        return None
    return Endpoints(
        scope,
        "endpoints",
        stack.vpc.endpoints,
        name=name,
        region=region,
        vpc_id=vpc.vpc_id,
        vpc_cidr=vpc.cidr,
        subnet_ids=vpc.private_subnet_ids,
        needs=needs,
    )


def proxy(scope: Construct, stack: StackInputs, vpc: Vpc, db: Rds | Aurora, name: str) -> RdsProxy | None:
    if stack.rds_proxy is None:
        return None
    if isinstance(db, Aurora):
        target = ProxyTarget(db.master_secret_arn, db.security_group_id, cluster_identifier=db.cluster_identifier)
    else:
        target = ProxyTarget(db.master_secret_arn, db.security_group_id, instance_identifier=db.instance.identifier)
    made = RdsProxy(
        scope, "rds_proxy", stack.rds_proxy, target, name=name, vpc_id=vpc.vpc_id, subnet_ids=vpc.database_subnet_ids
    )
    db.allow_from("proxy", made.security_group_id, "PostgreSQL from the RDS Proxy")
    return made


def blue_green(scope: Construct, stack: StackInputs, vpc: Vpc, alb: Alb, name: str) -> BlueGreen | None:
    if stack.blue_green is None:
        return None
    return BlueGreen(
        scope,
        "codedeploy",
        stack.blue_green,
        BlueGreenWiring(
            lb=alb.lb,
            vpc_id=vpc.vpc_id,
            vpc_cidr=vpc.cidr,
            security_group_id=alb.security_group_id,
            blue_target_group=alb.target_group,
            production_listener=alb.listener,
            target_port=stack.ecs.container_port,
        ),
        name=name,
    )


def outputs(
    scope: Construct,
    *,
    oidc: Oidc | None,
    deploy: Deploy | None,
    rds: Rds | Aurora,
    db_proxy: RdsProxy | None,
    ecs: Ecs,
    switch: BlueGreen | None,
) -> None:
    """Outputs the workflows and the deploy command read."""

    def output(key: str, value: object, description: str) -> None:
        tracked(TerraformOutput(scope, key, value=value, description=description))

    if oidc is not None:
        output(
            "ci_plan_role_arn", oidc.plan_role_arn, "GitHub Actions: role for pull-request plans (AWS_PLAN_ROLE_ARNS)"
        )
        output(
            "ci_apply_role_arn",
            oidc.apply_role_arn,
            "GitHub Actions: role for applies and deploys (AWS_APPLY_ROLE_ARN of the GitHub environment)",
        )
    if deploy is not None:
        output("image_tag_parameter", deploy.parameter.name, "SSM parameter holding the running image tag")
    if isinstance(rds, Aurora):
        output("db_reader_address", rds.reader_address, "Aurora reader endpoint (read-only queries)")
    if db_proxy is not None:
        output("db_proxy_endpoint", db_proxy.endpoint, "RDS Proxy endpoint the service connects to")
    if switch is not None:
        output("ecs_task_definition_arn", ecs.task_definition_arn, "Task definition CodeDeploy deploys")
        output("codedeploy_app_name", switch.app_name, "CodeDeploy application of blue/green deploys")
        output("codedeploy_deployment_group_name", switch.group_name, "CodeDeploy deployment group")
        output("ecs_container_port", ecs.container_port, "Container port the target groups reach")


def service_alarms(
    alarms: AlarmInputs,
    services: tuple[ServiceInputs, ...],
    built: dict[str, Service],
    *,
    cluster_name: str,
    topic_arn: str,
) -> None:
    """Each service's CPU and memory alarms (its own thresholds), in the service's own file."""
    for service in services:
        made = built[service.name]
        if made.service_name is None:
            continue  # a scheduled task: no service to average over
        dimensions = {"ClusterName": cluster_name, "ServiceName": made.service_name}
        for kind, metric_name, threshold in (
            ("cpu", "CPUUtilization", service.alarm_cpu_percent),
            ("memory", "MemoryUtilization", service.alarm_memory_percent),
        ):
            metric_alarm(
                made,
                f"{kind}_alarm",
                alarm_name=f"{made.full_name}-{kind}",
                description=f"{service.name} service {kind} >= {threshold} %",
                topic_arn=topic_arn,
                rule=Rule(threshold, minutes=service.alarm_minutes),
                tags=alarms.tags,
                tf_name=f"{service.key}_{kind}",
                single={
                    "namespace": "AWS/ECS",
                    "metric_name": metric_name,
                    "statistic": "Average",
                    "dimensions": dimensions,
                },
            )
