"""Seed 004: API Gateway in front, browsers upload images straight to S3 with presigned PUT URLs,
each upload is a message on SQS (with a dead-letter queue), a worker service processes it into
PostgreSQL; month-end peaks scale the workers on queue depth. Alarms follow seed 004's table.

The `ecs` service is the API server (behind the ALB, reached through the API's VPC link): it signs
upload URLs. The worker has no port and no load balancer.
"""

from generator.environment import Environment
from modules.alarms import AlarmInputs
from modules.apigw import ApiInputs
from modules.ecs import EcsInputs
from modules.notifications import NotificationInputs
from modules.queue import QueueInputs
from modules.rds import RdsInputs
from modules.services import ServiceInputs
from modules.stack import StackInputs
from modules.uploads import UploadsInputs
from modules.vpc import VpcInputs

ENVIRONMENT = Environment(
    name="queue-worker",
    project="meow-api",
    region="ap-northeast-2",
    state_bucket="meow-api-terraform-state",
    stack=StackInputs(
        vpc=VpcInputs(cidr="10.40.0.0/18", az_count=2, nat="single"),
        ecs=EcsInputs(
            cpu=512, memory=1024, desired_count=2, max_capacity=6, image_tag="3.2.0", environment={"APP_ENV": "prod"}
        ),
        rds=RdsInputs(
            instance_class="db.t4g.medium",
            multi_az=True,
            allocated_storage=50,
            max_allocated_storage=200,
            deletion_protection=False,
            slow_query_ms=3000,
        ),
        queues={"images": QueueInputs(visibility_timeout=360, max_receive_count=5, senders=("app",))},
        uploads={
            "images": UploadsInputs(
                cors_origins=("https://app.meow-api.example.com",),
                upload_prefix="uploads/",
                notify_suffixes=(".jpg", ".jpeg", ".png"),
                uploaders=("app",),
                force_destroy=True,
            )
        },
        bucket_queues={"images": "images"},
        api=ApiInputs(stages=("$default",), throttle_burst=200, throttle_rate=100),
        services=(
            # Seed 004's consumer: reads the uploaded image, writes the result to the database; a job takes
            # at most 5 minutes (the queue hides a message for 6). Scales on the backlog per task.
            ServiceInputs(
                name="worker",
                role="worker",
                image_tag="3.2.0",
                cpu=1024,
                memory=2048,
                command=("python", "-m", "app.worker"),
                consumes=("images",),
                buckets=("images",),
                timeout_seconds=300,
                desired_count=1,
                min_capacity=1,
                max_capacity=10,
                scale_on="queue_depth",
                scale_target=20,
                container_health_check=("CMD-SHELL", "test -f /tmp/worker-alive || exit 1"),
            ),
        ),
        alarms=AlarmInputs(
            notifications=NotificationInputs(emails=("oncall@meow-api.example.com",)), slow_queries=True
        ),
    ),
)
