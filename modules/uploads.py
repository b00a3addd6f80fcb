"""Private S3 bucket that browsers upload to with presigned PUT URLs (seed 004).

The server never relays the file: a service signs a PUT for one key under `upload_prefix`, the
browser sends the bytes straight to S3 (hence CORS), and an optional event notification puts a
message on a queue for the consumer. The bucket is private (public access block, owner-enforced
objects, TLS-only policy), encrypted and versioned; lifecycle rules clean up what uploads leave.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from generator import validate
from generator.cdk import (
    Construct,
    S3Bucket,
    S3BucketCorsConfiguration,
    S3BucketLifecycleConfiguration,
    S3BucketNotification,
    S3BucketOwnershipControls,
    S3BucketPolicy,
    S3BucketPublicAccessBlock,
    S3BucketServerSideEncryptionConfigurationA,
    S3BucketVersioningA,
    tracked,
)
from generator.errors import InputError
from generator.jsonenc import terraform_json

if TYPE_CHECKING:
    from modules.queue import Queue

MODULE = "uploads"
Statement = dict[str, Any]
_ORIGIN = r"https://[a-z0-9.-]+(:\d+)?|http://localhost(:\d+)?"
_PREFIX = r"[A-Za-z0-9!_.*'()/-]+/"


@dataclass(frozen=True, kw_only=True)
class UploadsInputs:
    """The uploads bucket.

    cors_origins: browser origins allowed to PUT (https://..., or http://localhost:PORT for development).
    upload_prefix: key prefix presigned PUTs may write (e.g. "uploads/"); presign_statements() allow only it.
    cors_max_age: seconds a browser caches the CORS preflight answer.
    temporary_prefix / temporary_days: objects under this prefix expire after this many days (None: no rule).
    abort_multipart_days: incomplete multipart uploads are aborted after this many days.
    noncurrent_days: overwritten or deleted object versions are kept this many days.
    notify_suffixes: with a queue, only keys under upload_prefix ending in one of these notify (() = all).
    kms_key_arn: customer-managed KMS key (SSE-KMS with a bucket key); None: SSE-S3.
    force_destroy: let `destroy` delete a bucket that still holds objects (dev only).
    readers / uploaders: names of the services that read objects / sign upload URLs (the stack attaches
      read_statements() / presign_statements() to exactly these services' task roles).
    """

    cors_origins: tuple[str, ...] = ()
    upload_prefix: str = "uploads/"
    cors_max_age: int = 3000
    temporary_prefix: str | None = "tmp/"
    temporary_days: int = 1
    abort_multipart_days: int = 1
    noncurrent_days: int = 30
    notify_suffixes: tuple[str, ...] = ()
    kms_key_arn: str | None = None
    force_destroy: bool = False
    readers: tuple[str, ...] = ()
    uploaders: tuple[str, ...] = ()
    tags: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        validate.types(self, MODULE)
        for origin in self.cors_origins:
            if origin == "*":
                raise InputError(
                    "cors_origins",
                    "'*' lets any site upload with a leaked URL: name the app's "
                    "origins, e.g. ('https://app.example.com',)",
                    module=MODULE,
                )
            validate.matches(MODULE, "cors_origins", origin, _ORIGIN, "an https:// origin (or http://localhost)")
        validate.matches(MODULE, "upload_prefix", self.upload_prefix, _PREFIX, "a key prefix ending in '/'")
        if self.temporary_prefix is not None:
            validate.matches(MODULE, "temporary_prefix", self.temporary_prefix, _PREFIX, "a key prefix ending in '/'")
            if self.upload_prefix.startswith(self.temporary_prefix):
                raise InputError(
                    "temporary_prefix",
                    f"{self.temporary_prefix!r} would expire every upload under "
                    f"{self.upload_prefix!r}: use a separate prefix such as 'tmp/'",
                    module=MODULE,
                )
        validate.in_range(MODULE, "cors_max_age", self.cors_max_age, 0, 86_400)
        validate.in_range(MODULE, "temporary_days", self.temporary_days, 1, 3650)
        validate.in_range(MODULE, "abort_multipart_days", self.abort_multipart_days, 1, 365)
        validate.in_range(MODULE, "noncurrent_days", self.noncurrent_days, 1, 3650)
        for role, names in (("readers", self.readers), ("uploaders", self.uploaders)):
            for service in names:
                validate.matches(MODULE, role, service, r"[a-z][a-z0-9-]{0,30}", "a service name")


class Uploads(Construct):
    """Bucket `name`, Terraform name `key`; `queue` (optional) gets an event per created object.

    Outputs: bucket_name, bucket_arn, upload_prefix.
    Methods: presign_statements() (PutObject under upload_prefix), read_statements() (GetObject),
    for a service's task role.
    """

    def __init__(
        self, scope: Construct, id_: str, inputs: UploadsInputs, *, key: str, name: str, queue: Queue | None = None
    ) -> None:
        super().__init__(scope, id_)
        validate.identifier(MODULE, "key", key)
        self.inputs = inputs
        self._sid = "".join(part.title() for part in key.split("_"))
        self.bucket = tracked(
            S3Bucket(
                self, "bucket", bucket=name, force_destroy=inputs.force_destroy, tags={"Name": name, **inputs.tags}
            ),
            key,
        )
        self.bucket_name: str = self.bucket.bucket
        self.bucket_arn: str = self.bucket.arn
        self.upload_prefix = inputs.upload_prefix
        self._private(key)
        self._settings(key, inputs)
        if inputs.cors_origins:
            cors = tracked(S3BucketCorsConfiguration(self, "cors", bucket=self.bucket.id, cors_rule=[]), key)
            cors.add_override(
                "cors_rule",
                [
                    {  # nested blocks as Terraform keys
                        "id": "presigned-put",
                        "allowed_methods": ["PUT"],
                        "allowed_origins": list(inputs.cors_origins),
                        "allowed_headers": ["content-type", "content-md5", "x-amz-checksum-*"],
                        "expose_headers": ["ETag"],
                        "max_age_seconds": inputs.cors_max_age,
                    }
                ],
            )
        if queue is not None:
            policy = queue.allow_s3_events(self.bucket.arn)
            rules = [
                {
                    "id": f"created-{i}",
                    "queue_arn": queue.arn,
                    "events": ["s3:ObjectCreated:*"],
                    "filter_prefix": inputs.upload_prefix,
                    **({"filter_suffix": suffix} if suffix else {}),
                }
                for i, suffix in enumerate(inputs.notify_suffixes or ("",))
            ]
            notification = tracked(
                S3BucketNotification(self, "notification", bucket=self.bucket.id, depends_on=[policy]), key
            )
            notification.add_override("queue", rules)

    def _private(self, key: str) -> None:
        tracked(
            S3BucketPublicAccessBlock(
                self,
                "public_access",
                bucket=self.bucket.id,
                block_public_acls=True,
                block_public_policy=True,
                ignore_public_acls=True,
                restrict_public_buckets=True,
            ),
            key,
        )
        tracked(
            S3BucketOwnershipControls(
                self, "ownership", bucket=self.bucket.id, rule={"object_ownership": "BucketOwnerEnforced"}
            ),
            key,
        )
        tracked(
            S3BucketPolicy(
                self,
                "policy",
                bucket=self.bucket.id,
                policy=terraform_json(
                    {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Sid": "DenyPlainHttp",
                                "Effect": "Deny",
                                "Principal": "*",
                                "Action": "s3:*",
                                "Resource": [self.bucket.arn, f"{self.bucket.arn}/*"],
                                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                            }
                        ],
                    }
                ),
            ),
            key,
        )

    def _settings(self, key: str, inputs: UploadsInputs) -> None:
        sse: dict[str, Any] = (
            {"sse_algorithm": "aws:kms", "kms_master_key_id": inputs.kms_key_arn}
            if inputs.kms_key_arn
            else {"sse_algorithm": "AES256"}
        )
        encryption = tracked(
            S3BucketServerSideEncryptionConfigurationA(self, "encryption", bucket=self.bucket.id, rule=[]), key
        )
        encryption.add_override(
            "rule", [{"apply_server_side_encryption_by_default": sse, "bucket_key_enabled": bool(inputs.kms_key_arn)}]
        )
        versioning = tracked(
            S3BucketVersioningA(
                self, "versioning", bucket=self.bucket.id, versioning_configuration={"status": "Enabled"}
            ),
            key,
        )
        rules: list[dict[str, Any]] = [
            {
                "id": "abort-incomplete-multipart",
                "status": "Enabled",
                "filter": {},
                "abort_incomplete_multipart_upload": {"days_after_initiation": inputs.abort_multipart_days},
            },
            {
                "id": "expire-noncurrent-versions",
                "status": "Enabled",
                "filter": {},
                "noncurrent_version_expiration": {"noncurrent_days": inputs.noncurrent_days},
            },
        ]
        if inputs.temporary_prefix is not None:
            rules.append(
                {
                    "id": "expire-temporary",
                    "status": "Enabled",
                    "filter": {"prefix": inputs.temporary_prefix},
                    "expiration": {"days": inputs.temporary_days},
                }
            )
        lifecycle = tracked(
            S3BucketLifecycleConfiguration(self, "lifecycle", bucket=self.bucket.id, depends_on=[versioning]), key
        )
        lifecycle.add_override("rule", rules)

    def _kms(self, verb: str, actions: list[str]) -> list[Statement]:
        if self.inputs.kms_key_arn is None:
            return []
        return [
            {"Sid": f"{verb}{self._sid}Key", "Effect": "Allow", "Action": actions, "Resource": self.inputs.kms_key_arn}
        ]

    def presign_statements(self) -> list[Statement]:
        """A URL presigned by the task role can do what the role can: PutObject under upload_prefix only."""
        return [
            {
                "Sid": f"Upload{self._sid}",
                "Effect": "Allow",
                "Action": "s3:PutObject",
                "Resource": f"{self.bucket_arn}/{self.inputs.upload_prefix}*",
            },
            *self._kms("Upload", ["kms:GenerateDataKey"]),
        ]

    def read_statements(self) -> list[Statement]:
        """Read (and presign GETs of) any object of this bucket."""
        return [
            {
                "Sid": f"Read{self._sid}",
                "Effect": "Allow",
                "Action": "s3:GetObject",
                "Resource": f"{self.bucket_arn}/*",
            },
            *self._kms("Read", ["kms:Decrypt"]),
        ]
