"""examples/aurora-blue-green on the local AWS: apply, clean re-plan, a blue/green deploy, clean re-plan.

About 4-5 minutes; it runs on every `make test` (the suite runs its files in parallel, see the
Makefile), beside tests/test_examples.py, which renders, validates and plan-compares the example.
moto accepts CodeDeploy's CreateDeployment but does not shift traffic: the deployment itself is only validated, not run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from generator.localaws import server as local_aws
from scripts.projectcopy import copy_project
from tests.conftest import ROOT

ENV = "aurora-blue-green"
pytestmark = [pytest.mark.e2e, pytest.mark.terraform]


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    project = copy_project(tmp_path_factory.mktemp("aurora") / "project")
    shutil.copytree(ROOT / "examples" / ENV, project / "environments" / ENV)
    yield project
    local_aws.down(project)


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(root / "main.py"), *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "HCLGEN_ROOT": str(root)},
        stdin=subprocess.DEVNULL,
        timeout=900,
    )


def test_aurora_proxy_blue_green_apply_replan_deploy(root: Path) -> None:
    assert run(root, "synth", ENV).returncode == 0
    applied = run(root, "apply", ENV, "--local", "--auto-approve")
    assert applied.returncode == 0, applied.stdout[-3000:] + applied.stderr[-3000:]
    assert run(root, "plan", ENV, "--local", "--detailed-exitcode").returncode == 0
    server = local_aws.status(root)
    assert server is not None
    rds = boto3.client("rds", **local_aws.client_settings(server, "ap-northeast-2"))  # type: ignore[call-overload]
    members = rds.describe_db_clusters(DBClusterIdentifier=f"meow-api-{ENV}")["DBClusters"][0]["DBClusterMembers"]
    assert len(members) == 3
    targets = rds.describe_db_proxy_targets(DBProxyName=f"meow-api-{ENV}")["Targets"]
    assert any(t.get("RdsResourceId") == f"meow-api-{ENV}" or t.get("Type") == "TRACKED_CLUSTER" for t in targets)
    deployed = run(root, "deploy", ENV, "--image-tag", "2024.2.0", "--local", "--auto-approve")
    assert deployed.returncode == 0, deployed.stdout[-3000:] + deployed.stderr[-3000:]
    assert "CodeDeploy blue/green deployment" in deployed.stdout
    assert f"{ENV}: deployed image tag 2024.2.0 (was 2024.1.0)" in deployed.stdout
    assert run(root, "plan", ENV, "--local", "--detailed-exitcode").returncode == 0
