"""The reference stack: ALB -> ECS Fargate -> RDS PostgreSQL in a multi-AZ VPC, images in ECR.

An environment config sets per-module inputs; this file is the only place that wires modules
together, so every cross-module reference is visible in one spot.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from generator.cdk import Construct, Op, TerraformOutput, tracked
from generator.environment import Environment
from modules import stack_wiring
from modules.alarms import GIB, AlarmInputs, Alarms, AlarmTargets
from modules.alb import AccessLogTarget, Alb, AlbInputs
from modules.apigw import ApiInputs
from modules.aurora import Aurora, AuroraInputs
from modules.aurora_alarms import AuroraAlarmInputs
from modules.codedeploy import BlueGreenInputs
from modules.dashboard import Dashboard, DashboardInputs
from modules.deploy import Deploy, DeployInputs
from modules.dns import Dns, DnsInputs
from modules.ecr import Ecr, EcrInputs
from modules.ecs import Ecs, EcsInputs, EcsWiring, SecretRef
from modules.iam import Iam, IamInputs
from modules.logs import Logs, LogsInputs
from modules.notifications import Notifications
from modules.oidc import Oidc, OidcInputs
from modules.params import Params, ParamsInputs
from modules.queue import QueueInputs
from modules.rds import Rds, RdsInputs
from modules.rds_proxy import RdsProxyInputs
from modules.redis import CacheInputs
from modules.scaling import Scaling, ScalingInputs
from modules.services import ServiceInputs
from modules.stack_parts import blue_green, database, endpoints, outputs, proxy, service_alarms
from modules.uploads import UploadsInputs
from modules.vpc import Vpc, VpcInputs
from modules.waf import Waf, WafInputs


@dataclass(frozen=True, kw_only=True)
class StackInputs:
    """Inputs of the modules; every field has a default suited to a small dev environment."""

    vpc: VpcInputs = field(default_factory=VpcInputs)
    alb: AlbInputs = field(default_factory=AlbInputs)
    ecs: EcsInputs = field(default_factory=EcsInputs)
    rds: RdsInputs = field(default_factory=RdsInputs)
    ecr: EcrInputs = field(default_factory=EcrInputs)
    iam: IamInputs = field(default_factory=IamInputs)
    # The production layer; each part is one switch (None / False = off, nothing created, nothing billed).
    logs: LogsInputs = field(default_factory=LogsInputs)
    dns: DnsInputs | None = None
    waf: WafInputs | None = None
    alarms: AlarmInputs | None = None
    """SNS topic + alarms; with `aurora` the cluster alarms notify this topic too (unless they name their own)."""
    dashboard: DashboardInputs | None = None
    oidc: OidcInputs | None = None
    """GitHub Actions OIDC provider and this env's plan/apply CI roles (None: none)."""
    deploy: DeployInputs = field(default_factory=DeployInputs)
    """Where the running image tag lives (an SSM parameter CI deploys write; docs/ci-and-deploys.md)."""
    scaling: ScalingInputs = field(default_factory=ScalingInputs)
    """Scheduled windows and memory/request target tracking beside ecs' CPU tracking."""
    aurora: AuroraInputs | None = None
    """Aurora PostgreSQL cluster instead of the RDS instance (`rds` is then unused)."""
    aurora_alarms: AuroraAlarmInputs = field(default_factory=AuroraAlarmInputs)
    """Thresholds (and optionally their own SNS topic) of the Aurora cluster alarms (with `aurora` only)."""
    rds_proxy: RdsProxyInputs | None = None
    """RDS Proxy between the service and the database (None: tasks connect directly)."""
    params: ParamsInputs = field(default_factory=ParamsInputs)
    """Non-secret app settings in SSM Parameter Store, injected as env vars."""
    blue_green: BlueGreenInputs | None = None
    """CodeDeploy blue/green deploys of the service (None: ECS rolling updates)."""
    services: tuple[ServiceInputs, ...] = ()
    """More ECS services beside `ecs` (which stays the ALB's default, named "app"): web, worker, internal."""
    queues: Mapping[str, QueueInputs] = field(default_factory=dict)
    """SQS queues (each with its dead-letter queue) by short name; services name them in consumes=/sends_to=."""
    uploads: Mapping[str, UploadsInputs] = field(default_factory=dict)
    """Private upload buckets (presigned PUT) by short name; services name them in buckets=."""
    bucket_queues: Mapping[str, str] = field(default_factory=dict)
    """Upload bucket -> queue that gets a message per uploaded object."""
    caches: Mapping[str, CacheInputs] = field(default_factory=dict)
    """ElastiCache (Valkey/Redis, IAM auth) by short name; services name them in caches=."""
    api: ApiInputs | None = None
    """API Gateway HTTP API in front of the ALB (or a queue: api_queue)."""
    api_queue: str | None = None

    def __post_init__(self) -> None:
        if self.alarms is not None and self.aurora is None:
            self.alarms.max_connections(self.rds.instance_class)
        stack_wiring.check(self)

    @property
    def repositories(self) -> tuple[str, ...]:
        """ECR repositories: ecr's, then each service's own that ecr does not list."""
        extra = [service.image_repository for service in self.services]
        return tuple(dict.fromkeys([*self.ecr.repositories, *extra]))

    def compose(self, scope: Construct, env: Environment) -> None:
        name = env.prefix
        vpc = Vpc(scope, "vpc", self.vpc, name=name, region=env.region)
        ecr = Ecr(scope, "ecr", replace(self.ecr, repositories=self.repositories), name=name)
        iam = Iam(scope, "iam", self.iam, name=name)
        logs = Logs(scope, "logs", self.logs, name=name, vpc_id=vpc.vpc_id, account_id=vpc.account_id)
        dns = None if self.dns is None else Dns(scope, "dns", self.dns, name=name)
        topic = (
            None
            if self.alarms is None
            else Notifications(scope, "notifications", self.alarms.notifications, name=name, account_id=vpc.account_id)
        )
        alb = Alb(
            scope,
            "alb",
            self.alb,
            name=name,
            vpc_id=vpc.vpc_id,
            vpc_cidr=vpc.cidr,
            subnet_ids=vpc.private_subnet_ids if self.alb.internal else vpc.public_subnet_ids,
            target_port=self.ecs.container_port,
            certificate_arn=None if dns is None else dns.certificate_arn,
            access_logs=self._access_logs(logs),
        )
        rds = database(scope, self, vpc, name, topic_arn=None if topic is None else topic.topic_arn)
        db_proxy = proxy(scope, self, vpc, rds, name)
        deploy = (
            Deploy(scope, "deploy", self.deploy, project=env.project, env=env.name, initial_tag=self.ecs.image_tag)
            if self.deploy.tag_from_parameter
            else None
        )
        params = Params(scope, "params", self.params, project=env.project, env=env.name)
        switch = blue_green(scope, self, vpc, alb, name)
        wired = stack_wiring.resources(scope, self, env, vpc)
        ecs = Ecs(
            scope,
            "ecs",
            self.ecs,
            EcsWiring(
                vpc_id=vpc.vpc_id,
                subnet_ids=vpc.private_subnet_ids,
                alb_security_group_id=alb.security_group_id,
                target_group_arn=alb.target_group_arn,
                image_repository_url=ecr.image_repository_url,
                execution_role_arn=iam.execution_role_arn,
                task_role_arn=iam.task_role_arn,
                region=env.region,
                environment={
                    "DB_HOST": db_proxy.endpoint if db_proxy else rds.address,
                    "DB_PORT": str(rds.port),
                    "DB_NAME": rds.database_name,
                    **stack_wiring.primary(self, wired, name),
                },
                secrets={
                    "DB_USERNAME": SecretRef(rds.master_secret_arn, "username"),
                    "DB_PASSWORD": SecretRef(rds.master_secret_arn, "password"),
                },
                depends_on=[alb.listener],
                image_tag=deploy.image_tag if deploy else None,
                parameters=params.arns,
                blue_green=switch is not None,
                scheduled_scaling=bool(self.scaling.schedules),
            ),
            name=name,
        )
        (db_proxy or rds).allow_from("service", ecs.security_group_id, "PostgreSQL from the ECS service")
        iam.allow_image_pull([ecr.repository_arns[repo] for repo in self.ecr.repositories])
        iam.allow_log_writes(ecs.log_group_arn)
        iam.allow_secret_reads(ecs.secret_arns)
        iam.allow_parameter_reads([params.arns[key] for key in sorted(params.arns)])
        stack_wiring.primary_grants(iam, ecs, wired)
        endpoints(
            scope,
            self,
            vpc,
            name,
            env.region,
            needs=[
                *(["secretsmanager"] if ecs.secret_arns or self.services else []),
                *(["ssm"] if params.arns else []),
                *(["sqs"] if self.queues else []),
                *(["ssmmessages"] if self.ecs.enable_execute_command else []),
            ],
        )
        Scaling(
            scope,
            "scaling",
            self.scaling,
            name=name,
            target=ecs.scaling_target,
            capacity=self.ecs.capacity,
            request_label=f"{alb.arn_suffix}/{alb.target_group.arn_suffix}",
        )
        built = stack_wiring.services(
            scope, self, env, wired, vpc=vpc, alb=alb, ecr=ecr, ecs=ecs, db=rds, db_proxy=db_proxy, params=params
        )
        stack_wiring.api(
            scope, self, env, wired, vpc=vpc, alb=alb, listener_port=443 if dns or self.alb.certificate_arn else 80
        )
        if self.alarms is not None and topic is not None:
            service_alarms(self.alarms, self.services, built, cluster_name=ecs.cluster_name, topic_arn=topic.topic_arn)
            stack_wiring.alarms(
                self,
                wired,
                scope=scope,
                prefix=name,
                topic_arn=topic.topic_arn,
                db_instance=None if isinstance(rds, Aurora) else rds.instance.identifier,
            )
        oidc = Oidc(scope, "oidc", self.oidc, name=name, env_name=env.name, backend=env.backend) if self.oidc else None
        self._outputs(scope, vpc, alb, ecr, ecs, rds)
        alarms = self._production(scope, env, alb, ecs, rds, dns, topic)
        if switch is not None:
            switch.attach(ecs.cluster_name, ecs.service_name, None if alarms is None else alarms.service_alarm_names)
        outputs(scope, oidc=oidc, deploy=deploy, rds=rds, db_proxy=db_proxy, ecs=ecs, switch=switch)

    @staticmethod
    def _access_logs(logs: Logs) -> AccessLogTarget | None:
        if logs.access_log_bucket is None or logs.access_log_policy is None:
            return None
        return AccessLogTarget(logs.access_log_bucket, logs.access_log_prefix, [logs.access_log_policy])

    def _production(
        self,
        scope: Construct,
        env: Environment,
        alb: Alb,
        ecs: Ecs,
        rds: Rds | Aurora,
        dns: Dns | None,
        topic: Notifications | None,
    ) -> Alarms | None:
        name = env.prefix
        if dns is not None:
            dns.alias_to(alb.dns_name, alb.zone_id)
            tracked(
                TerraformOutput(
                    scope, "service_url", value=f"https://{dns.domain_name}", description="HTTPS address of the service"
                )
            )
        if self.waf is not None:
            waf = Waf(scope, "waf", self.waf, name=name, load_balancer_arn=alb.arn)
            tracked(TerraformOutput(scope, "web_acl_arn", value=waf.web_acl_arn, description="WAF web ACL"))
        # An Aurora cluster has its own alarm set (modules/aurora_alarms.py); the dashboard shows its writer.
        instance = rds.writer_instance_id if isinstance(rds, Aurora) else rds.instance.identifier
        targets = AlarmTargets(
            cluster_name=ecs.cluster_name,
            service_name=ecs.service_name,
            load_balancer=alb.arn_suffix,
            target_group=alb.target_group_arn_suffix,
            db_instance=instance,
            db_allocated_gib=self.rds.allocated_storage,
            db_instance_class=self.rds.instance_class,
            rds_alarms=not isinstance(rds, Aurora),
            db_free_storage_bytes=None
            if isinstance(rds, Aurora) or self.alarms is None
            else Op.div(Op.mul(rds.instance.allocated_storage, GIB * self.alarms.rds_free_storage_percent), 100),
        )
        alarms = None
        if self.alarms is not None and topic is not None:
            alarms = Alarms(scope, "alarms", self.alarms, targets, name=name, topic_arn=topic.topic_arn)
            tracked(
                TerraformOutput(
                    scope, "alarm_topic_arn", value=topic.topic_arn, description="SNS topic every alarm notifies"
                )
            )
        if self.dashboard is not None:
            board = Dashboard(scope, "dashboard", self.dashboard, targets, name=name, region=env.region)
            tracked(
                TerraformOutput(scope, "dashboard_name", value=board.dashboard_name, description="CloudWatch dashboard")
            )
        return alarms

    @staticmethod
    def _outputs(scope: Construct, vpc: Vpc, alb: Alb, ecr: Ecr, ecs: Ecs, rds: Rds | Aurora) -> None:
        tracked(TerraformOutput(scope, "vpc_id", value=vpc.vpc_id, description="ID of the VPC"))
        tracked(
            TerraformOutput(
                scope, "alb_dns_name", value=alb.dns_name, description="Public DNS name of the load balancer"
            )
        )
        tracked(
            TerraformOutput(
                scope, "ecr_repository_urls", value=ecr.repository_urls, description="Push images here, by repository"
            )
        )
        tracked(TerraformOutput(scope, "ecs_cluster_name", value=ecs.cluster_name, description="ECS cluster"))
        tracked(TerraformOutput(scope, "ecs_service_name", value=ecs.service_name, description="ECS service"))
        tracked(TerraformOutput(scope, "db_address", value=rds.address, description="PostgreSQL host name"))
        tracked(
            TerraformOutput(
                scope,
                "db_master_secret_arn",
                value=rds.master_secret_arn,
                description="Secrets Manager secret holding the master credentials",
            )
        )
