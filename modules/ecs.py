"""ECS Fargate service behind the ALB, with logs, a circuit breaker and CPU target tracking."""

from __future__ import annotations

from collections.abc import Mapping

from generator.cdk import (
    AppautoscalingPolicy,
    AppautoscalingTarget,
    CloudwatchLogGroup,
    Construct,
    EcsCluster,
    EcsClusterSetting,
    EcsService,
    EcsServiceDeploymentCircuitBreaker,
    EcsServiceDeploymentController,
    EcsServiceLoadBalancer,
    EcsServiceNetworkConfiguration,
    EcsTaskDefinition,
    EcsTaskDefinitionRuntimePlatform,
    SecurityGroup,
    TerraformResourceLifecycle,
    VpcSecurityGroupEgressRule,
    VpcSecurityGroupIngressRule,
    tracked,
)
from generator.cdk import AppautoscalingPolicyTargetTrackingScalingPolicyConfiguration as TargetTracking
from generator.cdk import (
    AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification as PredefinedMetric,
)
from generator.jsonenc import terraform_json
from modules.ecs_inputs import CONTAINER as CONTAINER
from modules.ecs_inputs import FARGATE_SIZES as FARGATE_SIZES
from modules.ecs_inputs import MODULE as MODULE
from modules.ecs_inputs import EcsInputs as EcsInputs
from modules.ecs_inputs import EcsWiring as EcsWiring
from modules.ecs_inputs import SecretRef as SecretRef


class Ecs(Construct):
    """Outputs: cluster_name, service_name, security_group_id, log_group_arn, secret_arns."""

    def __init__(self, scope: Construct, id_: str, inputs: EcsInputs, wiring: EcsWiring, *, name: str) -> None:
        super().__init__(scope, id_)
        self.cluster = tracked(
            EcsCluster(
                self,
                "this",
                name=name,
                setting=[
                    EcsClusterSetting(
                        name="containerInsights", value="enabled" if inputs.container_insights else "disabled"
                    )
                ],
                tags={"Name": name, **inputs.tags},
            )
        )
        self.log_group = tracked(
            CloudwatchLogGroup(
                self,
                "log_group",
                name=f"/ecs/{name}",
                retention_in_days=inputs.log_retention_days,
                tags={"Name": f"/ecs/{name}", **inputs.tags},
            ),
            "service",
        )
        self.log_group_arn: str = self.log_group.arn
        secrets = {**wiring.secrets, **inputs.secrets}
        self.secret_arns = sorted({ref.arn for ref in secrets.values()})
        task = tracked(
            EcsTaskDefinition(
                self,
                "task_definition",
                family=name,
                requires_compatibilities=["FARGATE"],
                network_mode="awsvpc",
                cpu=str(inputs.cpu),
                memory=str(inputs.memory),
                execution_role_arn=wiring.execution_role_arn,
                task_role_arn=wiring.task_role_arn,
                runtime_platform=EcsTaskDefinitionRuntimePlatform(
                    operating_system_family="LINUX", cpu_architecture="X86_64"
                ),
                container_definitions=self._containers(inputs, wiring, secrets),
                tags={"Name": name, **inputs.tags},
            ),
            "this",
        )
        self.security_group_id = self._security_group(inputs, wiring, name)
        self.service = self._service(inputs, wiring, name, task.arn)
        self.cluster_name: str = self.cluster.name
        self.service_name: str = self.service.name
        self.scaling_target = self._autoscaling(inputs, name, wiring)
        self.task_definition_arn: str = task.arn
        self.container_port = inputs.container_port

    def _containers(self, inputs: EcsInputs, wiring: EcsWiring, secrets: Mapping[str, SecretRef]) -> str:
        environment = {**wiring.environment, **inputs.environment}
        value_from = {**wiring.parameters, **{key: ref.value_from for key, ref in secrets.items()}}
        container = {
            "name": CONTAINER,
            "image": f"{wiring.image_repository_url}:{wiring.image_tag or inputs.image_tag}",
            "essential": True,
            "portMappings": [{"containerPort": inputs.container_port, "protocol": "tcp"}],
            "environment": [{"name": key, "value": environment[key]} for key in sorted(environment)],
            "secrets": [{"name": key, "valueFrom": value_from[key]} for key in sorted(value_from)],
            "logConfiguration": {
                "logDriver": "awslogs",
                "options": {
                    "awslogs-group": self.log_group.name,
                    "awslogs-region": wiring.region,
                    "awslogs-stream-prefix": CONTAINER,
                },
            },
            "readonlyRootFilesystem": False,
        }
        return terraform_json([container])

    def _security_group(self, inputs: EcsInputs, wiring: EcsWiring, name: str) -> str:
        group = tracked(
            SecurityGroup(
                self,
                "security_group",
                name=f"{name}-service",
                vpc_id=wiring.vpc_id,
                description=f"ECS tasks of {name}",
                tags={"Name": f"{name}-service", **inputs.tags},
            ),
            "service",
        )
        tracked(
            VpcSecurityGroupIngressRule(
                self,
                "service_from_alb",
                security_group_id=group.id,
                description="Container port from the ALB only",
                ip_protocol="tcp",
                from_port=inputs.container_port,
                to_port=inputs.container_port,
                referenced_security_group_id=wiring.alb_security_group_id,
            )
        )
        tracked(
            VpcSecurityGroupEgressRule(
                self,
                "service_all",
                security_group_id=group.id,
                description="Images, AWS APIs and the database",
                ip_protocol="-1",
                cidr_ipv4="0.0.0.0/0",
            )
        )
        return str(group.id)

    def _service(self, inputs: EcsInputs, wiring: EcsWiring, name: str, task_arn: str) -> EcsService:
        return tracked(
            EcsService(
                self,
                "ecs_service",
                name=name,
                cluster=self.cluster.id,
                task_definition=task_arn,
                desired_count=inputs.desired_count,
                launch_type="FARGATE",
                propagate_tags="SERVICE",
                enable_execute_command=inputs.enable_execute_command,
                health_check_grace_period_seconds=inputs.health_check_grace_period,
                network_configuration=EcsServiceNetworkConfiguration(
                    subnets=wiring.subnet_ids, security_groups=[self.security_group_id], assign_public_ip=False
                ),
                load_balancer=[
                    EcsServiceLoadBalancer(
                        target_group_arn=wiring.target_group_arn,
                        container_name=CONTAINER,
                        container_port=inputs.container_port,
                    )
                ],
                deployment_circuit_breaker=None
                if wiring.blue_green
                else EcsServiceDeploymentCircuitBreaker(enable=True, rollback=True),
                deployment_controller=EcsServiceDeploymentController(type="CODE_DEPLOY") if wiring.blue_green else None,
                # Autoscaling owns the running count once the service exists (and CodeDeploy, when on,
                # the task definition and target group).
                lifecycle=TerraformResourceLifecycle(
                    ignore_changes=[
                        "desired_count",
                        *(["task_definition", "load_balancer"] if wiring.blue_green else []),
                    ]
                ),
                depends_on=list(wiring.depends_on),
                tags={"Name": name, **inputs.tags},
            ),
            "this",
        )

    def _autoscaling(self, inputs: EcsInputs, name: str, wiring: EcsWiring) -> AppautoscalingTarget:
        low, high = inputs.capacity
        target = tracked(
            AppautoscalingTarget(
                self,
                "scaling_target",
                service_namespace="ecs",
                scalable_dimension="ecs:service:DesiredCount",
                resource_id=f"service/{self.cluster.name}/{self.service.name}",
                min_capacity=low,
                max_capacity=high,
                lifecycle=TerraformResourceLifecycle(ignore_changes=["min_capacity", "max_capacity"])
                if wiring.scheduled_scaling
                else None,
            ),
            "service",
        )
        tracked(
            AppautoscalingPolicy(
                self,
                "service_cpu",
                name=f"{name}-cpu",
                policy_type="TargetTrackingScaling",
                service_namespace=target.service_namespace,
                scalable_dimension=target.scalable_dimension,
                resource_id=target.resource_id,
                target_tracking_scaling_policy_configuration=TargetTracking(
                    target_value=inputs.cpu_target,
                    scale_in_cooldown=300,
                    scale_out_cooldown=60,
                    predefined_metric_specification=PredefinedMetric(
                        predefined_metric_type="ECSServiceAverageCPUUtilization"
                    ),
                ),
            )
        )
        return target
