"""The real-AWS path (no --local): the backend is the committed one, with no local overrides.

Observed with real terraform: an init whose only help is the user's own environment (the
AWS SDK's AWS_ENDPOINT_URL_S3/_STS, as a developer might point at a test endpoint; here a loopback
moto server playing S3 and STS) records in its backend cache exactly what backend.tf says, and
no endpoint, key or skip_* setting of hclgen's own. Without any credentials, init and plan end
in one classified line.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from generator.localaws import server as local_aws
from generator.render.project import load
from generator.terraform import operations, workspace
from scripts.projectcopy import copy_project

pytestmark = [
    pytest.mark.terraform,
    pytest.mark.skipif(
        shutil.which("terraform") is None and os.environ.get("CI") != "true", reason="terraform is not installed"
    ),
]


def _run(root: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(root / "main.py"), *args],
        cwd=root,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _no_aws(tmp: Path, root: Path) -> dict[str, str]:
    """The process environment of a machine with no AWS credentials anywhere."""
    empty = tmp / "empty-aws-file"
    empty.write_text("")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        HCLGEN_ROOT=str(root),
        AWS_CONFIG_FILE=str(empty),
        AWS_SHARED_CREDENTIALS_FILE=str(empty),
        AWS_EC2_METADATA_DISABLED="true",
    )
    return env


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = copy_project(tmp_path_factory.mktemp("real-aws") / "project")
    yield root
    local_aws.down(root)


def test_the_workspace_adds_nothing_to_the_committed_backend(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_PROFILE", "someone")  # not in any config file: loading the config must not care
    ws = operations.open_workspace(root, "dev", local=False)
    assert ws.server is None and ws.backend_args() == []
    assert ws.data_dir == root / ".hclgen" / "terraform" / "dev" / "aws"
    env = ws.environ()
    assert env["AWS_PROFILE"] == "someone"  # the user's own setup is what real AWS uses
    assert not {"AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"} & set(env)
    assert not (root / ".hclgen" / "local" / "backend-dev.hcl").exists(), "a real-AWS run wrote a local override"
    backend = load(root, ["dev"])[0].env.backend
    block = (root / "environments" / "dev" / "backend.tf").read_text()
    for line in (
        f'bucket       = "{backend.bucket}"',
        f'key          = "{backend.key}"',
        f'region       = "{backend.region}"',
        "use_lockfile = true",
        "encrypt      = true",
    ):
        assert line in block
    assert "endpoint" not in block and "access_key" not in block and "skip_" not in block


def test_real_init_records_only_the_committed_backend(root: Path, tmp_path: Path) -> None:
    server, _ = local_aws.ensure(root)  # plays S3 and STS on 127.0.0.1, reached only via the SDK's own variables
    backend = load(root, ["dev"])[0].env.backend
    s3 = boto3.client("s3", **local_aws.client_settings(server, backend.region))  # type: ignore[call-overload]
    s3.create_bucket(Bucket=backend.bucket, CreateBucketConfiguration={"LocationConstraint": backend.region})
    env = _no_aws(tmp_path, root)
    env = {k: v for k, v in env.items() if k.lower() not in ("no_proxy", "https_proxy", "all_proxy")}
    # Plain-http AWS host names, reached through the loopback server as an HTTP proxy: the
    # bucket's virtual-host name needs no DNS, and the backend config stays untouched.
    env.update(
        AWS_ACCESS_KEY_ID="AKIDEVELOPER",
        AWS_SECRET_ACCESS_KEY="developer-secret",
        AWS_ENDPOINT_URL_S3=f"http://s3.{backend.region}.amazonaws.com",
        AWS_ENDPOINT_URL_STS=f"http://sts.{backend.region}.amazonaws.com",
        HTTP_PROXY=server.endpoint,
    )
    result = _run(root, env, "init", "dev")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Terraform has been successfully initialized" in result.stdout + result.stderr
    cache = json.loads((root / ".hclgen" / "terraform" / "dev" / "aws" / "terraform.tfstate").read_text())
    config = cache["backend"]["config"]
    assert cache["backend"]["type"] == "s3"
    assert (config["bucket"], config["key"], config["region"]) == (backend.bucket, backend.key, backend.region)
    assert config["use_lockfile"] is True and config["encrypt"] is True
    hclgen_overrides = (
        "endpoints",
        "access_key",
        "secret_key",
        "skip_credentials_validation",
        "skip_requesting_account_id",
        "skip_metadata_api_check",
        "use_path_style",
    )
    assert {name: config.get(name) for name in hclgen_overrides if config.get(name)} == {}
    assert not (root / ".hclgen" / "local" / "backend-dev.hcl").exists(), "a local backend override was written"
    stamp = (root / ".hclgen" / "terraform" / "dev" / "aws" / "hclgen-init.stamp").read_text()
    assert stamp == workspace._fingerprint(operations.open_workspace(root, "dev", local=False), [])


def test_missing_credentials_is_one_classified_line(root: Path, tmp_path: Path) -> None:
    env = _no_aws(tmp_path, root)
    for args in (("init", "dev"), ("plan", "prod")):
        result = _run(root, env, *args)
        assert result.returncode == 1, result.stderr[-3000:]
        assert "Traceback" not in result.stderr
        last = result.stderr.strip().splitlines()[-1]
        assert last.startswith(f"error: no AWS credentials for {args[1]}: terraform found none"), result.stderr
        assert f"plan {args[1]} --local" in last
    assert "No valid credential sources found" in result.stderr  # plan shows terraform's own words (the tail)
    assert len(result.stderr.splitlines()) < 30
