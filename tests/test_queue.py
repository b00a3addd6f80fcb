"""modules/queue.py: SQS queue + dead-letter queue, its checks and least-privilege statements."""

from __future__ import annotations

import json

import pytest

from generator.errors import InputError
from modules.queue import QueueInputs
from tests.support.resstack import Applied


@pytest.mark.parametrize(
    ("build", "field", "words"),
    [
        (lambda: QueueInputs(max_receive_count=0), "max_receive_count", "from 1 to 1000"),
        (lambda: QueueInputs(visibility_timeout=50_000), "visibility_timeout", "from 0 to 43200"),
        (lambda: QueueInputs(message_retention=1_209_600, dlq_retention=86_400), "dlq_retention", "dlq_retention >= "),
        (lambda: QueueInputs(kms_key_arn="alias/mine"), "kms_key_arn", "not a KMS key ARN"),
        (lambda: QueueInputs(consumers=("Worker",)), "consumers", "not a service name"),
    ],
)
def test_bad_queue_inputs_name_the_field_and_the_fix(build: object, field: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        build()  # type: ignore[operator]
    assert caught.value.field == field and words in caught.value.message


def test_visibility_timeout_shorter_than_the_consumer_is_refused() -> None:
    queue = QueueInputs(visibility_timeout=30)
    with pytest.raises(InputError) as caught:
        queue.check_consumer("images", 120, field_prefix="queues.images.")
    assert caught.value.field == "queues.images.visibility_timeout"
    assert "shorter than consumer 'images'" in caught.value.message and ">= 120" in caught.value.message
    queue.check_consumer("images", 30)  # equal is enough


def test_rendered_queue_has_a_redrive_policy_encryption_and_tls_only_policies(
    res_files: dict[str, str], res_validated: dict[str, object]
) -> None:
    assert res_validated["valid"] is True and res_validated["warning_count"] == 0, res_validated
    text = res_files["queue_images.tf"]
    assert 'resource "aws_sqs_queue" "images"' in text and 'resource "aws_sqs_queue" "images_dlq"' in text
    assert "deadLetterTargetArn = aws_sqs_queue.images_dlq.arn" in text and "maxReceiveCount     = 3" in text
    assert text.count("sqs_managed_sse_enabled") == 2
    assert text.count('"aws:SecureTransport" = "false"') == 2
    # The uploads bucket's notifications are let in by source ARN, nothing wider.
    assert '"aws:SourceArn" = [aws_s3_bucket.uploads.arn]' in text


def test_statements_cover_this_queue_only() -> None:
    from generator.cdk import App, TerraformStack
    from modules.queue import Queue

    queue = Queue(
        TerraformStack(App(), "probe"),
        "queue",
        QueueInputs(kms_key_arn=("arn:aws:kms:us-east-1:123456789012:key/abcd")),
        key="jobs",
        name="acme-dev-jobs",
    )
    send, consume = queue.send_statements(), queue.consume_statements()
    assert {s["Sid"] for s in send} == {"SendJobs", "SendJobsKey"}
    assert send[0]["Action"] == ["sqs:GetQueueUrl", "sqs:SendMessage"] and send[0]["Resource"] == queue.arn
    assert "sqs:ReceiveMessage" in consume[0]["Action"] and "sqs:SendMessage" not in consume[0]["Action"]
    assert all(s["Resource"] != "*" for s in [*send, *consume])
    sids = [s["Sid"] for s in [*send, *consume]]
    assert len(sids) == len(set(sids))  # one role may both send and consume: its policy needs distinct Sids
    assert consume[1] == {
        "Sid": "ConsumeJobsKey",
        "Effect": "Allow",
        "Action": ["kms:Decrypt"],
        "Resource": "arn:aws:kms:us-east-1:123456789012:key/abcd",
    }


@pytest.mark.e2e
@pytest.mark.terraform
def test_queue_applies_with_its_dead_letter_queue(res_applied: Applied) -> None:
    sqs = res_applied.client("sqs")
    url = sqs.get_queue_url(QueueName="acme-res-images")["QueueUrl"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    redrive = json.loads(attributes["RedrivePolicy"])
    assert redrive["deadLetterTargetArn"].endswith(":acme-res-images-dlq") and int(redrive["maxReceiveCount"]) == 3
    assert attributes["VisibilityTimeout"] == "120" and attributes["SqsManagedSseEnabled"] == "true"
    assert res_applied.replan_code == 0, res_applied.replan_output[-3000:]
