"""Optional blue/green deploys of the ECS service through CodeDeploy.

Adds a second ("green") target group, a test listener that reaches the new tasks before the
switch, a CodeDeploy application and deployment group, and its service role. The service
then runs with the CODE_DEPLOY controller: its task definition and load balancer are
CodeDeploy's to change, and the listeners' target groups swap on every deploy, so Terraform
ignores those attributes. (Provider 6.x adds ECS-native blue/green on the service itself;
this project is on provider 5.x, where CodeDeploy is the way.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from generator import validate
from generator.cdk import (
    CodedeployApp,
    CodedeployDeploymentGroup,
    Construct,
    IamRole,
    IamRolePolicyAttachment,
    Lb,
    LbListener,
    LbListenerDefaultAction,
    LbTargetGroup,
    LbTargetGroupHealthCheck,
    TerraformResourceLifecycle,
    VpcSecurityGroupIngressRule,
    tracked,
)
from generator.errors import InputError
from generator.jsonenc import terraform_json

MODULE = "blue_green"
DeploymentConfig = Literal[
    "CodeDeployDefault.ECSAllAtOnce",
    "CodeDeployDefault.ECSLinear10PercentEvery1Minutes",
    "CodeDeployDefault.ECSLinear10PercentEvery3Minutes",
    "CodeDeployDefault.ECSCanary10Percent5Minutes",
    "CodeDeployDefault.ECSCanary10Percent15Minutes",
]
_CONFIGS = DeploymentConfig.__args__  # type: ignore[attr-defined]


@dataclass(frozen=True, kw_only=True)
class BlueGreenInputs:
    """CodeDeploy blue/green settings.

    test_listener_port: ALB port that reaches the green tasks during a deploy (not 80/443).
    test_ingress_cidrs: who may reach the test port (default: the VPC only).
    deployment_config: how traffic moves (all at once, linear or canary steps).
    termination_wait_minutes: bake time before the blue tasks stop (0..2880); rollback is instant until then.
    """

    test_listener_port: int = 8080
    test_ingress_cidrs: tuple[str, ...] = ()
    deployment_config: DeploymentConfig = "CodeDeployDefault.ECSAllAtOnce"
    termination_wait_minutes: int = 5
    tags: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        validate.in_range(MODULE, "test_listener_port", self.test_listener_port, 1, 65535)
        if self.test_listener_port in (80, 443):
            raise InputError("test_listener_port", "80 and 443 belong to the production listeners", module=MODULE)
        for cidr in self.test_ingress_cidrs:
            validate.cidr(MODULE, "test_ingress_cidrs", cidr)
        validate.one_of(MODULE, "deployment_config", self.deployment_config, _CONFIGS)
        validate.in_range(MODULE, "termination_wait_minutes", self.termination_wait_minutes, 0, 2880)


@dataclass(frozen=True)
class BlueGreenWiring:
    """What blue/green takes from the ALB (set by the stack)."""

    lb: Lb
    vpc_id: str
    vpc_cidr: str
    security_group_id: str
    blue_target_group: LbTargetGroup
    production_listener: LbListener
    target_port: int


class BlueGreen(Construct):
    """Create before the ECS service; call attach() with the service once it exists."""

    def __init__(
        self, scope: Construct, id_: str, inputs: BlueGreenInputs, wiring: BlueGreenWiring, *, name: str
    ) -> None:
        super().__init__(scope, id_)
        if len(name) > 26:
            raise InputError("name", f"target group name {name!r}-green exceeds 32 characters", module=MODULE)
        self.inputs, self.wiring, self.name = inputs, wiring, name
        blue = wiring.blue_target_group
        self.green = tracked(
            LbTargetGroup(
                self,
                "green",
                name=f"{name}-green",
                port=wiring.target_port,
                protocol="HTTP",
                target_type="ip",
                vpc_id=wiring.vpc_id,
                deregistration_delay=blue.deregistration_delay,
                health_check=LbTargetGroupHealthCheck(
                    enabled=True,
                    path=blue.health_check.path,
                    matcher=blue.health_check.matcher,
                    interval=15,
                    timeout=5,
                    healthy_threshold=2,
                    unhealthy_threshold=3,
                ),
                tags={"Name": f"{name}-green", **inputs.tags},
            )
        )
        self.test_listener = tracked(
            LbListener(
                self,
                "test",
                load_balancer_arn=wiring.lb.arn,
                port=inputs.test_listener_port,
                protocol="HTTP",
                default_action=[LbListenerDefaultAction(type="forward", target_group_arn=blue.arn)],
                lifecycle=TerraformResourceLifecycle(ignore_changes=["default_action"]),
            )
        )
        # CodeDeploy points the listeners at blue or green; Terraform must not point them back.
        wiring.production_listener.add_override("lifecycle.ignore_changes", ["default_action"])
        for index, cidr in enumerate(inputs.test_ingress_cidrs or (wiring.vpc_cidr,)):
            suffix = "" if len(inputs.test_ingress_cidrs) <= 1 else f"_{index + 1}"
            tracked(
                VpcSecurityGroupIngressRule(
                    self,
                    f"alb_test{suffix}",
                    security_group_id=wiring.security_group_id,
                    description=f"Blue/green test listener from {cidr}",
                    ip_protocol="tcp",
                    from_port=inputs.test_listener_port,
                    to_port=inputs.test_listener_port,
                    cidr_ipv4=cidr,
                )
            )

    def attach(self, cluster_name: str, service_name: str, alarm_names: list[str] | None = None) -> None:
        """The CodeDeploy application and deployment group for the service.

        alarm_names: the service's alarms; a deploy stops and rolls back when one fires."""
        trust = {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "codedeploy.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ],
        }
        role = tracked(
            IamRole(
                self,
                "role",
                name=f"{self.name}-codedeploy",
                description="CodeDeploy blue/green of ECS",
                assume_role_policy=terraform_json(trust),
                tags={"Name": f"{self.name}-codedeploy", **self.inputs.tags},
            ),
            "codedeploy",
        )
        tracked(
            IamRolePolicyAttachment(
                self, "role_policy", role=role.name, policy_arn="arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS"
            ),
            "codedeploy",
        )
        self.app = tracked(
            CodedeployApp(
                self, "app", name=self.name, compute_platform="ECS", tags={"Name": self.name, **self.inputs.tags}
            ),
            "this",
        )
        self.group = tracked(
            CodedeployDeploymentGroup(
                self,
                "group",
                app_name=self.app.name,
                deployment_group_name=self.name,
                service_role_arn=role.arn,
                deployment_config_name=self.inputs.deployment_config,
                deployment_style={"deployment_option": "WITH_TRAFFIC_CONTROL", "deployment_type": "BLUE_GREEN"},
                blue_green_deployment_config={
                    "deployment_ready_option": {"action_on_timeout": "CONTINUE_DEPLOYMENT"},
                    "terminate_blue_instances_on_deployment_success": {
                        "action": "TERMINATE",
                        "termination_wait_time_in_minutes": self.inputs.termination_wait_minutes,
                    },
                },
                auto_rollback_configuration={
                    "enabled": True,
                    "events": ["DEPLOYMENT_FAILURE", *(["DEPLOYMENT_STOP_ON_ALARM"] if alarm_names else [])],
                },
                alarm_configuration={"enabled": True, "alarms": alarm_names} if alarm_names else None,
                ecs_service={"cluster_name": cluster_name, "service_name": service_name},
                load_balancer_info={
                    "target_group_pair_info": {
                        "prod_traffic_route": {"listener_arns": [self.wiring.production_listener.arn]},
                        "test_traffic_route": {"listener_arns": [self.test_listener.arn]},
                        "target_group": [{"name": self.wiring.blue_target_group.name}, {"name": self.green.name}],
                    }
                },
                tags={"Name": self.name, **self.inputs.tags},
            ),
            "this",
        )
        self.app_name: str = self.app.name
        self.group_name: str = self.group.deployment_group_name
