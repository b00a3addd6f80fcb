"""prod: the 3-AZ shape. NAT per AZ, two or more tasks, Multi-AZ database, deletion protection.

The production layer is on: HTTPS only (ACM certificate validated in Route 53), WAF with the
managed rule groups and /admin kept out of AdminProtection, ALB access logs and VPC flow logs,
Performance Insights and Enhanced Monitoring, alarms to email and Slack, a dashboard.
"""

from generator.environment import Environment
from modules.alarms import AlarmInputs
from modules.alb import AlbInputs
from modules.dashboard import DashboardInputs
from modules.dns import DnsInputs
from modules.ecr import EcrInputs
from modules.ecs import EcsInputs
from modules.logs import LogsInputs
from modules.notifications import NotificationInputs, SlackChannel
from modules.oidc import OidcInputs
from modules.params import ParamsInputs
from modules.rds import RdsInputs
from modules.scaling import ScalingInputs, ScheduledWindow
from modules.stack import StackInputs
from modules.vpc import VpcInputs
from modules.waf import DEFAULT_GROUPS, WafInputs

ENVIRONMENT = Environment(
    name="prod",
    project="acme-api",
    region="ap-northeast-2",
    state_bucket="acme-api-terraform-state-prod",
    after=("dev",),  # promoted after dev: the apply workflow applies prod once dev applied
    tags={"Owner": "platform-team", "CostCenter": "prod"},
    stack=StackInputs(
        vpc=VpcInputs(cidr="10.1.0.0/18", az_count=3, nat="per_az"),
        alb=AlbInputs(deletion_protection=True, idle_timeout=60),
        ecs=EcsInputs(
            cpu=1024,
            memory=2048,
            desired_count=2,
            min_capacity=2,
            max_capacity=6,
            image_tag="1.0.0",
            log_retention_days=90,
            environment={"APP_ENV": "prod"},
        ),
        rds=RdsInputs(
            instance_class="db.m7g.large",
            multi_az=True,
            deletion_protection=True,
            final_snapshot=True,
            allocated_storage=50,
            max_allocated_storage=500,
            backup_retention_days=14,
            performance_insights=True,
            monitoring_interval=60,
        ),
        ecr=EcrInputs(tag_mutability="IMMUTABLE", keep_last=50),
        dns=DnsInputs(zone_id="Z04ACMEAPIEXAMPLE", domain_name="api.acme-api.example.com"),
        waf=WafInputs(
            managed_rule_groups=(*DEFAULT_GROUPS, "AWSManagedRulesAnonymousIpList"),
            count_rules={"AWSManagedRulesAnonymousIpList": ("HostingProviderIPList",)},
            admin_protection=True,
            excluded_paths={"AWSManagedRulesAdminProtectionRuleSet": ("/admin",)},
            log_retention_days=365,
        ),
        logs=LogsInputs(alb_access_logs=True, access_log_days=365, flow_logs=True, flow_log_retention_days=365),
        alarms=AlarmInputs(
            notifications=NotificationInputs(
                emails=("oncall@acme-api.example.com",),
                slack=SlackChannel(workspace_id="T0123ABCD", channel_id="C0123ABCD"),
            )
        ),
        dashboard=DashboardInputs(),
        # prod has its own AWS account, so it creates its own GitHub OIDC provider; the apply role
        # trusts only jobs in the `prod` GitHub environment (deployment branch: main, reviewers).
        oidc=OidcInputs(repository="acme/acme-api"),
        # Month-end peak (seed 002): from three days before the last day until the 1st, KST.
        scaling=ScalingInputs(
            schedules=(
                ScheduledWindow.month_end(days_before=3, min_capacity=4, max_capacity=12, timezone="Asia/Seoul"),
            ),
            memory_target=75,
        ),
        params=ParamsInputs(values={"LOG_LEVEL": "info"}),
    ),
)
