"""dev: small and cheap. One NAT gateway, one task, a micro database without Multi-AZ.

Of the production layer dev keeps the cheap parts: alarms to an email topic and the dashboard.
No WAF, no HTTPS, no access or flow logs, no Performance Insights.
"""

from generator.environment import Environment
from modules.alarms import AlarmInputs
from modules.dashboard import DashboardInputs
from modules.ecs import EcsInputs
from modules.notifications import NotificationInputs
from modules.rds import RdsInputs
from modules.stack import StackInputs
from modules.vpc import VpcInputs

ENVIRONMENT = Environment(
    name="dev",
    project="acme-api",
    region="ap-northeast-2",
    state_bucket="acme-api-terraform-state-dev",
    tags={"Owner": "platform-team", "CostCenter": "dev"},
    stack=StackInputs(
        vpc=VpcInputs(cidr="10.0.0.0/18", az_count=3, nat="single"),
        ecs=EcsInputs(cpu=256, memory=512, desired_count=1, image_tag="latest", log_retention_days=14,
                      environment={"APP_ENV": "dev"}),
        rds=RdsInputs(instance_class="db.t4g.micro", multi_az=False, deletion_protection=False,
                      backup_retention_days=1),
        alarms=AlarmInputs(notifications=NotificationInputs(emails=("platform-dev@acme-api.example.com",))),
        dashboard=DashboardInputs(),
    ),
)
