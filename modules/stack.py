"""The reference stack: ALB -> ECS Fargate -> RDS PostgreSQL in a multi-AZ VPC, images in ECR.

An environment config sets per-module inputs; this file is the only place that wires modules
together, so every cross-module reference is visible in one spot.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.cdk import Construct, TerraformOutput, tracked
from generator.environment import Environment
from modules.alb import Alb, AlbInputs
from modules.ecr import Ecr, EcrInputs
from modules.ecs import Ecs, EcsInputs, EcsWiring, SecretRef
from modules.iam import Iam, IamInputs
from modules.rds import Rds, RdsInputs
from modules.vpc import Vpc, VpcInputs


@dataclass(frozen=True, kw_only=True)
class StackInputs:
    """Inputs of the six modules; every field has a default suited to a small dev environment."""

    vpc: VpcInputs = field(default_factory=VpcInputs)
    alb: AlbInputs = field(default_factory=AlbInputs)
    ecs: EcsInputs = field(default_factory=EcsInputs)
    rds: RdsInputs = field(default_factory=RdsInputs)
    ecr: EcrInputs = field(default_factory=EcrInputs)
    iam: IamInputs = field(default_factory=IamInputs)

    def compose(self, scope: Construct, env: Environment) -> None:
        name = env.prefix
        vpc = Vpc(scope, "vpc", self.vpc, name=name, region=env.region)
        ecr = Ecr(scope, "ecr", self.ecr, name=name)
        iam = Iam(scope, "iam", self.iam, name=name)
        alb = Alb(scope, "alb", self.alb, name=name, vpc_id=vpc.vpc_id, vpc_cidr=vpc.cidr,
                  subnet_ids=vpc.public_subnet_ids, target_port=self.ecs.container_port)
        rds = Rds(scope, "rds", self.rds, name=name, vpc_id=vpc.vpc_id, db_subnet_group_name=vpc.db_subnet_group_name)
        ecs = Ecs(scope, "ecs", self.ecs, EcsWiring(
            vpc_id=vpc.vpc_id, subnet_ids=vpc.private_subnet_ids, alb_security_group_id=alb.security_group_id,
            target_group_arn=alb.target_group_arn, image_repository_url=ecr.image_repository_url,
            execution_role_arn=iam.execution_role_arn, task_role_arn=iam.task_role_arn, region=env.region,
            environment={"DB_HOST": rds.address, "DB_PORT": str(rds.port), "DB_NAME": rds.database_name},
            secrets={"DB_USERNAME": SecretRef(rds.master_secret_arn, "username"),
                     "DB_PASSWORD": SecretRef(rds.master_secret_arn, "password")},
            depends_on=[alb.listener]), name=name)
        rds.allow_from("service", ecs.security_group_id, "PostgreSQL from the ECS service")
        iam.allow_image_pull([ecr.repository_arns[repo] for repo in self.ecr.repositories])
        iam.allow_log_writes(ecs.log_group_arn)
        iam.allow_secret_reads(ecs.secret_arns)
        self._outputs(scope, vpc, alb, ecr, ecs, rds)

    @staticmethod
    def _outputs(scope: Construct, vpc: Vpc, alb: Alb, ecr: Ecr, ecs: Ecs, rds: Rds) -> None:
        tracked(TerraformOutput(scope, "vpc_id", value=vpc.vpc_id, description="ID of the VPC"))
        tracked(TerraformOutput(scope, "alb_dns_name", value=alb.dns_name,
                                description="Public DNS name of the load balancer"))
        tracked(TerraformOutput(scope, "ecr_repository_urls", value=ecr.repository_urls,
                                description="Push images here, by repository"))
        tracked(TerraformOutput(scope, "ecs_cluster_name", value=ecs.cluster_name, description="ECS cluster"))
        tracked(TerraformOutput(scope, "ecs_service_name", value=ecs.service_name, description="ECS service"))
        tracked(TerraformOutput(scope, "db_address", value=rds.address, description="PostgreSQL host name"))
        tracked(TerraformOutput(scope, "db_master_secret_arn", value=rds.master_secret_arn,
                                description="Secrets Manager secret holding the master credentials"))
