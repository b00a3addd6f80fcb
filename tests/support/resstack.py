"""A tiny environment composing the issue-23 resource modules (queue, uploads, cache, API, endpoints).

Shared by tests/test_queue.py, test_uploads.py, test_elasticache.py, test_apigw.py and test_endpoints.py:
one render per session, one `terraform validate`, and one apply on the local AWS (moto) for all of them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3

from generator.localaws.server import Server, client_settings

ENV = "res"
REGION = "ap-northeast-2"

CONFIG = '''"""Resource modules of issue 23 in a small network without NAT (tests/support/resstack.py)."""

from dataclasses import dataclass, field

from generator.cdk import Construct, TerraformOutput, tracked
from generator.environment import Environment
from modules.alb import Alb, AlbInputs
from modules.apigw import AlbTarget, ApiFront, ApiInputs
from modules.endpoints import Endpoints, EndpointsInputs
from modules.queue import Queue, QueueInputs
from modules.redis import Cache, CacheInputs
from modules.uploads import Uploads, UploadsInputs
from modules.vpc import Vpc, VpcInputs


@dataclass(frozen=True)
class Resources:
    vpc: VpcInputs = field(default_factory=lambda: VpcInputs(cidr="10.20.0.0/18", az_count=2, nat="none",
                                                             endpoints=EndpointsInputs(zones=1)))
    queue: QueueInputs = field(default_factory=lambda: QueueInputs(visibility_timeout=120, max_receive_count=3,
                                                                   consumers=("worker",), senders=("web",)))
    uploads: UploadsInputs = field(default_factory=lambda: UploadsInputs(
        cors_origins=("https://app.example.com",), notify_suffixes=(".jpg", ".png"), force_destroy=True))
    cache: CacheInputs = field(default_factory=lambda: CacheInputs(replicas=1, multi_az=True))
    api: ApiInputs = field(default_factory=lambda: ApiInputs(stages=("$default", "v1"), throttle_burst=50,
                                                             throttle_rate=20))
    intake: ApiInputs = field(default_factory=lambda: ApiInputs(
        target="sqs", routes=("POST /events",), domain_name="events.example.com",
        certificate_arn="arn:aws:acm:ap-northeast-2:123456789012:certificate/0a1b2c3d-0000-4000-8000-000000000000"))

    def compose(self, scope: Construct, env: Environment) -> None:
        name = env.prefix
        vpc = Vpc(scope, "vpc", self.vpc, name=name, region=env.region)
        assert self.vpc.endpoints is not None
        endpoints = Endpoints(scope, "endpoints", self.vpc.endpoints, name=name, region=env.region,
                              vpc_id=vpc.vpc_id, vpc_cidr=vpc.cidr, subnet_ids=vpc.private_subnet_ids,
                              needs=["secretsmanager"])
        queue = Queue(scope, "queue_images", self.queue, key="images", name=f"{name}-images")
        endpoints.need(["sqs"])
        uploads = Uploads(scope, "uploads", self.uploads, key="uploads", name=f"{name}-uploads", queue=queue)
        alb = Alb(scope, "alb", AlbInputs(), name=name, vpc_id=vpc.vpc_id, vpc_cidr=vpc.cidr,
                  subnet_ids=vpc.public_subnet_ids, target_port=8000)
        cache = Cache(scope, "cache", self.cache, key="broker", name=f"{name}-broker", vpc_id=vpc.vpc_id,
                      subnet_ids=vpc.private_subnet_ids, zones=len(vpc.zones),
                      allowed={"alb": alb.security_group_id})
        api = ApiFront(scope, "api", self.api, key="api", name=name,
                       alb=AlbTarget(alb.listener.arn, alb.security_group_id, 80),
                       vpc_id=vpc.vpc_id, subnet_ids=vpc.private_subnet_ids)
        intake = ApiFront(scope, "intake", self.intake, key="intake", name=f"{name}-intake", queue=queue)
        for key, value in {"queue_url": queue.url, "dlq_arn": queue.dlq_arn, "bucket": uploads.bucket_name,
                           "cache_endpoint": cache.primary_endpoint, "cache_user": cache.user_id,
                           "api_url": api.stage_urls["v1"], "intake_endpoint": intake.api_endpoint,
                           "endpoint_services": endpoints.services}.items():
            tracked(TerraformOutput(scope, key, value=value))


ENVIRONMENT = Environment(name="res", project="acme", region="ap-northeast-2", state_bucket="acme-state",
                          stack=Resources())
'''


def add_env(project: Path) -> None:
    folder = project / "environments" / ENV
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.py").write_text(CONFIG)
    # The same provider pin as dev: CI inits read-only and refuses an env without a lock file.
    lock = project / "environments" / "dev" / ".terraform.lock.hcl"
    (folder / ".terraform.lock.hcl").write_bytes(lock.read_bytes())


def run(root: Path, *args: str, timeout: int = 1200) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(root / "main.py"), *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "HCLGEN_ROOT": str(root)},
        stdin=subprocess.DEVNULL,
        timeout=timeout,
    )


@dataclass(frozen=True)
class Applied:
    """The applied environment: its project copy, the local AWS, and the re-plan's exit code and output."""

    root: Path
    server: Server
    replan_code: int
    replan_output: str

    def client(self, service: str) -> Any:
        return boto3.client(service, **client_settings(self.server, REGION))  # type: ignore[call-overload]


def validate(files: dict[str, str], workdir: Path) -> dict[str, Any]:
    """terraform validate of the rendered files (provider from the plugin mirror)."""
    import json

    from tests.support import tf

    workdir.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (workdir / name).write_text(text)
    rc = tf.cli_config(workdir.parent)
    tf.init(workdir, rc)
    report: dict[str, Any] = json.loads(tf.terraform(workdir, "validate", "-json", "-no-color", rc=rc).stdout)
    return report
