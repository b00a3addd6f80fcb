"""Seeds 000 + 001: a Django web app beside Celery workers and Celery Beat on Redis (ElastiCache,
no single point of failure), and an internal-only AI inference server the API calls.

The `ecs` service is the Django app (the ALB's default); `services=` adds the rest.
"""

from generator.environment import Environment
from modules.alarms import AlarmInputs
from modules.ecr import EcrInputs
from modules.ecs import EcsInputs
from modules.notifications import NotificationInputs
from modules.redis import CacheInputs
from modules.services import ServiceInputs
from modules.stack import StackInputs
from modules.vpc import VpcInputs

ENVIRONMENT = Environment(
    name="web-worker-cache",
    project="annyang",
    region="ap-northeast-2",
    state_bucket="annyang-terraform-state",
    stack=StackInputs(
        vpc=VpcInputs(cidr="10.30.0.0/18", az_count=2, nat="single"),
        ecs=EcsInputs(
            cpu=512,
            memory=1024,
            desired_count=2,
            max_capacity=4,
            image_tag="1.4.0",
            environment={"DJANGO_SETTINGS_MODULE": "config.settings.prod"},
        ),
        ecr=EcrInputs(repositories=("app",)),
        # Celery's broker and result backend: a primary and a standby in another zone, IAM auth (no password).
        caches={
            "broker": CacheInputs(
                engine="valkey",
                engine_version="8.0",
                node_type="cache.t4g.small",
                replicas=1,
                multi_az=True,
                users=("app",),
            )
        },
        alarms=AlarmInputs(notifications=NotificationInputs(emails=("ops@annyang.example.com",))),
        services=(
            # The API server of seed 001 (public): its own image and target group, under /api/.
            ServiceInputs(
                name="api",
                role="web",
                image_tag="2.1.0",
                cpu=512,
                memory=1024,
                paths=("/api/*",),
                health_check_path="/api/health",
                desired_count=2,
                max_capacity=6,
            ),
            # Celery workers: same image as the web app, a different command; no port, no load balancer.
            ServiceInputs(
                name="worker",
                role="worker",
                repository="app",
                image_tag="1.4.0",
                cpu=512,
                memory=1024,
                command=("celery", "-A", "config", "worker", "--loglevel", "info"),
                caches=("broker",),
                desired_count=1,
                max_capacity=4,
                timeout_seconds=300,
                container_health_check=("CMD-SHELL", "celery -A config inspect ping -d celery@$HOSTNAME"),
            ),
            # Celery Beat: exactly one scheduler, never two (a second would send every periodic task twice).
            ServiceInputs(
                name="beat",
                role="worker",
                repository="app",
                image_tag="1.4.0",
                singleton=True,
                command=("celery", "-A", "config", "beat", "--loglevel", "info"),
                caches=("broker",),
                database=False,
            ),
            # The AI inference server (seed 001): internal only, no database, reachable from the web app
            # and the workers; CPU-only PyTorch needs memory more than CPU.
            ServiceInputs(
                name="inference",
                role="internal",
                image_tag="0.9.2",
                cpu=1024,
                memory=4096,
                port=8080,
                reachable_from=("app", "worker"),
                database=False,
                desired_count=1,
                max_capacity=3,
                container_health_check=("CMD-SHELL", "curl -fs http://localhost:8080/health || exit 1"),
            ),
            # A nightly clean-up run as an EventBridge-scheduled task.
            ServiceInputs(
                name="cleanup",
                role="worker",
                repository="app",
                image_tag="1.4.0",
                command=("python", "manage.py", "clearsessions"),
                schedule="cron(0 18 * * ? *)",
            ),
        ),
    ),
)
