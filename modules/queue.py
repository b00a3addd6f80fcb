"""SQS queue with its dead-letter queue, encrypted, TLS-only, and least-privilege statements for its users.

Seed 004: uploads are processed from a queue by a consumer service; a message that keeps failing
moves to the dead-letter queue after `max_receive_count` deliveries instead of blocking the rest.
The queue grants nothing by itself: `send_statements()` / `consume_statements()` return the IAM
statements a named service's task role needs, scoped to this queue (and its key, if any).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator import validate
from generator.cdk import Construct, SqsQueue, SqsQueuePolicy, tracked
from generator.errors import InputError
from generator.jsonenc import terraform_json

MODULE = "queue"
MAX_RETENTION = 1_209_600  # 14 days, SQS's limit
Statement = dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class QueueInputs:
    """One queue and its dead-letter queue.

    visibility_timeout: seconds a received message stays hidden from other consumers (0..43200); it
      must be at least the consumer's processing timeout (check_consumer), or a message still being
      worked on is delivered twice.
    max_receive_count: deliveries before a message moves to the dead-letter queue (1..1000).
    message_retention: seconds a message is kept (60..1209600, default 4 days).
    dlq_retention: seconds the dead-letter queue keeps a message (default 14 days, the maximum); at least
      message_retention, since a moved message keeps its original enqueue time.
    receive_wait_time: long polling, seconds (0..20); 20 saves empty receives.
    delay_seconds: delivery delay of new messages (0..900).
    fifo: FIFO queue (exactly-once, ordered per group); the name gets ".fifo".
    kms_key_arn: customer-managed KMS key; None: SQS-managed encryption (SSE-SQS, no key to pay for).
    senders / consumers: names of the services allowed to send / receive (the stack attaches
      send_statements() / consume_statements() to exactly these services' task roles).
    tags: extra tags on both queues.
    """

    visibility_timeout: int = 60
    max_receive_count: int = 5
    message_retention: int = 345_600
    dlq_retention: int = MAX_RETENTION
    receive_wait_time: int = 20
    delay_seconds: int = 0
    fifo: bool = False
    kms_key_arn: str | None = None
    senders: tuple[str, ...] = ()
    consumers: tuple[str, ...] = ()
    tags: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        validate.types(self, MODULE)
        validate.in_range(MODULE, "visibility_timeout", self.visibility_timeout, 0, 43_200)
        validate.in_range(MODULE, "max_receive_count", self.max_receive_count, 1, 1000)
        validate.in_range(MODULE, "message_retention", self.message_retention, 60, MAX_RETENTION)
        validate.in_range(MODULE, "dlq_retention", self.dlq_retention, 60, MAX_RETENTION)
        validate.in_range(MODULE, "receive_wait_time", self.receive_wait_time, 0, 20)
        validate.in_range(MODULE, "delay_seconds", self.delay_seconds, 0, 900)
        if self.dlq_retention < self.message_retention:
            raise InputError(
                "dlq_retention",
                f"{self.dlq_retention} s is shorter than message_retention "
                f"{self.message_retention} s: messages would expire on arrival in the dead-letter "
                f"queue; set dlq_retention >= {self.message_retention}",
                module=MODULE,
            )
        if self.kms_key_arn is not None:
            validate.matches(
                MODULE,
                "kms_key_arn",
                self.kms_key_arn,
                r"arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:"
                r"(key|alias)/[A-Za-z0-9/_-]+",
                "a KMS key ARN",
            )
        for role, names in (("senders", self.senders), ("consumers", self.consumers)):
            for service in names:
                validate.matches(MODULE, role, service, r"[a-z][a-z0-9-]{0,30}", "a service name")

    def check_consumer(self, service: str, timeout: int, *, field_prefix: str = "") -> None:
        """Refuse a visibility timeout shorter than the consumer's processing timeout (seconds)."""
        if self.visibility_timeout < timeout:
            raise InputError(
                f"{field_prefix}visibility_timeout",
                f"{self.visibility_timeout} s is shorter than "
                f"consumer {service!r}'s timeout of {timeout} s, so messages in progress are delivered "
                f"again: set visibility_timeout >= {timeout}",
                module=MODULE,
            )


class Queue(Construct):
    """SQS queue `name` (+ `name`-dlq), Terraform names `key` and `key`_dlq.

    Outputs: arn, url, queue_name, dlq_arn, dlq_url, dlq_name, visibility_timeout.
    Methods: send_statements(), consume_statements() (IAM statements for a task role),
    allow_s3_events(bucket_arn) (lets one bucket's event notifications in; modules/uploads.py calls it).
    """

    def __init__(self, scope: Construct, id_: str, inputs: QueueInputs, *, key: str, name: str) -> None:
        super().__init__(scope, id_)
        validate.identifier(MODULE, "key", key)
        self.inputs = inputs
        self._sid = "".join(part.title() for part in key.split("_"))  # IAM Sids are alphanumeric
        suffix = ".fifo" if inputs.fifo else ""
        encryption: dict[str, Any] = (
            {"kms_master_key_id": inputs.kms_key_arn, "kms_data_key_reuse_period_seconds": 300}
            if inputs.kms_key_arn
            else {"sqs_managed_sse_enabled": True}
        )
        self.dlq = tracked(
            SqsQueue(
                self,
                "dlq",
                name=f"{name}-dlq{suffix}",
                fifo_queue=inputs.fifo or None,
                message_retention_seconds=inputs.dlq_retention,
                **encryption,
                tags={"Name": f"{name}-dlq{suffix}", **inputs.tags},
            ),
            f"{key}_dlq",
        )
        self.queue = tracked(
            SqsQueue(
                self,
                "queue",
                name=f"{name}{suffix}",
                fifo_queue=inputs.fifo or None,
                visibility_timeout_seconds=inputs.visibility_timeout,
                message_retention_seconds=inputs.message_retention,
                receive_wait_time_seconds=inputs.receive_wait_time,
                delay_seconds=inputs.delay_seconds,
                **encryption,
                redrive_policy=terraform_json(
                    {"deadLetterTargetArn": self.dlq.arn, "maxReceiveCount": inputs.max_receive_count}
                ),
                tags={"Name": f"{name}{suffix}", **inputs.tags},
            ),
            key,
        )
        self.arn: str = self.queue.arn
        self.url: str = self.queue.url
        self.queue_name: str = self.queue.name
        self.dlq_arn: str = self.dlq.arn
        self.dlq_url: str = self.dlq.url
        self.dlq_name: str = self.dlq.name
        self.visibility_timeout = inputs.visibility_timeout
        self._bucket_arns: list[str] = []
        self.policy = tracked(SqsQueuePolicy(self, "policy", queue_url=self.queue.url, policy=self._policy()), key)
        tracked(
            SqsQueuePolicy(self, "dlq_policy", queue_url=self.dlq.url, policy=self._tls_only(self.dlq.arn)),
            f"{key}_dlq",
        )

    @staticmethod
    def _tls_only(arn: str) -> str:
        return terraform_json({"Version": "2012-10-17", "Statement": [_deny_plain_http(arn)]})

    def _policy(self) -> str:
        statements = [_deny_plain_http(self.queue.arn)]
        if self._bucket_arns:
            statements.append(
                {
                    "Sid": "S3EventNotifications",
                    "Effect": "Allow",
                    "Principal": {"Service": "s3.amazonaws.com"},
                    "Action": "sqs:SendMessage",
                    "Resource": self.queue.arn,
                    "Condition": {"ArnEquals": {"aws:SourceArn": sorted(self._bucket_arns)}},
                }
            )
        return terraform_json({"Version": "2012-10-17", "Statement": statements})

    def allow_s3_events(self, bucket_arn: str) -> SqsQueuePolicy:
        """Let this bucket's event notifications be sent here; returns the policy (a notification depends on it)."""
        self._bucket_arns.append(bucket_arn)
        self.policy.policy = self._policy()
        return self.policy

    def _kms(self, verb: str, actions: list[str]) -> list[Statement]:
        if self.inputs.kms_key_arn is None:
            return []
        return [
            {"Sid": f"{verb}{self._sid}Key", "Effect": "Allow", "Action": actions, "Resource": self.inputs.kms_key_arn}
        ]

    def send_statements(self) -> list[Statement]:
        """What a producer's task role needs: send to this queue only."""
        return [
            {
                "Sid": f"Send{self._sid}",
                "Effect": "Allow",
                "Action": ["sqs:GetQueueUrl", "sqs:SendMessage"],
                "Resource": self.arn,
            },
            *self._kms("Send", ["kms:GenerateDataKey", "kms:Decrypt"]),
        ]

    def consume_statements(self) -> list[Statement]:
        """What a consumer's task role needs: receive, delete and extend visibility on this queue only."""
        return [
            {
                "Sid": f"Consume{self._sid}",
                "Effect": "Allow",
                "Action": [
                    "sqs:ChangeMessageVisibility",
                    "sqs:DeleteMessage",
                    "sqs:GetQueueAttributes",
                    "sqs:GetQueueUrl",
                    "sqs:ReceiveMessage",
                ],
                "Resource": self.arn,
            },
            *self._kms("Consume", ["kms:Decrypt"]),
        ]


def _deny_plain_http(arn: str) -> Statement:
    return {
        "Sid": "DenyPlainHttp",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "sqs:*",
        "Resource": arn,
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
