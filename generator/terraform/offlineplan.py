"""Plan an env's committed HCL offline: no state, no credentials, no AWS calls.

The HCL is copied to .hclgen/offline/<env>/ beside an override file that swaps the S3 backend
for an empty local state and gives the provider fake keys with every start-up call to AWS
switched off (the same approach the plan-equivalence test uses). `terraform plan -refresh=false`
then shows every resource as created: the whole env, as the committed HCL describes it.
Providers come from HCLGEN_PLUGIN_MIRROR when set (or terraform's own cache/registry).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator import runner
from generator.errors import TerraformError
from generator.paths import work_dir

OVERRIDE_FILE = "hclgen_offline_override.tf"
OFFLINE_OVERRIDE = """# Written by hclgen for an offline plan: empty local state, fake keys, no calls to AWS.
terraform {
  backend "local" {}
}

provider "aws" {
  access_key                  = "offline"
  secret_key                  = "offline"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}
"""
# The user's own AWS setup must play no part in an offline plan.
_DROPPED = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_ENDPOINT_URL",
    "TF_CLI_ARGS",
    "TF_CLI_ARGS_plan",
    "TF_CLI_ARGS_init",
)


def offline_root(root: Path, env: str) -> Path:
    return work_dir(root) / "offline" / env


def prepare(root: Path, env: str, tf_root: Path) -> Path:
    """A fresh copy of the env's *.tf with the offline override beside it."""
    target = offline_root(root, env)
    target.mkdir(parents=True, exist_ok=True)
    for old in [*target.glob("*.tf"), *target.glob("*.tf.json"), target / "terraform.tfstate", target / "plan.tfplan"]:
        old.unlink(missing_ok=True)
    sources = sorted([*tf_root.glob("*.tf"), *tf_root.glob("*.tf.json")])
    if not sources:
        raise TerraformError(f"{tf_root} holds no Terraform files yet: run `python main.py synth` first")
    for path in sources:
        shutil.copy2(path, target / path.name)
    (target / OVERRIDE_FILE).write_text(OFFLINE_OVERRIDE)
    return target


def environ(root: Path, workdir: Path) -> dict[str, str]:
    from generator.terraform.cliconfig import write_cli_config

    env = {k: v for k, v in os.environ.items() if k not in _DROPPED and not k.startswith("AWS_ENDPOINT_URL_")}
    env.update(
        TF_DATA_DIR=str(workdir / ".terraform"),
        TF_IN_AUTOMATION="1",
        TF_INPUT="0",
        CHECKPOINT_DISABLE="1",
        AWS_EC2_METADATA_DISABLED="true",
    )
    cli_config = write_cli_config(root)
    if cli_config is not None:
        env["TF_CLI_CONFIG_FILE"] = str(cli_config)
    return env


def _run(workdir: Path, env: dict[str, str], name: str, *args: str) -> str:
    result = runner.run_terraform(args, cwd=workdir, env=env, echo_stdout=False, echo_stderr=False)
    if result.code != 0:
        detail = " ".join(line.strip("│ \t") for line in result.stderr.splitlines() if line.strip("│ \t"))
        raise TerraformError(
            f"offline terraform {args[0]} failed for {name}: {detail[:400] or 'no output'}", exit_code=result.code
        )
    return result.stdout


def plan_env(env: str, progress: Callable[[str], None]) -> tuple[dict[str, Any], str]:
    """`cost ENV`: the offline plan of ENV's committed HCL, and ENV's region."""
    from generator.paths import project_root
    from generator.render.project import load

    root = project_root()
    loaded = load(root, [env])[0]
    progress(f"planning {env} offline (committed HCL, empty state, no credentials)…")
    return offline_plan(root, env, loaded.root), loaded.env.region


def offline_plan(root: Path, env: str, tf_root: Path) -> dict[str, Any]:
    """`terraform show -json` of a plan of the committed HCL against an empty state."""
    workdir = prepare(root, env, tf_root)
    variables = environ(root, workdir)
    _run(workdir, variables, env, "init", "-input=false", "-no-color")
    _run(
        workdir,
        variables,
        env,
        "plan",
        "-refresh=false",
        "-input=false",
        "-lock=false",
        "-no-color",
        "-out=plan.tfplan",
    )
    shown: dict[str, Any] = json.loads(_run(workdir, variables, env, "show", "-json", "plan.tfplan"))
    return shown
