"""An end-to-end project copy driven through `python main.py` in subprocesses, and its local AWS."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import ClientError

from generator.localaws import server as local_aws
from generator.render.project import load


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Project:
    def __init__(self, root: Path, env: dict[str, str] | None = None, timeout: float = 600) -> None:
        self.root = root
        self.env = {**os.environ, "HCLGEN_ROOT": str(root), **(env or {})}
        self.backend = load(root, ["dev"])[0].env.backend
        self.timeout = timeout

    def start(self, *args: str) -> subprocess.Popen[str]:
        """A command the test may interrupt: Ctrl-C is the default action in it even when this
        suite was started in the background (`cmd &` starts it with SIGINT ignored, inherited)."""
        return subprocess.Popen(
            [sys.executable, str(self.root / "main.py"), *args],
            cwd=self.root,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            preexec_fn=_default_sigint,
        )

    def run(self, *args: str, timeout: float | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, str(self.root / "main.py"), *args],
            cwd=self.root,
            env=self.env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout or self.timeout,
        )

    def aws(self, service: str) -> Any:
        server = local_aws.status(self.root)
        assert server is not None, "the local AWS is not running"
        return boto3.client(service, **local_aws.client_settings(server, self.backend.region))  # type: ignore[call-overload]

    def state(self) -> dict[str, Any]:
        body = self.aws("s3").get_object(Bucket=self.backend.bucket, Key=self.backend.key)["Body"].read()
        return json.loads(body)  # type: ignore[no-any-return]

    def lock_object(self) -> dict[str, Any] | None:
        try:
            body = self.aws("s3").get_object(Bucket=self.backend.bucket, Key=f"{self.backend.key}.tflock")["Body"]
        except ClientError as err:  # only "no such key" means no lock; anything else fails the test
            if err.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return None
            raise
        return json.loads(body.read())  # type: ignore[no-any-return]


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout
