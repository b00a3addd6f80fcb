"""Real `terraform show -json` plans for the review model's drift / output / check / JSON-string cases.

Runs terraform 1.11 and the real AWS provider (from HCLGEN_PLUGIN_MIRROR) against a throwaway
local AWS (moto, via generator.localaws.launcher) on a small hand-written configuration
(tests/fixtures/review/config/*.tf), and keeps each plan as tests/fixtures/review/<name>.json:

  update        after apply, boto3 changes things outside terraform (a security group rule, an
                IAM policy version), and the configuration changes an env var in a container
                definition, widens the IAM policy, swaps one ingress CIDR and an output:
                updates + drift + output changes + a failing `check` block
  refresh-only  `plan -refresh-only` with the applied configuration: drift and an output only
  errored       a failing resource precondition: the plan errors (errored: true)

    HCLGEN_PLUGIN_MIRROR=/path/to/mirror .venv/bin/python scripts/plan_review_fixtures.py
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import boto3

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from generator.terraform.cliconfig import MIRROR_ENV_VAR, cli_config_text  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "review"
CONFIG = OUT / "config"
REGION = "us-east-1"


def _server(tmp: Path) -> tuple[subprocess.Popen[bytes], str]:
    port_file = tmp / "port"
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator.localaws.launcher", "--port-file", str(port_file)], cwd=ROOT
    )
    for _ in range(300):
        if port_file.is_file():
            return proc, f"http://127.0.0.1:{port_file.read_text().strip()}"
        time.sleep(0.1)
    proc.terminate()
    raise SystemExit("local AWS did not start")


def _tf(work: Path, env: dict[str, str], *args: str, check: bool = True) -> None:
    subprocess.run(["terraform", *args, "-input=false", "-no-color"], cwd=work, env=env, check=check)


def _show(work: Path, env: dict[str, str], name: str, endpoint: str) -> None:
    raw = subprocess.run(
        ["terraform", "show", "-json", "plan.bin"], cwd=work, env=env, check=True, capture_output=True, text=True
    ).stdout
    text = raw.replace(endpoint, "http://127.0.0.1:5000").replace(str(work), "/work")
    (OUT / f"{name}.json").write_text(json.dumps(json.loads(text), indent=1, sort_keys=True) + "\n")


def main() -> None:
    mirror = os.environ[MIRROR_ENV_VAR]
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        proc, endpoint = _server(tmp)
        try:
            work = tmp / "work"
            work.mkdir()
            shutil.copy(CONFIG / "main.tf", work / "main.tf")
            (tmp / "terraform.rc").write_text(cli_config_text(mirror))
            env = {
                **os.environ,
                "TF_CLI_CONFIG_FILE": str(tmp / "terraform.rc"),
                "TF_VAR_endpoint": endpoint,
                "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing",
            }
            _tf(work, env, "init")
            _tf(work, env, "apply", "-auto-approve")
            client = {
                "endpoint_url": endpoint,
                "region_name": REGION,
                "aws_access_key_id": "testing",
                "aws_secret_access_key": "testing",
            }
            ec2 = boto3.client("ec2", **client)
            group = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": ["review-web"]}])
            ec2.authorize_security_group_ingress(
                GroupId=group["SecurityGroups"][0]["GroupId"],
                IpPermissions=[
                    {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
                ],
            )
            iam = boto3.client("iam", **client)
            arn = next(
                p["Arn"] for p in iam.list_policies(Scope="Local")["Policies"] if p["PolicyName"] == "review-read"
            )
            iam.create_policy_version(
                PolicyArn=arn,
                SetAsDefault=True,
                PolicyDocument=json.dumps(
                    {
                        "Version": "2012-10-17",
                        "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:*"], "Resource": "*"}],
                    }
                ),
            )
            _tf(work, env, "plan", "-refresh-only", "-out=plan.bin", "-var=greeting=hello again")
            _show(work, env, "refresh-only", endpoint)
            shutil.copy(CONFIG / "changed.tf.txt", work / "main.tf")
            _tf(work, env, "plan", "-out=plan.bin")
            _show(work, env, "update", endpoint)
            _tf(work, env, "plan", "-out=plan.bin", "-var=allow_errors=false", check=False)
            _show(work, env, "errored", endpoint)
        finally:
            proc.terminate()
            proc.wait()


if __name__ == "__main__":
    main()
