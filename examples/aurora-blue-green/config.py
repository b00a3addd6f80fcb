"""Seed 004's shape: Aurora PostgreSQL (writer + 2 readers) behind RDS Proxy, CodeDeploy blue/green,
settings in Parameter Store, month-end scheduled scaling, CI roles trusted by branch."""

from generator.environment import Environment
from modules.aurora import AuroraInputs
from modules.aurora_alarms import AuroraAlarmInputs
from modules.codedeploy import BlueGreenInputs
from modules.ecr import EcrInputs
from modules.ecs import EcsInputs
from modules.oidc import OidcInputs
from modules.params import ParamsInputs
from modules.rds_proxy import RdsProxyInputs
from modules.scaling import ScalingInputs, ScheduledWindow
from modules.stack import StackInputs
from modules.vpc import VpcInputs

ENVIRONMENT = Environment(
    name="aurora-blue-green",
    project="meow-api",
    region="ap-northeast-2",
    state_bucket="meow-api-terraform-state",
    stack=StackInputs(
        vpc=VpcInputs(cidr="10.20.0.0/18", az_count=3, nat="per_az"),
        ecs=EcsInputs(cpu=512, memory=1024, desired_count=2, min_capacity=2, max_capacity=8, image_tag="2024.1.0"),
        ecr=EcrInputs(tag_mutability="IMMUTABLE"),
        aurora=AuroraInputs(
            engine_version="16.6",
            instance_class="db.r7g.large",
            readers=2,
            deletion_protection=True,
            final_snapshot=True,
            backup_retention_days=14,
        ),
        # Thresholds of seed 004; the topic is the team's alarm topic (part 1 creates one per env).
        aurora_alarms=AuroraAlarmInputs(
            topic_arn="arn:aws:sns:ap-northeast-2:123456789012:meow-api-alarms",
            cpu_percent=80,
            connections_percent=90,
            free_local_storage_percent=10,
        ),
        rds_proxy=RdsProxyInputs(max_connections_percent=90, max_idle_connections_percent=40),
        blue_green=BlueGreenInputs(
            test_listener_port=8080, deployment_config="CodeDeployDefault.ECSAllAtOnce", termination_wait_minutes=15
        ),
        params=ParamsInputs(
            values={"LOG_LEVEL": "info", "UPLOAD_BUCKET": "meow-api-uploads", "QUEUE_NAME": "meow-api-images"}
        ),
        scaling=ScalingInputs(
            schedules=(
                ScheduledWindow.month_end(days_before=3, min_capacity=4, max_capacity=16, timezone="Asia/Seoul"),
            ),
            memory_target=80,
            requests_per_target=1000,
        ),
        oidc=OidcInputs(repository="meow-team/meow-infra", apply_trust="branch", branch="main"),
    ),
)
