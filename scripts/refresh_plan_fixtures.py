"""Regenerate the real `terraform show -json` plans behind the plan-comment golden tests.

Three sources:

  synthetic (default): a small AWS root planned with the real terraform and AWS provider
  against a throwaway local moto server, in three scenarios (all creates; no changes; and a
  mix of update, replace, destroy, import and move with sensitive and unknown values):

      HCLGEN_PLUGIN_MIRROR=/path/to/mirror python scripts/refresh_plan_fixtures.py

  --from-plans: copy the plans that `python main.py plan ENV` recorded for the project's real
  environments (.hclgen/plans/<env>/ and .hclgen/sources/<env>.json):

      python main.py synth && python main.py plan dev --local && python main.py plan prod --local
      python scripts/refresh_plan_fixtures.py --from-plans dev prod

  --lifecycle: environments/dev driven through the real CLI on the local AWS, in a temporary
  copy of the project: create, no-op (after an apply), update in place, replace, destroy; one
  fixture folder per scenario, dev-<scenario>/ (scripts/plan_lifecycle.py; about 3 minutes):

      HCLGEN_PLUGIN_MIRROR=/path/to/mirror python scripts/refresh_plan_fixtures.py --lifecycle

Then rerun the golden tests with HCLGEN_UPDATE_GOLDENS=1 and review the markdown diff.
This is a developer tool: it runs terraform itself instead of going through generator.runner.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from generator.terraform.cliconfig import MIRROR_ENV_VAR, cli_config_text  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "plans"
STABLE_ENDPOINT = "http://127.0.0.1:5000"

PROVIDER = """terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.99" }
  }
}

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  s3_use_path_style           = true
  endpoints {
%s
  }
}
"""
ASSUME = (
    'jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", '
    'Principal = { Service = "ecs-tasks.amazonaws.com" } }] })'
)
SERVICES = ("s3", "ecr", "rds", "secretsmanager", "dynamodb", "ec2", "iam", "sts", "cloudwatchlogs")

# v1 is applied; v2 is the change under review. Each resource is (address, source, HCL body).
V1: dict[str, tuple[str, str]] = {
    "aws_vpc.this": ("modules/vpc.py:31", 'cidr_block = "10.40.0.0/16"\n  tags = { Name = "demo" }'),
    "aws_s3_bucket.assets": ("modules/storage.py:12", 'bucket = "demo-assets"'),
    "aws_s3_bucket.logs": ("modules/storage.py:27", 'bucket = "demo-logs"'),
    "aws_ecr_repository.app": ("modules/ecr.py:18", 'name = "demo-app"'),
    "aws_secretsmanager_secret.db": ("modules/rds.py:40", 'name = "demo-db"'),
    "aws_secretsmanager_secret_version.db": (
        "modules/rds.py:46",
        'secret_id = aws_secretsmanager_secret.db.id\n  secret_string = "hunter2"',
    ),
    "aws_dynamodb_table.locks": (
        "modules/state.py:9",
        'name = "demo-locks"\n  billing_mode = "PAY_PER_REQUEST"\n'
        '  hash_key = "LockID"\n  attribute {\n    name = "LockID"\n    type = "S"\n  }',
    ),
    "aws_cloudwatch_log_group.app": ("modules/ecs.py:58", 'name = "/demo/app"\n  retention_in_days = 7'),
    "aws_iam_role.task": (
        "modules/iam.py:15",
        f'name = "demo-task"\n  assume_role_policy = {ASSUME}\n  max_session_duration = 3600',
    ),
    "terraform_data.release": ("modules/ecs.py:90", 'triggers_replace = "v1"'),
}
V2: dict[str, tuple[str, str]] = {
    **{
        k: v
        for k, v in V1.items()
        if k not in ("aws_s3_bucket.logs", "aws_dynamodb_table.locks", "aws_s3_bucket.assets")
    },
    "aws_vpc.this": ("modules/vpc.py:31", 'cidr_block = "10.40.0.0/16"\n  tags = { Name = "demo", Team = "core" }'),
    "aws_s3_bucket.static": ("modules/storage.py:12", 'bucket = "demo-assets"'),
    "aws_s3_bucket.imported": ("modules/storage.py:40", 'bucket = "demo-imported"'),
    "aws_ecr_repository.app": ("modules/ecr.py:18", 'name = "demo-api"'),
    "aws_secretsmanager_secret_version.db": (
        "modules/rds.py:46",
        'secret_id = aws_secretsmanager_secret.db.id\n  secret_string = "hunter3"',
    ),
    "aws_cloudwatch_log_group.app": ("modules/ecs.py:58", 'name = "/demo/app"\n  retention_in_days = 30'),
    "aws_iam_role.task": (
        "modules/iam.py:15",
        f'name = "demo-task"\n  assume_role_policy = {ASSUME}\n  max_session_duration = 7200',
    ),
    "terraform_data.release": ("modules/ecs.py:90", 'triggers_replace = "v2"'),
    "aws_security_group.db": ("modules/rds.py:21", 'name = "demo-db"\n  vpc_id = aws_vpc.this.id'),
    "aws_db_instance.main": (
        "modules/rds.py:60",
        'identifier = "demo-db"\n  engine = "postgres"\n'
        '  instance_class = "db.t3.micro"\n  allocated_storage = 20\n  username = "app"\n'
        '  password = "correct-horse-battery"\n  skip_final_snapshot = true\n'
        "  vpc_security_group_ids = [aws_security_group.db.id]",
    ),
}
V2_EXTRA = """
moved {
  from = aws_s3_bucket.assets
  to   = aws_s3_bucket.static
}

import {
  to = aws_s3_bucket.imported
  id = "demo-imported"
}
"""


def hcl(resources: Mapping[str, tuple[str, str]], endpoint: str, extra: str = "") -> str:
    endpoints = "\n".join(f'    {name} = "{endpoint}"' for name in SERVICES)
    blocks = []
    for address, (_, body) in resources.items():
        kind, name = address.split(".")
        blocks.append(f'resource "{kind}" "{name}" {{\n  {body}\n}}\n')
    return PROVIDER % endpoints + "\n" + "\n".join(blocks) + extra


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cli_env(workdir: Path) -> dict[str, str]:
    env = {**os.environ, "TF_IN_AUTOMATION": "1", "TF_INPUT": "0", "CHECKPOINT_DISABLE": "1"}
    mirror = os.environ.get(MIRROR_ENV_VAR)
    if mirror:
        rc = workdir / "terraform.rc"
        rc.write_text(cli_config_text(mirror))
        env["TF_CLI_CONFIG_FILE"] = str(rc)
    return env


def terraform(workdir: Path, env: Mapping[str, str], *args: str) -> str:
    proc = subprocess.run(["terraform", *args], cwd=workdir, env=dict(env), capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"terraform {' '.join(args)} failed:\n{proc.stderr}")
    return proc.stdout


def save(
    name: str,
    env_name: str,
    workdir: Path,
    env: Mapping[str, str],
    endpoint: str,
    sources: Mapping[str, str],
    out: Path,
) -> None:
    """Plan the root as it stands and write plan.json, plan.txt, meta.json, sources.json."""
    terraform(workdir, env, "plan", "-input=false", "-no-color", "-out=plan.tfplan")
    plan = terraform(workdir, env, "show", "-json", "plan.tfplan").replace(endpoint, STABLE_ENDPOINT)
    text = terraform(workdir, env, "show", "-no-color", "plan.tfplan")
    target = out / name
    target.mkdir(parents=True, exist_ok=True)
    (target / "plan.json").write_text(json.dumps(json.loads(plan), indent=1, sort_keys=True) + "\n")
    (target / "plan.txt").write_text(text)
    (target / "meta.json").write_text(json.dumps({"env": env_name, "fixture": name}, indent=2) + "\n")
    (target / "sources.json").write_text(json.dumps(dict(sources), indent=2, sort_keys=True) + "\n")
    print(f"wrote {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")


def synthetic(out: Path) -> None:
    import logging

    from moto.server import ThreadedMotoServer  # a dev dependency: only this mode needs it

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise

    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        with tempfile.TemporaryDirectory(prefix="hclgen-fixtures-") as tmp:
            workdir = Path(tmp)
            env = cli_env(workdir)
            main_tf = workdir / "main.tf"
            main_tf.write_text(hcl(V1, endpoint))
            terraform(workdir, env, "init", "-input=false", "-no-color")
            save("create", "dev", workdir, env, endpoint, {k: v[0] for k, v in V1.items()}, out)
            terraform(workdir, env, "apply", "-input=false", "-no-color", "-auto-approve")
            save("nochange", "stage", workdir, env, endpoint, {k: v[0] for k, v in V1.items()}, out)
            _create_unmanaged_bucket(endpoint, "demo-imported")
            main_tf.write_text(hcl(V2, endpoint, V2_EXTRA))
            save("mixed", "prod", workdir, env, endpoint, {k: v[0] for k, v in V2.items()}, out)
    finally:
        server.stop()


def _create_unmanaged_bucket(endpoint: str, name: str) -> None:
    """A bucket made outside terraform, for the import block to adopt."""
    import boto3

    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    s3.create_bucket(Bucket=name)


def from_plans(envs: list[str], out: Path, root: Path | None = None) -> None:
    work = (root or ROOT) / ".hclgen"
    for env_name in envs:
        source = work / "plans" / env_name
        if not (source / "plan.json").is_file():
            sys.exit(f"no recorded plan for {env_name}: run `python main.py plan {env_name}` first")
        target = out / f"env-{env_name}"
        target.mkdir(parents=True, exist_ok=True)
        for name in ("plan.json", "plan.txt", "meta.json"):
            if (source / name).is_file():
                shutil.copyfile(source / name, target / name)
        sources = work / "sources" / f"{env_name}.json"
        if sources.is_file():
            shutil.copyfile(sources, target / "sources.json")
        print(f"copied {source} -> {target}")
    print("these fixtures feed tests/test_comment.py; regenerate its goldens with HCLGEN_UPDATE_GOLDENS=1")


def lifecycle(out: Path, root: Path | None = None) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import plan_lifecycle  # beside this script

    started = time.monotonic()
    try:
        recorded = plan_lifecycle.run(root or ROOT)
    except RuntimeError as err:
        sys.exit(str(err))
    for target in plan_lifecycle.write(recorded, out):
        print(f"wrote {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
    print(
        f"lifecycle took {time.monotonic() - started:.0f}s; these fixtures feed tests/test_comment.py: "
        "regenerate its goldens with HCLGEN_UPDATE_GOLDENS=1"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from-plans", nargs="+", metavar="ENV", help="copy recorded plans of these envs")
    parser.add_argument(
        "--lifecycle",
        action="store_true",
        help="plan environments/dev on the local AWS: create, no-op, update, replace, destroy",
    )
    parser.add_argument(
        "--root",
        type=Path,
        default=ROOT,
        help="project checkout holding .hclgen/ (--from-plans) or to copy (--lifecycle)",
    )
    parser.add_argument("--out", type=Path, default=OUT, help=f"fixture folder (default {OUT})")
    args = parser.parse_args(argv)
    if args.from_plans and args.lifecycle:
        parser.error("--from-plans and --lifecycle are separate modes")
    if args.lifecycle:
        lifecycle(args.out, args.root)
    elif args.from_plans:
        from_plans(args.from_plans, args.out, args.root)
    else:
        synthetic(args.out)


if __name__ == "__main__":
    main()
