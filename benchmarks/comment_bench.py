"""Render time and length of the plan comment for a generated 5,000-resource plan.

    .venv/bin/python benchmarks/comment_bench.py [RESOURCES]

`synthetic_plan()` is also the size test's input (tests/test_comment_size.py); bench() returns
the numbers for benchmarks/bench.py.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.plan.model import PlanReport, env_plan  # noqa: E402
from generator.review.comment.markup import size  # noqa: E402
from generator.review.comment.render import render_comment  # noqa: E402

TARGET_SECONDS = 2.0
# (share of resources, terraform actions, resource type): destroys and replaces hit stateful types.
MIX: tuple[tuple[int, list[str], str], ...] = (
    (76, ["create"], "aws_security_group_rule"),
    (14, ["update"], "aws_iam_role_policy"),
    (3, ["delete", "create"], "aws_db_instance"),
    (2, ["create", "delete"], "aws_lb_target_group"),
    (3, ["delete"], "aws_s3_bucket"),
    (2, ["delete"], "aws_cloudwatch_metric_alarm"),
)


def _values(i: int, version: int) -> dict[str, Any]:
    return {
        "id": f"id-{i:05d}",
        "name": f"svc-{i:05d}",
        "description": f"resource {i} of the bench plan",
        "port": 8000 + version,
        "protocol": "tcp",
        "cidr_blocks": [f"10.{i % 250}.0.0/16"],
        "tags": {"Service": f"svc-{i % 40}", "Revision": f"r{version}"},
        "password": f"secret-{i}",
    }


def _change(i: int, actions: list[str], kind: str) -> dict[str, Any]:
    before = None if actions == ["create"] else _values(i, 1)
    after = None if actions == ["delete"] else _values(i, 2)
    unknown = {"id": True} if after is not None and "create" in actions else {}
    change: dict[str, Any] = {
        "actions": actions,
        "before": before,
        "after": after,
        "after_unknown": unknown,
        "before_sensitive": {"password": True} if before else False,
        "after_sensitive": {"password": True} if after else False,
    }
    if "delete" in actions and "create" in actions:
        change["replace_paths"] = [["port"]]
    module = f"module.svc_{i % 25}"
    return {
        "address": f"{module}.{kind}.r{i}",
        "module_address": module,
        "mode": "managed",
        "type": kind,
        "name": f"r{i}",
        "change": change,
    }


def synthetic_plan(resources: int = 5000) -> dict[str, Any]:
    """A `terraform show -json`-shaped plan with a fixed mix of actions (deterministic)."""
    slots = [(actions, kind) for share, actions, kind in MIX for _ in range(share)]
    changes = [_change(i, *slots[i % len(slots)]) for i in range(resources)]
    return {
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "resource_changes": changes,
        "configuration": {"root_module": {}},
        "errored": False,
    }


def synthetic_sources(plan: dict[str, Any]) -> dict[str, str]:
    return {
        rc["address"]: f"modules/{rc['type'].removeprefix('aws_')}.py:{10 + n % 200}"
        for n, rc in enumerate(plan["resource_changes"])
    }


def bench(resources: int = 5000) -> dict[str, float]:
    """Seconds to build the model and render the comment, and the comment's length."""
    plan = synthetic_plan(resources)
    sources = synthetic_sources(plan)
    start = time.perf_counter()
    report = PlanReport((env_plan("prod", plan, sources),))
    modelled = time.perf_counter()
    text = render_comment(report, artifacts_url="https://github.com/o/r/actions/runs/1")
    done = time.perf_counter()
    return {
        "resources": resources,
        "model_seconds": modelled - start,
        "render_seconds": done - modelled,
        "total_seconds": done - start,
        "chars": size(text),
    }


def main(resources: int = 5000) -> None:
    result = bench(resources)
    verdict = "ok" if result["total_seconds"] <= TARGET_SECONDS else f"SLOW (target {TARGET_SECONDS}s)"
    print(
        f"plan comment, {resources} resources: model {result['model_seconds']:.3f}s, "
        f"render {result['render_seconds']:.3f}s, total {result['total_seconds']:.3f}s ({verdict}); "
        f"{int(result['chars']):,} chars"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
