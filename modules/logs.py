"""Audit logs: ALB access logs in S3, VPC flow logs in CloudWatch Logs. Each is one switch."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from generator import validate
from generator.cdk import (
    CloudwatchLogGroup,
    Construct,
    DataAwsElbServiceAccount,
    FlowLog,
    IamRole,
    IamRolePolicy,
    S3Bucket,
    S3BucketLifecycleConfiguration,
    S3BucketOwnershipControls,
    S3BucketPolicy,
    S3BucketPublicAccessBlock,
    S3BucketServerSideEncryptionConfigurationA,
    S3BucketVersioningA,
    tracked,
)
from generator.cdk import S3BucketServerSideEncryptionConfigurationRuleA as EncryptionRule
from generator.errors import InputError
from generator.jsonenc import terraform_json

MODULE = "logs"
ACCESS_LOG_PREFIX = "alb"

Traffic = Literal["ALL", "ACCEPT", "REJECT"]


@dataclass(frozen=True, kw_only=True)
class LogsInputs:
    """Which logs are kept, and for how long.

    alb_access_logs: write ALB access logs to an S3 bucket <prefix>-alb-logs-<account id>.
    access_log_days: days access logs are kept (they move to Standard-IA after 30 days when kept longer).
    force_destroy: let `destroy` delete the bucket with its logs (keep False where logs are evidence).
    flow_logs: VPC flow logs to the CloudWatch log group /vpc/<prefix>/flow-logs.
    flow_log_traffic: "ALL", "ACCEPT" or "REJECT" traffic.
    flow_log_retention_days: retention of that log group.
    """

    alb_access_logs: bool = False
    access_log_days: int = 90
    force_destroy: bool = False
    flow_logs: bool = False
    flow_log_traffic: Traffic = "ALL"
    flow_log_retention_days: int = 30
    tags: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        validate.in_range(MODULE, "access_log_days", self.access_log_days, 1, 3650)
        validate.one_of(MODULE, "flow_log_traffic", self.flow_log_traffic, ("ALL", "ACCEPT", "REJECT"))
        validate.one_of(MODULE, "flow_log_retention_days", self.flow_log_retention_days, validate.LOG_RETENTION_DAYS)


def _policy(statements: list[dict[str, object]]) -> str:
    return terraform_json({"Version": "2012-10-17", "Statement": statements})


class Logs(Construct):
    """Outputs: access_log_bucket, access_log_prefix, access_log_policy (None when off), flow_log_group_name."""

    def __init__(
        self, scope: Construct, id_: str, inputs: LogsInputs, *, name: str, vpc_id: str, account_id: str
    ) -> None:
        super().__init__(scope, id_)
        self.access_log_bucket: str | None = None
        self.access_log_policy: S3BucketPolicy | None = None
        self.access_log_prefix = ACCESS_LOG_PREFIX
        self.flow_log_group_name: str | None = None
        if inputs.alb_access_logs:
            if len(name) > 63 - len("-alb-logs-123456789012"):
                raise InputError(
                    "alb_access_logs", f"bucket name for {name!r} would pass S3's 63 characters", module=MODULE
                )
            self._access_logs(inputs, name, account_id)
        if inputs.flow_logs:
            self._flow_logs(inputs, name, vpc_id)

    def _access_logs(self, inputs: LogsInputs, name: str, account_id: str) -> None:
        elb = tracked(DataAwsElbServiceAccount(self, "elb"), "this")
        bucket = tracked(
            S3Bucket(
                self,
                "access_logs",
                bucket=f"{name}-alb-logs-{account_id}",
                force_destroy=inputs.force_destroy,
                tags={"Name": f"{name}-alb-logs", **inputs.tags},
            )
        )
        tracked(
            S3BucketPublicAccessBlock(
                self,
                "access_logs_public",
                bucket=bucket.id,
                block_public_acls=True,
                block_public_policy=True,
                ignore_public_acls=True,
                restrict_public_buckets=True,
            ),
            "access_logs",
        )
        tracked(
            S3BucketOwnershipControls(
                self, "access_logs_owner", bucket=bucket.id, rule={"object_ownership": "BucketOwnerEnforced"}
            ),
            "access_logs",
        )
        # ALB access logs support SSE-S3 only, not SSE-KMS.
        tracked(
            S3BucketServerSideEncryptionConfigurationA(
                self,
                "access_logs_sse",
                bucket=bucket.id,
                rule=[EncryptionRule(apply_server_side_encryption_by_default={"sse_algorithm": "AES256"})],
            ),
            "access_logs",
        )
        tracked(
            S3BucketVersioningA(
                self, "access_logs_versioning", bucket=bucket.id, versioning_configuration={"status": "Enabled"}
            ),
            "access_logs",
        )
        lifecycle = tracked(
            S3BucketLifecycleConfiguration(self, "access_logs_lifecycle", bucket=bucket.id), "access_logs"
        )
        lifecycle.add_override("rule", [self._lifecycle(inputs.access_log_days)])  # nested blocks as Terraform keys
        objects = f"{bucket.arn}/{ACCESS_LOG_PREFIX}/AWSLogs/{account_id}/*"
        self.access_log_policy = tracked(
            S3BucketPolicy(
                self,
                "access_logs_policy",
                bucket=bucket.id,
                policy=_policy(
                    [
                        {
                            "Sid": "ElbAccountWrites",
                            "Effect": "Allow",
                            "Principal": {"AWS": elb.arn},
                            "Action": "s3:PutObject",
                            "Resource": objects,
                        },
                        {
                            "Sid": "ElbLogDeliveryWrites",
                            "Effect": "Allow",
                            "Principal": {"Service": "logdelivery.elasticloadbalancing.amazonaws.com"},
                            "Action": "s3:PutObject",
                            "Resource": objects,
                        },
                        {
                            "Sid": "DenyInsecureTransport",
                            "Effect": "Deny",
                            "Principal": "*",
                            "Action": "s3:*",
                            "Resource": [bucket.arn, f"{bucket.arn}/*"],
                            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                        },
                    ]
                ),
            ),
            "access_logs",
        )
        self.access_log_bucket = bucket.bucket

    @staticmethod
    def _lifecycle(days: int) -> dict[str, object]:
        rule: dict[str, object] = {
            # An empty filter: the bucket holds only access logs, and aborting stale uploads covers it all.
            "id": "expire-access-logs",
            "status": "Enabled",
            "filter": {},
            "expiration": {"days": days},
            "noncurrent_version_expiration": {"noncurrent_days": 7},
            "abort_incomplete_multipart_upload": {"days_after_initiation": 7},
        }
        if days > 60:
            rule["transition"] = [{"days": 30, "storage_class": "STANDARD_IA"}]
        return rule

    def _flow_logs(self, inputs: LogsInputs, name: str, vpc_id: str) -> None:
        group = tracked(
            CloudwatchLogGroup(
                self,
                "flow_log_group",
                name=f"/vpc/{name}/flow-logs",
                retention_in_days=inputs.flow_log_retention_days,
                tags={"Name": f"/vpc/{name}/flow-logs", **inputs.tags},
            ),
            "flow_logs",
        )
        trust = {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "vpc-flow-logs.amazonaws.com"}}
            ],
        }
        role = tracked(
            IamRole(
                self,
                "flow_logs_role",
                name=f"{name}-flow-logs",
                assume_role_policy=terraform_json(trust),
                description="VPC flow logs writing to CloudWatch Logs",
                tags={"Name": f"{name}-flow-logs", **inputs.tags},
            ),
            "flow_logs",
        )
        tracked(
            IamRolePolicy(
                self,
                "flow_logs_policy",
                name="write-flow-logs",
                role=role.id,
                policy=_policy(
                    [
                        {
                            "Sid": "WriteFlowLogs",
                            "Effect": "Allow",
                            "Resource": [group.arn, f"{group.arn}:*"],
                            "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                        }
                    ]
                ),
            ),
            "flow_logs",
        )
        tracked(
            FlowLog(
                self,
                "flow_log",
                vpc_id=vpc_id,
                traffic_type=inputs.flow_log_traffic,
                log_destination_type="cloud-watch-logs",
                log_destination=group.arn,
                iam_role_arn=role.arn,
                max_aggregation_interval=60,
                tags={"Name": f"{name}-flow-logs", **inputs.tags},
            ),
            "this",
        )
        self.flow_log_group_name = group.name
