"""State bucket bootstrap: created once, verified after, misconfiguration is an error."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from generator.environment import Backend
from generator.errors import ConfigError
from generator.terraform import statebucket

BACKEND = Backend("acme-state-test", "acme/dev/terraform.tfstate", "eu-west-1")


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    with mock_aws():
        yield boto3.client("s3", region_name=BACKEND.region)


def test_creates_a_protected_bucket_then_changes_nothing(s3: Any) -> None:
    created = statebucket.ensure_state_bucket(s3, BACKEND)
    assert created[0].startswith("created state bucket acme-state-test in eu-west-1")
    assert s3.get_bucket_versioning(Bucket=BACKEND.bucket)["Status"] == "Enabled"
    rules = s3.get_bucket_encryption(Bucket=BACKEND.bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rules[0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    block = s3.get_public_access_block(Bucket=BACKEND.bucket)["PublicAccessBlockConfiguration"]
    assert all(block.values())
    statement = json.loads(s3.get_bucket_policy(Bucket=BACKEND.bucket)["Policy"])["Statement"][0]
    assert statement["Effect"] == "Deny" and statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    lifecycle = s3.get_bucket_lifecycle_configuration(Bucket=BACKEND.bucket)["Rules"][0]
    assert lifecycle["NoncurrentVersionExpiration"]["NoncurrentDays"] == statebucket.NONCURRENT_DAYS

    before = _snapshot(s3)
    assert statebucket.ensure_state_bucket(s3, BACKEND) == [
        "found state bucket acme-state-test in eu-west-1, correctly configured; nothing to change"
    ]
    assert _snapshot(s3) == before


def _snapshot(s3: Any) -> tuple[Any, ...]:
    b = BACKEND.bucket
    return (
        s3.get_bucket_versioning(Bucket=b)["Status"],
        s3.get_bucket_policy(Bucket=b)["Policy"],
        s3.get_bucket_lifecycle_configuration(Bucket=b)["Rules"],
        s3.get_public_access_block(Bucket=b)["PublicAccessBlockConfiguration"],
    )


BREAKAGES: dict[str, Callable[[Any, str], Any]] = {
    "versioning on": lambda s3, b: s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Suspended"}),
    "default encryption": lambda s3, b: s3.delete_bucket_encryption(Bucket=b),
    "all public access blocked": lambda s3, b: s3.put_public_access_block(
        Bucket=b, PublicAccessBlockConfiguration={**statebucket.PUBLIC_ACCESS_BLOCK, "BlockPublicPolicy": False}
    ),
    "TLS-only bucket policy": lambda s3, b: s3.delete_bucket_policy(Bucket=b),
    "noncurrent versions expire": lambda s3, b: s3.delete_bucket_lifecycle(Bucket=b),
}


@pytest.mark.parametrize("label", sorted(BREAKAGES))
def test_misconfigured_bucket_is_an_error_until_repaired(s3: Any, label: str) -> None:
    statebucket.ensure_state_bucket(s3, BACKEND)
    BREAKAGES[label](s3, BACKEND.bucket)
    with pytest.raises(ConfigError, match=f"exists but lacks: {label}.*--repair"):
        statebucket.ensure_state_bucket(s3, BACKEND)
    repaired = statebucket.ensure_state_bucket(s3, BACKEND, repair=True)
    assert len(repaired) == 1 and label in repaired[0]
    assert "nothing to change" in statebucket.ensure_state_bucket(s3, BACKEND)[0]


def test_bucket_in_another_region_is_an_error(s3: Any) -> None:
    other = boto3.client("s3", region_name="us-west-2")
    other.create_bucket(Bucket=BACKEND.bucket, CreateBucketConfiguration={"LocationConstraint": "us-west-2"})
    with pytest.raises(ConfigError, match="is in us-west-2, but the backend says eu-west-1"):
        statebucket.ensure_state_bucket(s3, BACKEND)


def test_us_east_1_bucket(s3: Any) -> None:
    backend = Backend("acme-state-use1", "k", "us-east-1")
    client = boto3.client("s3", region_name="us-east-1")
    assert statebucket.ensure_state_bucket(client, backend)[0].startswith("created")
    assert "nothing to change" in statebucket.ensure_state_bucket(client, backend)[0]


def test_existing_policy_statements_are_kept_on_repair(s3: Any) -> None:
    s3.create_bucket(Bucket=BACKEND.bucket, CreateBucketConfiguration={"LocationConstraint": BACKEND.region})
    keep = {
        "Sid": "AuditRead",
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{BACKEND.bucket}/*",
    }
    s3.put_bucket_policy(Bucket=BACKEND.bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [keep]}))
    with pytest.raises(ConfigError):
        statebucket.ensure_state_bucket(s3, BACKEND)
    statebucket.ensure_state_bucket(s3, BACKEND, repair=True)
    sids = [s["Sid"] for s in json.loads(s3.get_bucket_policy(Bucket=BACKEND.bucket)["Policy"])["Statement"]]
    assert sids == ["AuditRead", statebucket.TLS_SID]


def test_partition_of_policy_arns() -> None:
    assert statebucket.tls_only_policy("b", "cn-north-1")["Statement"][0]["Resource"][0] == "arn:aws-cn:s3:::b"
    assert statebucket.tls_only_policy("b", "us-gov-west-1")["Statement"][0]["Resource"][0] == "arn:aws-us-gov:s3:::b"
