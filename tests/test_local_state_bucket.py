"""--local commands check the state bucket once per local AWS process, not on every command."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest

from generator.localaws import server as local_aws
from generator.terraform import operations, statebucket


def test_bucket_checked_once_per_server_and_again_after_a_restart(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clients: list[str] = []
    real_client = statebucket.s3_client
    monkeypatch.setattr(statebucket, "s3_client", lambda *a, **k: clients.append("s3") or real_client(*a, **k))
    try:
        ws = operations.open_workspace(project, "dev", local=True)
        operations.open_workspace(project, "dev", local=True)
        assert clients == ["s3"]  # the second command trusted the first one's check
        local_aws.down(project)
        ws = operations.open_workspace(project, "dev", local=True)  # a new server: empty, checked again
        assert clients == ["s3", "s3"]
        server = ws.server
        assert server is not None
        s3 = boto3.client("s3", **local_aws.client_settings(server, ws.loaded.env.region))
        s3.head_bucket(Bucket=ws.loaded.env.backend.bucket)  # recreated on the new server
    finally:
        local_aws.down(project)
