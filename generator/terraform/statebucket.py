"""Create (idempotently) and verify the S3 bucket that holds an environment's Terraform state.

A new bucket gets every setting below. An existing bucket is only checked: a bucket in
another region or missing a setting is an error naming what is wrong (a silent pass would
leave state unprotected), and `--repair` applies the missing settings.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.environment import Backend
from generator.errors import ConfigError, HclgenError

NONCURRENT_DAYS = 90
LIFECYCLE_RULE_ID = "hclgen-expire-noncurrent-state"
TLS_SID = "DenyInsecureTransport"
PUBLIC_ACCESS_BLOCK = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}


@dataclass(frozen=True)
class Setting:
    """One protection of the state bucket: how to check it and how to apply it."""

    label: str
    check: Callable[[Any, str], bool]
    apply: Callable[[Any, str, str], None]


def bootstrap(root: Path, env: str, *, local: bool, repair: bool) -> list[str]:
    """`bootstrap ENV`: create or verify (with `repair`, fix) ENV's state bucket, on real AWS or
    the local one; what was done, one line each. botocore's errors become one line."""
    from generator.localaws import server as local_aws
    from generator.render.project import load

    backend = load(root, [env])[0].env.backend
    settings = None
    if local:
        server, _ = local_aws.ensure(root)
        settings = local_aws.client_settings(server, backend.region)
    client = s3_client(backend.region, settings)
    try:
        return ensure_state_bucket(client, backend, repair=repair)
    except Exception as err:  # botocore's errors: credentials, network, API
        if type(err).__module__.startswith(("botocore", "boto3")):
            raise HclgenError(f"bootstrap of {env} failed: {err}") from None
        raise


def ensure_state_bucket(s3: Any, backend: Backend, *, repair: bool = False) -> list[str]:
    """Create or verify the backend's bucket with client s3; returns report lines."""
    bucket = backend.bucket
    if not _exists(s3, bucket):
        _create(s3, bucket, backend.region)
        for setting in SETTINGS:
            setting.apply(s3, bucket, backend.region)
        labels = ", ".join(s.label for s in SETTINGS)
        return [f"created state bucket {bucket} in {backend.region}: {labels}"]
    _check_region(s3, bucket, backend.region)
    missing = [s for s in SETTINGS if not s.check(s3, bucket)]
    if not missing:
        return [f"found state bucket {bucket} in {backend.region}, correctly configured; nothing to change"]
    if not repair:
        wrong = "; ".join(s.label for s in missing)
        raise ConfigError(
            f"state bucket {bucket} exists but lacks: {wrong}. Fix it by hand or re-run "
            "bootstrap with --repair to apply them"
        )
    for setting in missing:
        setting.apply(s3, bucket, backend.region)
    return [f"repaired state bucket {bucket}: {s.label}" for s in missing]


def _error_code(err: Exception) -> str:
    response = getattr(err, "response", None) or {}
    return str(response.get("Error", {}).get("Code", ""))


def _exists(s3: Any, bucket: str) -> bool:
    from botocore.exceptions import ClientError

    try:
        s3.head_bucket(Bucket=bucket)
    except ClientError as err:
        code = _error_code(err)
        if code in ("404", "NoSuchBucket", "NotFound"):
            return False
        if code in ("403", "AccessDenied", "Forbidden"):
            raise HclgenError(
                f"state bucket {bucket} exists but these credentials cannot use it "
                "(another account owns it, or access is denied); pick another "
                "state_bucket in the environment config"
            ) from None
        if code == "301":
            return True  # it exists, in another region: _check_region says which
        raise
    return True


def _create(s3: Any, bucket: str, region: str) -> None:
    from botocore.exceptions import ClientError

    kwargs: dict[str, Any] = {"Bucket": bucket}
    if region != "us-east-1":
        kwargs["CreateBucketConfiguration"] = {"LocationConstraint": region}
    try:
        s3.create_bucket(**kwargs)
    except ClientError as err:
        if _error_code(err) == "BucketAlreadyExists":
            raise HclgenError(
                f"state bucket name {bucket} is taken by another AWS account; "
                "pick another state_bucket in the environment config"
            ) from None
        raise


def _check_region(s3: Any, bucket: str, region: str) -> None:
    location = s3.get_bucket_location(Bucket=bucket).get("LocationConstraint") or "us-east-1"
    actual = "eu-west-1" if location == "EU" else location
    if actual != region:
        raise ConfigError(
            f"state bucket {bucket} is in {actual}, but the backend says {region}; "
            "use a bucket in the environment's region"
        )


def _versioning_on(s3: Any, bucket: str) -> bool:
    return bool(s3.get_bucket_versioning(Bucket=bucket).get("Status") == "Enabled")


def _enable_versioning(s3: Any, bucket: str, _region: str) -> None:
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})


def _encrypted(s3: Any, bucket: str) -> bool:
    from botocore.exceptions import ClientError

    try:
        rules = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    except ClientError:
        return False
    return any(
        r.get("ApplyServerSideEncryptionByDefault", {}).get("SSEAlgorithm") in ("AES256", "aws:kms", "aws:kms:dsse")
        for r in rules
    )


def _encrypt(s3: Any, bucket: str, _region: str) -> None:
    rule = {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}, "BucketKeyEnabled": True}
    s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": [rule]})


def _public_blocked(s3: Any, bucket: str) -> bool:
    from botocore.exceptions import ClientError

    try:
        config = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    except ClientError:
        return False
    return all(config.get(key) is True for key in PUBLIC_ACCESS_BLOCK)


def _block_public(s3: Any, bucket: str, _region: str) -> None:
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration=dict(PUBLIC_ACCESS_BLOCK))


def partition(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def tls_only_policy(bucket: str, region: str) -> dict[str, Any]:
    arn = f"arn:{partition(region)}:s3:::{bucket}"
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": TLS_SID,
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [arn, f"{arn}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        ],
    }


def _tls_only(s3: Any, bucket: str) -> bool:
    from botocore.exceptions import ClientError

    try:
        policy = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
    except (ClientError, ValueError, KeyError):
        return False
    statements = policy.get("Statement") or []
    return any(_denies_plain_http(s) for s in (statements if isinstance(statements, list) else [statements]))


def _denies_plain_http(statement: dict[str, Any]) -> bool:
    condition = statement.get("Condition", {}).get("Bool", {})
    return (
        statement.get("Effect") == "Deny"
        and statement.get("Principal") in ("*", {"AWS": "*"})
        and str(condition.get("aws:SecureTransport", "")).lower() == "false"
    )


def _apply_tls_only(s3: Any, bucket: str, region: str) -> None:
    from botocore.exceptions import ClientError

    try:
        policy = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
    except ClientError:
        policy = {"Version": "2012-10-17", "Statement": []}
    statements = [s for s in policy.get("Statement") or [] if s.get("Sid") != TLS_SID]
    policy["Statement"] = [*statements, *tls_only_policy(bucket, region)["Statement"]]
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))


def _lifecycle_rules(s3: Any, bucket: str) -> list[dict[str, Any]]:
    from botocore.exceptions import ClientError

    try:
        return list(s3.get_bucket_lifecycle_configuration(Bucket=bucket).get("Rules") or [])
    except ClientError:
        return []


def _expires_noncurrent(s3: Any, bucket: str) -> bool:
    return any(
        r.get("Status") == "Enabled" and "NoncurrentVersionExpiration" in r for r in _lifecycle_rules(s3, bucket)
    )


def _add_lifecycle(s3: Any, bucket: str, _region: str) -> None:
    rules = [r for r in _lifecycle_rules(s3, bucket) if r.get("ID") != LIFECYCLE_RULE_ID]
    rules.append(
        {
            "ID": LIFECYCLE_RULE_ID,
            "Status": "Enabled",
            "Filter": {"Prefix": ""},
            "NoncurrentVersionExpiration": {"NoncurrentDays": NONCURRENT_DAYS},
            "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7},
        }
    )
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": rules})


SETTINGS: tuple[Setting, ...] = (
    Setting("versioning on", _versioning_on, _enable_versioning),
    Setting("default encryption", _encrypted, _encrypt),
    Setting("all public access blocked", _public_blocked, _block_public),
    Setting("TLS-only bucket policy", _tls_only, _apply_tls_only),
    Setting(f"noncurrent versions expire after {NONCURRENT_DAYS} days", _expires_noncurrent, _add_lifecycle),
)


def s3_client(region: str, endpoint: dict[str, str] | None = None) -> Any:
    """An S3 client: the boto3 default credential chain, or the local server's settings."""
    import boto3

    if endpoint:
        return boto3.client("s3", **endpoint)
    return boto3.client("s3", region_name=region)
