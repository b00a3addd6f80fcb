"""One service of `services=`: task definition, roles, logs, security group, and how it runs.

A web service gets a target group and a listener rule on the env's ALB; an internal one a Cloud
Map name; a worker neither. A `schedule` worker is an EventBridge rule running the task, not a
service. Every resource is named after the service (`aws_ecs_service.worker`), so adding or
removing one service never renames another.
"""

from __future__ import annotations

from collections.abc import Mapping

from generator.cdk import (
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
    LbTargetGroup,
    SecurityGroup,
    ServiceDiscoveryService,
    TerraformResourceLifecycle,
    VpcSecurityGroupEgressRule,
    VpcSecurityGroupIngressRule,
    tracked,
)
from modules.ecs_inputs import CONTAINER, SecretRef
from modules.iam import policy
from modules.service_scaling import autoscale
from modules.service_specs import container_definitions, execution_statements, run_task_statements
from modules.service_web import web_entry
from modules.service_wiring import ServiceWiring as ServiceWiring
from modules.service_wiring import trust as trust
from modules.services import ServiceInputs


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
                container_definitions=container_definitions(inputs, wiring, self.log_group.name, secrets),
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
        self.target_group: LbTargetGroup | None = None
        if inputs.role == "web":
            self.target_group, self.rule = web_entry(
                self,
                inputs,
                wiring,
                full_name=self.full_name,
                security_group_id=self.security_group_id,
                priority=priority,
            )
        self.dns_name = f"{inputs.name}.{prefix}.internal" if inputs.role == "internal" else None
        self.service_name: str | None = None
        if inputs.is_service:
            self.service = self._service()
            self.service_name = self.service.name
            if not inputs.singleton:
                autoscale(self, inputs, wiring, full_name=self.full_name, service_name=self.service.name)
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
        statements = execution_statements(self._wire, self.log_group_arn, secrets)
        tracked(
            IamRolePolicy(
                self, "execution_policy", name="execution", role=self.execution_role.id, policy=policy(statements)
            ),
            f"{self._key}_execution",
        )

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
                    run_task_statements(
                        self.task.arn_without_revision,
                        wiring.cluster_arn,
                        [self.execution_role.arn, self.task_role.arn],
                    )
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
