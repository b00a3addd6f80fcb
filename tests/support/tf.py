"""Running terraform in tests: offline, with the provider from the plugin mirror."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

from generator.terraform.cliconfig import MIRROR_ENV_VAR, cli_config_text

# Plans run with no AWS account: fake keys, every start-up call to AWS switched off, and the S3
# backend swapped for an empty local state.
OFFLINE_PROVIDER = """terraform {
  backend "local" {}
}

provider "aws" {
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}
"""


def cli_config(directory: Path) -> Path:
    path = directory / "terraform.rc"
    path.write_text(cli_config_text(os.environ[MIRROR_ENV_VAR]))
    return path


def terraform(workdir: Path, *args: str, rc: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TF_CLI_CONFIG_FILE": str(rc), "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1"}
    result = subprocess.run(["terraform", *args], cwd=workdir, env=env, capture_output=True, text=True)
    assert result.returncode == 0, f"terraform {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


def init(workdir: Path, rc: Path) -> None:
    terraform(workdir, "init", "-backend=false", "-input=false", "-no-color", rc=rc)


def offline_plan(workdir: Path, rc: Path) -> dict[str, Any]:
    """Plan with no state and no API calls; return `terraform show -json` of the plan."""
    (workdir / "offline_override.tf").write_text(OFFLINE_PROVIDER)
    terraform(workdir, "init", "-input=false", "-no-color", rc=rc)
    terraform(workdir, "plan", "-refresh=false", "-input=false", "-no-color", "-lock=false", "-out=tfplan", rc=rc)
    return json.loads(terraform(workdir, "show", "-json", "tfplan", rc=rc).stdout)


def planned(plan: dict[str, Any]) -> dict[str, Any]:
    """What a plan will do, without the parts that restate the configuration's syntax."""
    changes = {
        change["address"]: {
            key: change["change"].get(key) for key in ("actions", "after", "after_unknown", "after_sensitive", "before")
        }
        for change in plan["resource_changes"]
    }
    outputs = {
        name: {key: change.get(key) for key in ("actions", "after", "after_unknown", "after_sensitive")}
        for name, change in plan.get("output_changes", {}).items()
    }
    return {"resources": changes, "outputs": outputs}
