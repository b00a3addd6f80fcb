"""modules/uploads.py: the private uploads bucket browsers PUT to with presigned URLs."""

from __future__ import annotations

import pytest

from generator.errors import InputError
from modules.uploads import UploadsInputs
from tests.support.resstack import Applied


@pytest.mark.parametrize(
    ("build", "field", "words"),
    [
        (lambda: UploadsInputs(cors_origins=("*",)), "cors_origins", "name the app's origins"),
        (lambda: UploadsInputs(cors_origins=("http://app.example.com",)), "cors_origins", "https:// origin"),
        (lambda: UploadsInputs(upload_prefix="uploads"), "upload_prefix", "ending in '/'"),
        (
            lambda: UploadsInputs(upload_prefix="tmp/in/", temporary_prefix="tmp/"),
            "temporary_prefix",
            "would expire every upload",
        ),
        (lambda: UploadsInputs(abort_multipart_days=0), "abort_multipart_days", "from 1 to 365"),
    ],
)
def test_bad_upload_inputs_name_the_field_and_the_fix(build: object, field: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        build()  # type: ignore[operator]
    assert caught.value.field == field and words in caught.value.message


def test_rendered_bucket_is_private_encrypted_versioned_and_cleans_up(
    res_files: dict[str, str], res_validated: dict[str, object]
) -> None:
    assert res_validated["valid"] is True, res_validated
    text = res_files["uploads.tf"]
    for needle in (
        "block_public_policy     = true",
        'object_ownership = "BucketOwnerEnforced"',
        'sse_algorithm = "AES256"',
        'status = "Enabled"',
        '"aws:SecureTransport" = "false"',
        "days_after_initiation = 1",
        'prefix = "tmp/"',
        'allowed_methods = ["PUT"]',
        'allowed_origins = ["https://app.example.com"]',
        'expose_headers  = ["ETag"]',
        'filter_suffix = ".png"',
        "depends_on = [aws_sqs_queue_policy.images]",
    ):
        assert needle in text, needle


def test_presign_statements_allow_puts_under_the_upload_prefix_only() -> None:
    from generator.cdk import App, TerraformStack
    from modules.uploads import Uploads

    uploads = Uploads(
        TerraformStack(App(), "probe"),
        "uploads",
        UploadsInputs(upload_prefix="in/"),
        key="images",
        name="acme-dev-images",
    )
    (put,) = uploads.presign_statements()
    assert put["Action"] == "s3:PutObject" and str(put["Resource"]).endswith("/in/*")
    (read,) = uploads.read_statements()
    assert read["Action"] == "s3:GetObject" and read["Sid"] == "ReadImages"


@pytest.mark.e2e
@pytest.mark.terraform
def test_uploads_bucket_applies_with_cors_lifecycle_and_notification(res_applied: Applied) -> None:
    s3 = res_applied.client("s3")
    bucket = "acme-res-uploads"
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    (rule,) = s3.get_bucket_cors(Bucket=bucket)["CORSRules"]
    assert rule["AllowedMethods"] == ["PUT"] and rule["AllowedOrigins"] == ["https://app.example.com"]
    rules = {r["ID"] for r in s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]}
    assert rules == {"abort-incomplete-multipart", "expire-noncurrent-versions", "expire-temporary"}
    queues = s3.get_bucket_notification_configuration(Bucket=bucket)["QueueConfigurations"]
    assert len(queues) == 2 and all(q["QueueArn"].endswith(":acme-res-images") for q in queues)
    block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert all(block.values())
