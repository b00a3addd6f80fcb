"""ECS Fargate service behind the ALB, with logs, a circuit breaker and CPU target tracking."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from generator import secrets as plain_secrets
from generator import validate
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
    ITerraformDependable,
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
from generator.errors import InputError
from generator.jsonenc import terraform_json

MODULE = "ecs"
CONTAINER = "app"
# Fargate's allowed task sizes: cpu units -> allowed memory (MiB).
FARGATE_SIZES: dict[int, tuple[int, ...]] = {
    256: (512, 1024, 2048),
    512: tuple(range(1024, 4097, 1024)),
    1024: tuple(range(2048, 8193, 1024)),
    2048: tuple(range(4096, 16385, 1024)),
    4096: tuple(range(8192, 30721, 1024)),
    8192: tuple(range(16384, 61441, 4096)),
    16384: tuple(range(32768, 122881, 8192)),
}
_LOG_RETENTION = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)


@dataclass(frozen=True)
class SecretRef:
    """A Secrets Manager secret injected as an environment variable (optionally one JSON key of it)."""

    arn: str
    json_key: str | None = None

    @property
    def value_from(self) -> str:
        return f"{self.arn}:{self.json_key}::" if self.json_key else self.arn


@dataclass(frozen=True, kw_only=True)
class EcsInputs:
    """Service settings.

    image_tag: tag of the image in the service's ECR repository.
    cpu / memory: Fargate task size; the pair must be one AWS allows (e.g. 256/512, 1024/2048).
    container_port: port the application listens on (the ALB targets it).
    desired_count: running tasks; min_capacity/max_capacity bound CPU target tracking (cpu_target %).
    environment: plain environment variables, committed in ecs.tf. Secret-looking ones are refused
      (generator/secrets.py: names like *PASSWORD*, *PASS*, *SECRET*, *TOKEN*, *_KEY, *_SK, *DSN*,
      values like postgres://user:pw@..., AKIA..., ghp_..., sk_live_...): use secrets=.
    not_secret: environment names that look like secrets but are not (an explicit opt-out each).
    secrets: env var -> SecretRef (Secrets Manager).
    container_insights: CloudWatch Container Insights on the cluster.
    log_retention_days: CloudWatch Logs retention (one of the values CloudWatch accepts).
    enable_execute_command: allow `aws ecs execute-command` into tasks.
    health_check_grace_period: seconds the ALB health check is ignored after a task starts.
    """

    image_tag: str = "latest"
    cpu: int = 256
    memory: int = 512
    container_port: int = 8000
    desired_count: int = 1
    min_capacity: int | None = None
    max_capacity: int | None = None
    cpu_target: int = 60
    environment: Mapping[str, str] = field(default_factory=dict)
    not_secret: tuple[str, ...] = ()
    secrets: Mapping[str, SecretRef] = field(default_factory=dict)
    container_insights: bool = True
    log_retention_days: int = 30
    enable_execute_command: bool = False
    health_check_grace_period: int = 60
    tags: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        validate.types(self, MODULE)
        validate.matches(MODULE, "image_tag", self.image_tag, r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}", "an image tag")
        if self.cpu not in FARGATE_SIZES:
            raise InputError(
                "cpu", f"{self.cpu} is not a Fargate size ({', '.join(map(str, FARGATE_SIZES))})", module=MODULE
            )
        options = FARGATE_SIZES[self.cpu]
        if self.memory not in options:
            raise InputError(
                "memory",
                f"{self.memory} MiB is not allowed with cpu {self.cpu} on Fargate "
                f"(allowed: {', '.join(map(str, options))})",
                module=MODULE,
            )
        validate.in_range(MODULE, "container_port", self.container_port, 1, 65535)
        validate.in_range(MODULE, "desired_count", self.desired_count, 0, 1000)
        low, high = self.capacity
        if not low <= self.desired_count <= high:
            raise InputError(
                "desired_count", f"{self.desired_count} is outside min/max capacity {low}..{high}", module=MODULE
            )
        validate.in_range(MODULE, "cpu_target", self.cpu_target, 10, 95)
        validate.one_of(MODULE, "log_retention_days", self.log_retention_days, _LOG_RETENTION)
        validate.in_range(MODULE, "health_check_grace_period", self.health_check_grace_period, 0, 2147483647)
        for key in [*self.environment, *self.secrets]:
            validate.matches(MODULE, "environment", key, r"[A-Za-z_][A-Za-z0-9_]*", "an environment variable name")
        plain_secrets.check_named(MODULE, "environment", self.environment, self.not_secret)

    @property
    def capacity(self) -> tuple[int, int]:
        low = self.desired_count if self.min_capacity is None else self.min_capacity
        high = max(low, self.desired_count) if self.max_capacity is None else self.max_capacity
        return low, high


@dataclass(frozen=True)
class EcsWiring:
    """What the service takes from the other modules (set by the stack, not by env configs)."""

    vpc_id: str
    subnet_ids: list[str]
    alb_security_group_id: str
    target_group_arn: str
    image_repository_url: str
    execution_role_arn: str
    task_role_arn: str
    region: str
    environment: Mapping[str, str] = field(default_factory=dict)
    secrets: Mapping[str, SecretRef] = field(default_factory=dict)
    depends_on: list[ITerraformDependable] = field(default_factory=list)
    image_tag: str | None = None  # overrides inputs.image_tag (the deploy parameter's value)
    parameters: Mapping[str, str] = field(default_factory=dict)  # env var -> SSM parameter ARN
    blue_green: bool = False  # CodeDeploy controls task definition and target groups
    scheduled_scaling: bool = False  # scheduled actions own the scalable target's min/max


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
