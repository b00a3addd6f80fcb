"""One service of `services=`: task definition, roles, logs, security group, and how it runs.

A web service gets a target group and a listener rule on the env's ALB; an internal one a Cloud
Map name; a worker neither. A `schedule` worker is an EventBridge rule running the task, not a
service. Every resource is named after the service (`aws_ecs_service.worker`), so adding or
removing one service never renames another.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from generator.cdk import (
    AppautoscalingPolicy,
    AppautoscalingTarget,
    CloudwatchEventRule,
    CloudwatchEventTarget,
    CloudwatchLogGroup,
    Construct,
    EcsService,
    EcsServiceDeploymentCircuitBreaker,
    EcsServiceLoadBalancer,
    EcsServiceNetworkConfiguration,
    EcsServiceServiceRegistries,
    EcsTaskDefinition,
    EcsTaskDefinitionRuntimePlatform,
    IamRole,
    IamRolePolicy,
    LbListenerRule,
    LbTargetGroup,
    LbTargetGroupHealthCheck,
    SecurityGroup,
    ServiceDiscoveryService,
    TerraformResourceLifecycle,
    VpcSecurityGroupEgressRule,
    VpcSecurityGroupIngressRule,
    tracked,
)
from generator.jsonenc import terraform_json
from modules.ecs import CONTAINER, SecretRef
from modules.iam import policy
from modules.services import ServiceInputs

_TRUST = {"ecs": "ecs-tasks.amazonaws.com", "events": "events.amazonaws.com"}


def trust(service: str) -> str:
    return terraform_json(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": _TRUST[service]}, "Action": "sts:AssumeRole"}],
        }
    )


@dataclass(frozen=True)
class ServiceWiring:
    """What a service takes from the rest of the stack (set by the stack, not by env configs)."""

    vpc_id: str
    subnet_ids: list[str]
    cluster_id: str
    cluster_arn: str
    cluster_name: str
    region: str
    image_repository_url: str
    repository_arn: str
    environment: Mapping[str, str] = field(default_factory=dict)
    secrets: Mapping[str, SecretRef] = field(default_factory=dict)
    parameters: Mapping[str, str] = field(default_factory=dict)  # env var -> SSM parameter ARN
    task_statements: Sequence[Mapping[str, Any]] = ()  # grants on queues, buckets, caches
    listener_arn: str | None = None  # web
    alb_security_group_id: str | None = None  # web
    namespace_id: str | None = None  # internal: the Cloud Map namespace
    scale_queue: str | None = None  # queue name the worker scales on
    depends_on: list[Any] = field(default_factory=list)


class Service(Construct):
    """Outputs: security_group_id, service_name (None for a scheduled task), log_group_name, dns_name."""

    def __init__(
        self, scope: Construct, id_: str, inputs: ServiceInputs, wiring: ServiceWiring, *, prefix: str, priority: int
    ) -> None:
        super().__init__(scope, id_)
        self._in, self._wire, self._key = inputs, wiring, inputs.key
        self.full_name = f"{prefix}-{inputs.name}"
        self.log_group = tracked(
            CloudwatchLogGroup(
                self,
                "log_group",
                name=f"/ecs/{self.full_name}",
                retention_in_days=inputs.log_retention_days,
                tags={"Name": f"/ecs/{self.full_name}", **inputs.tags},
            ),
            self._key,
        )
        self.log_group_name: str = self.log_group.name
        self.log_group_arn: str = self.log_group.arn
        secrets = {**wiring.secrets, **inputs.secrets}
        self.execution_role = self._role("execution", "ecs", "Pulls the image, writes logs, reads its secrets")
        self.task_role = self._role("task", "ecs", "Identity of the running application")
        self._execution_policy(secrets)
        statements = [*wiring.task_statements, *inputs.task_statements]
        if statements:
            tracked(
                IamRolePolicy(
                    self, "task_policy", name="application", role=self.task_role.id, policy=policy(statements)
                ),
                f"{self._key}_task",
            )
        self.task = tracked(
            EcsTaskDefinition(
                self,
                "task_definition",
                family=self.full_name,
                requires_compatibilities=["FARGATE"],
                network_mode="awsvpc",
                cpu=str(inputs.cpu),
                memory=str(inputs.memory),
                execution_role_arn=self.execution_role.arn,
                task_role_arn=self.task_role.arn,
                runtime_platform=EcsTaskDefinitionRuntimePlatform(
                    operating_system_family="LINUX", cpu_architecture="X86_64"
                ),
                container_definitions=self._containers(secrets),
                tags={"Name": self.full_name, **inputs.tags},
            ),
            self._key,
        )
        self.security_group = tracked(
            SecurityGroup(
                self,
                "security_group",
                name=f"{self.full_name}-service",
                vpc_id=wiring.vpc_id,
                description=f"ECS tasks of {self.full_name}",
                tags={"Name": f"{self.full_name}-service", **inputs.tags},
            ),
            self._key,
        )
        self.security_group_id: str = self.security_group.id
        tracked(
            VpcSecurityGroupEgressRule(
                self,
                "egress",
                security_group_id=self.security_group_id,
                description="Images, AWS APIs and the database",
                ip_protocol="-1",
                cidr_ipv4="0.0.0.0/0",
            ),
            f"{self._key}_all",
        )
        self.target_group = self._web(priority) if inputs.role == "web" else None
        self.dns_name = f"{inputs.name}.{prefix}.internal" if inputs.role == "internal" else None
        self.service_name: str | None = None
        if inputs.is_service:
            self.service = self._service()
            self.service_name = self.service.name
            if not inputs.singleton:
                self._autoscaling()
        else:
            self._scheduled()

    def admit(self, caller: str, security_group_id: str) -> None:
        """Let one named service reach this internal service's port (and nothing else can)."""
        port = self._in.container_port
        tracked(
            VpcSecurityGroupIngressRule(
                self,
                f"from_{caller}",
                security_group_id=self.security_group_id,
                description=f"Port {port} from {caller}",
                ip_protocol="tcp",
                from_port=port,
                to_port=port,
                referenced_security_group_id=security_group_id,
            ),
            f"{self._key}_from_{caller}",
        )

    def _role(self, kind: str, principal: str, description: str) -> IamRole:
        role_name = f"{self.full_name}-{'ecs-' if principal == 'ecs' else ''}{kind}"
        return tracked(
            IamRole(
                self,
                kind,
                name=role_name,
                description=description,
                assume_role_policy=trust(principal),
                tags={"Name": role_name, **self._in.tags},
            ),
            f"{self._key}_{kind}",
        )

    def _execution_policy(self, secrets: Mapping[str, SecretRef]) -> None:
        statements: list[dict[str, Any]] = [
            {"Sid": "Authenticate", "Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
            {
                "Sid": "PullImage",
                "Effect": "Allow",
                "Action": ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                "Resource": self._wire.repository_arn,
            },
            {
                "Sid": "WriteLogs",
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": f"{self.log_group_arn}:*",
            },
        ]
        secret_arns = sorted({ref.arn for ref in secrets.values()})
        if secret_arns:
            statements.append(
                {
                    "Sid": "ReadSecrets",
                    "Effect": "Allow",
                    "Action": "secretsmanager:GetSecretValue",
                    "Resource": secret_arns,
                }
            )
        if self._wire.parameters:
            statements.append(
                {
                    "Sid": "ReadParameters",
                    "Effect": "Allow",
                    "Action": "ssm:GetParameters",
                    "Resource": [self._wire.parameters[key] for key in sorted(self._wire.parameters)],
                }
            )
        tracked(
            IamRolePolicy(
                self, "execution_policy", name="execution", role=self.execution_role.id, policy=policy(statements)
            ),
            f"{self._key}_execution",
        )

    def _containers(self, secrets: Mapping[str, SecretRef]) -> str:
        inputs = self._in
        environment = {**self._wire.environment, **inputs.environment}
        value_from = {**self._wire.parameters, **{key: ref.value_from for key, ref in secrets.items()}}
        container: dict[str, Any] = {
            "name": CONTAINER,
            "image": f"{self._wire.image_repository_url}:{inputs.image_tag}",
            "essential": True,
            "environment": [{"name": key, "value": environment[key]} for key in sorted(environment)],
            "secrets": [{"name": key, "valueFrom": value_from[key]} for key in sorted(value_from)],
            "logConfiguration": {
                "logDriver": "awslogs",
                "options": {
                    "awslogs-group": self.log_group.name,
                    "awslogs-region": self._wire.region,
                    "awslogs-stream-prefix": inputs.name,
                },
            },
            "readonlyRootFilesystem": False,
        }
        if inputs.role != "worker":
            container["portMappings"] = [{"containerPort": inputs.container_port, "protocol": "tcp"}]
        if inputs.command:
            container["command"] = list(inputs.command)
        if inputs.container_health_check:
            container["healthCheck"] = {
                "command": list(inputs.container_health_check),
                "interval": 30,
                "timeout": 5,
                "retries": 3,
                "startPeriod": 60,
            }
        return terraform_json([container])

    def _web(self, priority: int) -> LbTargetGroup:
        inputs, wiring = self._in, self._wire
        assert wiring.listener_arn is not None and wiring.alb_security_group_id is not None
        group = tracked(
            LbTargetGroup(
                self,
                "target_group",
                name=self.full_name[:32],
                port=inputs.container_port,
                protocol="HTTP",
                target_type="ip",
                vpc_id=wiring.vpc_id,
                deregistration_delay="30",
                health_check=LbTargetGroupHealthCheck(
                    enabled=True,
                    path=inputs.target_health_path,
                    matcher="200-399",
                    interval=15,
                    timeout=5,
                    healthy_threshold=2,
                    unhealthy_threshold=3,
                ),
                tags={"Name": self.full_name, **inputs.tags},
            ),
            self._key,
        )
        conditions: list[dict[str, Any]] = []
        if inputs.hosts:
            conditions.append({"host_header": {"values": list(inputs.hosts)}})
        if inputs.paths:
            conditions.append({"path_pattern": {"values": list(inputs.paths)}})
        self.rule = tracked(
            LbListenerRule(
                self,
                "rule",
                listener_arn=wiring.listener_arn,
                priority=priority,
                action=[],
                condition=[],
                tags={"Name": self.full_name, **inputs.tags},
            ),
            self._key,
        )
        # Nested blocks written with Terraform's own keys (the bindings drop some keys of nested dicts).
        self.rule.add_override("action", [{"type": "forward", "target_group_arn": group.arn}])
        self.rule.add_override("condition", conditions)
        tracked(
            VpcSecurityGroupIngressRule(
                self,
                "from_alb",
                security_group_id=self.security_group_id,
                description="Container port from the ALB only",
                ip_protocol="tcp",
                from_port=inputs.container_port,
                to_port=inputs.container_port,
                referenced_security_group_id=wiring.alb_security_group_id,
            ),
            f"{self._key}_from_alb",
        )
        return group

    def _service(self) -> EcsService:
        inputs, wiring = self._in, self._wire
        registries = None
        if inputs.role == "internal":
            assert wiring.namespace_id is not None
            discovery = tracked(
                ServiceDiscoveryService(
                    self,
                    "discovery",
                    name=inputs.name,
                    namespace_id=wiring.namespace_id,
                    dns_config={
                        "namespace_id": wiring.namespace_id,
                        "routing_policy": "MULTIVALUE",
                        "dns_records": [{"type": "A", "ttl": 10}],
                    },
                    tags={"Name": self.full_name, **inputs.tags},
                ),
                self._key,
            )
            registries = EcsServiceServiceRegistries(registry_arn=discovery.arn)
        balancers = (
            []
            if self.target_group is None
            else [
                EcsServiceLoadBalancer(
                    target_group_arn=self.target_group.arn,
                    container_name=CONTAINER,
                    container_port=inputs.container_port,
                )
            ]
        )
        return tracked(
            EcsService(
                self,
                "service",
                name=self.full_name,
                cluster=wiring.cluster_id,
                task_definition=self.task.arn,
                desired_count=inputs.desired_count,
                launch_type="FARGATE",
                propagate_tags="SERVICE",
                network_configuration=EcsServiceNetworkConfiguration(
                    subnets=wiring.subnet_ids, security_groups=[self.security_group_id], assign_public_ip=False
                ),
                load_balancer=balancers,
                service_registries=registries,
                health_check_grace_period_seconds=60 if balancers else None,
                # A singleton (Celery Beat) must never run twice, not even for a moment during a deploy.
                deployment_minimum_healthy_percent=0 if inputs.singleton else 100,
                deployment_maximum_percent=100 if inputs.singleton else 200,
                deployment_circuit_breaker=EcsServiceDeploymentCircuitBreaker(enable=True, rollback=True),
                lifecycle=None if inputs.singleton else TerraformResourceLifecycle(ignore_changes=["desired_count"]),
                depends_on=[self.rule] if self.target_group is not None else None,
                tags={"Name": self.full_name, **inputs.tags},
            ),
            self._key,
        )

    def _autoscaling(self) -> None:
        inputs = self._in
        low, high = inputs.capacity
        target = tracked(
            AppautoscalingTarget(
                self,
                "scaling_target",
                service_namespace="ecs",
                scalable_dimension="ecs:service:DesiredCount",
                resource_id=f"service/{self._wire.cluster_name}/{self.service.name}",
                min_capacity=low,
                max_capacity=high,
            ),
            self._key,
        )
        scaling = tracked(
            AppautoscalingPolicy(
                self,
                "scaling_policy",
                name=f"{self.full_name}-{inputs.scale_on.replace('_', '-')}",
                policy_type="TargetTrackingScaling",
                service_namespace=target.service_namespace,
                scalable_dimension=target.scalable_dimension,
                resource_id=target.resource_id,
            ),
            self._key,
        )
        scaling.add_override("target_tracking_scaling_policy_configuration", self._tracking())

    def _tracking(self) -> dict[str, Any]:
        inputs = self._in
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
        queue = {"name": "QueueName", "value": self._wire.scale_queue}
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
        service = [
            {"name": "ClusterName", "value": self._wire.cluster_name},
            {"name": "ServiceName", "value": self.full_name},
        ]
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

    def _scheduled(self) -> None:
        inputs, wiring = self._in, self._wire
        assert inputs.schedule is not None
        rule = tracked(
            CloudwatchEventRule(
                self,
                "schedule",
                name=self.full_name,
                description=f"Runs {self.full_name} on {inputs.schedule}",
                schedule_expression=inputs.schedule,
                tags={"Name": self.full_name, **inputs.tags},
            ),
            self._key,
        )
        events = self._role("events", "events", "Lets EventBridge run the scheduled task")
        tracked(
            IamRolePolicy(
                self,
                "events_policy",
                name="run-task",
                role=events.id,
                policy=policy(
                    [
                        {
                            "Sid": "RunTask",
                            "Effect": "Allow",
                            "Action": "ecs:RunTask",
                            "Resource": self.task.arn_without_revision,
                            "Condition": {"ArnEquals": {"ecs:cluster": wiring.cluster_arn}},
                        },
                        {
                            "Sid": "PassRoles",
                            "Effect": "Allow",
                            "Action": "iam:PassRole",
                            "Resource": [self.execution_role.arn, self.task_role.arn],
                        },
                    ]
                ),
            ),
            f"{self._key}_events",
        )
        tracked(
            CloudwatchEventTarget(
                self,
                "target",
                rule=rule.name,
                target_id=inputs.name,
                arn=wiring.cluster_arn,
                role_arn=events.arn,
                ecs_target={
                    "task_definition_arn": self.task.arn_without_revision,
                    "task_count": 1,
                    "launch_type": "FARGATE",
                    "network_configuration": {
                        "subnets": wiring.subnet_ids,
                        "security_groups": [self.security_group_id],
                        "assign_public_ip": False,
                    },
                },
            ),
            self._key,
        )
