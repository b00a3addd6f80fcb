"""examples/queue-worker and examples/web-worker-cache on the local AWS: one apply each, then checks on it.

Per example (one project copy, one local AWS, one apply): the apply succeeds, a re-plan is clean, the
services, queues, bucket and cache exist in the local AWS, and neither the state nor the saved plan
files hold a secret value (the database password RDS keeps in Secrets Manager; the cache has none).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest

from generator.localaws import server as local_aws
from generator.render.project import load
from scripts.projectcopy import copy_project
from tests.conftest import ROOT

EXAMPLES = ("queue-worker", "web-worker-cache")
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.terraform,
    pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not installed"),
]


@dataclass
class Applied:
    root: Path
    env: str
    apply: subprocess.CompletedProcess[str]
    replan: subprocess.CompletedProcess[str]

    def aws(self, service: str) -> Any:
        server = local_aws.status(self.root)
        assert server is not None
        return boto3.client(service, **local_aws.client_settings(server, "ap-northeast-2"))  # type: ignore[call-overload]

    def state(self) -> dict[str, Any]:
        backend = load(self.root, [self.env])[0].env.backend
        body = self.aws("s3").get_object(Bucket=backend.bucket, Key=backend.key)["Body"].read()
        return json.loads(body)  # type: ignore[no-any-return]

    def resources(self, kind: str) -> list[dict[str, Any]]:
        return [
            r["instances"][0]["attributes"]
            for r in self.state()["resources"]
            if r["mode"] == "managed" and r["type"] == kind
        ]


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(root / "main.py"), *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "HCLGEN_ROOT": str(root)},
        stdin=subprocess.DEVNULL,
        timeout=1800,
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = copy_project(tmp_path_factory.mktemp("services-e2e") / "project")
    for name in EXAMPLES:
        shutil.copytree(ROOT / "examples" / name, root / "environments" / name)
    assert _run(root, "synth", *EXAMPLES).returncode == 0
    yield root
    local_aws.down(root)


@pytest.fixture(scope="module", params=EXAMPLES)
def applied(request: pytest.FixtureRequest, project: Path) -> Applied:
    env = str(request.param)
    apply = _run(project, "apply", env, "--local", "--auto-approve")
    replan = _run(project, "plan", env, "--local", "--detailed-exitcode") if apply.returncode == 0 else apply
    return Applied(project, env, apply, replan)


def test_applies_and_replans_clean(applied: Applied) -> None:
    assert applied.apply.returncode == 0, applied.apply.stdout[-3000:] + applied.apply.stderr[-3000:]
    assert "Apply complete!" in applied.apply.stdout
    assert applied.replan.returncode == 0, applied.replan.stdout[-3000:] + applied.replan.stderr[-3000:]
    assert "0 to add, 0 to change, 0 to destroy" in applied.replan.stdout


def test_everything_exists_in_the_local_aws(applied: Applied) -> None:
    services = {attrs["name"] for attrs in applied.resources("aws_ecs_service")}
    prefix = ("meow-api-" if applied.env == "queue-worker" else "annyang-") + applied.env
    if applied.env == "queue-worker":
        assert services == {prefix, f"{prefix}-worker"}
        queues = applied.aws("sqs").list_queues(QueueNamePrefix=prefix)["QueueUrls"]
        assert sorted(url.rsplit("/", 1)[1] for url in queues) == [f"{prefix}-images", f"{prefix}-images-dlq"]
        redrives = [json.loads(a["redrive_policy"]) for a in applied.resources("aws_sqs_queue") if a["redrive_policy"]]
        assert [redrive["maxReceiveCount"] for redrive in redrives] == [5]
        assert applied.aws("apigatewayv2").get_apis()["Items"]
    else:
        assert services == {prefix, *(f"{prefix}-{name}" for name in ("api", "worker", "beat", "inference"))}
        group = applied.aws("elasticache").describe_replication_groups(ReplicationGroupId=f"{prefix}-broker")
        assert group["ReplicationGroups"][0]["ReplicationGroupId"] == f"{prefix}-broker"
        rules = applied.aws("events").list_rules(NamePrefix=f"{prefix}-cleanup")["Rules"]
        assert rules[0]["ScheduleExpression"] == "cron(0 18 * * ? *)"


def _secret_values(applied: Applied) -> list[str]:
    """The database password RDS manages (read from the local Secrets Manager), and any cache user password."""
    values = []
    for attrs in applied.resources("aws_db_instance"):
        arn = attrs["master_user_secret"][0]["secret_arn"]
        values.append(
            json.loads(applied.aws("secretsmanager").get_secret_value(SecretId=arn)["SecretString"])["password"]
        )
        assert not attrs.get("password")
    for attrs in applied.resources("aws_elasticache_user"):
        assert not attrs.get("passwords") and attrs["authentication_mode"][0]["type"] in ("iam", "no-password-required")
    return values


def test_no_secret_value_in_state_or_saved_plans(applied: Applied) -> None:
    secrets = _secret_values(applied)
    assert secrets and all(len(value) >= 8 for value in secrets)
    plans = applied.root / ".hclgen" / "plans" / applied.env
    texts = {"state": json.dumps(applied.state())}
    for path in sorted(plans.iterdir()):
        if path.suffix == ".tfplan":
            with zipfile.ZipFile(path) as archive:  # a saved plan is a zip (plan, state snapshots, config)
                for member in archive.namelist():
                    texts[f"{path.name}:{member}"] = archive.read(member).decode("utf-8", "replace")
        else:
            texts[path.name] = path.read_text(encoding="utf-8", errors="replace")
    assert "plan.tfplan:tfstate" in texts and "plan.json" in texts
    for name, text in texts.items():
        for value in secrets:
            assert value not in text, f"a secret value is in {name}"
