"""convert of a 2,000-resource Terraform JSON: wall time and peak memory, printed beside the targets.

    python benchmarks/convert_bench.py            # 5 counted runs after one warm-up
    python benchmarks/convert_bench.py --runs 7

The configuration is generated (deterministic): a cdktf-shaped cdk.tf.json with construct
metadata, count/for_each, lifecycle, jsonencode policies, nested blocks, tags and outputs, 2,000
resources in all. Each run is a fresh `python main.py convert` into a new folder.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks import measure  # noqa: E402

RESOURCES = 2000
TARGET_SECONDS = 2.0
TARGET_MIB = 300.0


def configuration(resources: int = RESOURCES) -> dict[str, Any]:
    """A cdktf-shaped stack: per service a queue, a role with its policy, a bucket and a security group."""
    resource: dict[str, dict[str, Any]] = {}
    outputs: dict[str, Any] = {}
    for index in range(resources // 4):
        service = f"svc{index:04d}"
        meta = {"//": {"metadata": {"path": f"app/{service}/x", "uniqueId": service}}}
        resource.setdefault("aws_sqs_queue", {})[service] = {
            **meta,
            "name": f"{service}-${{var.env}}",
            "visibility_timeout_seconds": 60,
            "tags": {"Service": service, "Env": "${var.env}"},
        }
        policy = {
            "Statement": [
                {"Action": ["sqs:ReceiveMessage"], "Effect": "Allow", "Resource": f"${{aws_sqs_queue.{service}.arn}}"}
            ],
            "Version": "2012-10-17",
        }
        resource.setdefault("aws_iam_role", {})[service] = {
            **meta,
            "name": service,
            "assume_role_policy": json.dumps(policy, sort_keys=True, separators=(",", ":")),
            "lifecycle": {"create_before_destroy": True, "ignore_changes": ["tags"]},
        }
        resource.setdefault("aws_s3_bucket", {})[service] = {
            **meta,
            "for_each": '${toset(["a", "b"])}',
            "bucket": f"acme-{service}-${{each.key}}",
            "tags": {"Name": "${each.value}"},
        }
        resource.setdefault("aws_security_group", {})[service] = {
            **meta,
            "name": service,
            "ingress": [
                {
                    "from_port": 443,
                    "to_port": 443,
                    "protocol": "tcp",
                    "cidr_blocks": ["10.0.0.0/8"],
                    "description": "https",
                    "ipv6_cidr_blocks": [],
                    "prefix_list_ids": [],
                    "security_groups": [],
                    "self": False,
                }
            ],
            "timeouts": {"create": "5m"},
        }
        outputs[f"{service}_url"] = {"value": f"${{aws_sqs_queue.{service}.url}}"}
    return {
        "//": {"metadata": {"stackName": "app", "version": "0.20.12"}},
        "terraform": {
            "required_providers": {"aws": {"source": "aws", "version": "~> 5.99"}},
            "backend": {"s3": {"bucket": "state", "key": "app.tfstate", "region": "us-east-1"}},
        },
        "provider": {"aws": [{"region": "us-east-1"}]},
        "variable": {"env": {"type": "string", "default": "dev"}},
        "resource": resource,
        "output": outputs,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        source = work / "cdk.tf.json"
        document = configuration()
        source.write_text(json.dumps(document, indent=2))
        count = sum(len(named) for named in document["resource"].values())
        counter = iter(range(10_000))
        cpu: list[float] = []

        def convert() -> measure.Run:
            out = work / f"out{next(counter)}"
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            run = measure.run(
                [sys.executable, str(ROOT / "main.py"), "convert", str(source), "--out", str(out)], cwd=work
            )
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            return run

        series = measure.interleaved({"convert": convert}, args.runs)["convert"]
        counted = cpu[-len(series.runs) :]
        print(
            f"convert, {count} resources ({source.stat().st_size / 1e6:.1f} MB JSON): "
            f"{series.spread()}   target < {TARGET_SECONDS:.0f} s"
        )
        print(
            f"convert, CPU (user+sys): {statistics.median(counted):6.2f} s ({min(counted):.2f}-{max(counted):.2f})"
            f"   (wall minus waiting for a busy machine; load now {os.getloadavg()[0]:.1f})"
        )
        print(f"convert, peak RSS: {series.peak().peak_mib:6.0f} MiB   target < {TARGET_MIB:.0f} MB")


if __name__ == "__main__":
    main()
