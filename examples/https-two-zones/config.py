"""HTTPS with an ACM certificate, two zones without NAT, extra app permissions and secrets."""

from generator.environment import Environment
from modules.alb import AlbInputs
from modules.ecr import EcrInputs
from modules.ecs import EcsInputs, SecretRef
from modules.endpoints import EndpointsInputs
from modules.iam import IamInputs
from modules.stack import StackInputs
from modules.vpc import VpcInputs

ENVIRONMENT = Environment(
    name="https-two-zones",
    project="acme-web",
    region="us-east-1",
    state_bucket="acme-web-terraform-state",
    stack=StackInputs(
        vpc=VpcInputs(cidr="172.16.0.0/20", az_count=2, nat="none", s3_endpoint=True, endpoints=EndpointsInputs()),
        alb=AlbInputs(
            certificate_arn="arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-4000-8000-000000000000",
            ingress_cidrs=("203.0.113.0/24", "198.51.100.0/24"),
            health_check_path="/healthz",
        ),
        ecs=EcsInputs(
            cpu=512,
            memory=1024,
            container_port=8080,
            desired_count=2,
            max_capacity=4,
            secrets={"STRIPE_KEY": SecretRef("arn:aws:secretsmanager:us-east-1:123456789012:secret:stripe-AbCdEf")},
        ),
        ecr=EcrInputs(repositories=("web", "worker"), tag_mutability="IMMUTABLE"),
        iam=IamInputs(
            task_statements=(
                {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::acme-web-assets/*"},
            )
        ),
    ),
)
