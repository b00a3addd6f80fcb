"""What the runner and its callers share without starting a process: the result of a run,
where terraform is, how to run this interpreter, and how streamed output reaches a terminal.

generator/runner.py stays the only code that starts processes; this module imports no
subprocess machinery, so the pieces can be read (and typed against) from anywhere.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from generator.errors import TerraformError

MIN_TERRAFORM = (1, 11, 0)
INSTALL_HINT = (
    "install Terraform >= 1.11 from https://developer.hashicorp.com/terraform/install "
    "(or `apt-get install terraform` from HashiCorp's apt repository) and put it on PATH"
)


@dataclass(frozen=True)
class Completed:
    """A finished terraform run: its exit code and what it wrote (also streamed live)."""

    code: int
    stdout: str
    stderr: str
    interrupted: bool = False


def terraform_binary() -> str:
    path = shutil.which("terraform")
    if path is None:
        raise TerraformError(f"terraform was not found on PATH: {INSTALL_HINT}")
    return path


def quiet_cli_env() -> dict[str, str]:
    """The environment for reading terraform's version: without a CLI config that is not there."""
    env = dict(os.environ)
    config = env.get("TF_CLI_CONFIG_FILE")
    if config and not Path(config).is_file():
        env.pop("TF_CLI_CONFIG_FILE")  # only to read the version without a warning
    return env


def python_argv(module: str, *args: str) -> list[str]:
    """argv running `python -m module args` with this interpreter."""
    return [sys.executable, "-m", module, *args]


def binary_sink(stream: Any) -> IO[bytes] | Any:
    """Where bytes for a text stream go: its buffer when it has one."""
    return getattr(stream, "buffer", stream)


def write_chunk(sink: Any, chunk: bytes) -> None:
    try:
        sink.write(chunk)
    except TypeError:  # a text-only stream (some test captures)
        sink.write(chunk.decode(errors="replace"))
    sink.flush()
