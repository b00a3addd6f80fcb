"""services= and the resources they use: bad inputs (one line naming the field and the fix), and the HCL.

The bad-input cases build the input dataclasses in-process (no cdktf); one case goes through the CLI to
show the line a user sees. The HCL checks render both new examples once per module.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.errors import InputError
from modules.alarms import AlarmInputs
from modules.queue import QueueInputs
from modules.redis import CacheInputs
from modules.services import ServiceInputs
from modules.stack import StackInputs
from modules.uploads import UploadsInputs
from modules.vpc import VpcInputs
from scripts.projectcopy import copy_project
from tests.conftest import ROOT

WEB = {"name": "api", "role": "web", "paths": ("/api/*",)}


def _worker(**extra: Any) -> ServiceInputs:
    return ServiceInputs(**{"name": "worker", "role": "worker", **extra})


BAD: list[tuple[str, Callable[[], object], str, str]] = [
    (
        "unknown-queue",
        lambda: StackInputs(services=(_worker(consumes=("jobs",)),)),
        "services[worker].consumes",
        "add it to queues=",
    ),
    (
        "unknown-cache",
        lambda: StackInputs(services=(_worker(caches=("redis",)),)),
        "services[worker].caches",
        "add it to caches=",
    ),
    (
        "unknown-bucket",
        lambda: StackInputs(services=(_worker(buckets=("images",)),)),
        "services[worker].buckets",
        "add it to buckets=",
    ),
    (
        "unknown-service-on-queue",
        lambda: StackInputs(queues={"jobs": QueueInputs(consumers=("wrker",))}),
        "queues[jobs].consumers",
        "add it to services=",
    ),
    (
        "overlapping-rules",
        lambda: StackInputs(
            services=(ServiceInputs(**WEB), ServiceInputs(name="api2", role="web", paths=("/api/v2/*",)))
        ),
        "services[api2].paths",
        "distinct hosts= or paths=",
    ),
    (
        "same-host-any-path",
        lambda: StackInputs(
            services=(
                ServiceInputs(name="a", role="web", hosts=("a.example.com",)),
                ServiceInputs(name="b", role="web", hosts=("a.example.com",), paths=("/b/*",)),
            )
        ),
        "services[b].paths",
        "overlap",
    ),
    ("worker-port", lambda: _worker(port=8000), "services[worker].port", "drop port="),
    (
        "worker-health-path",
        lambda: _worker(health_check_path="/health"),
        "services[worker].health_check_path",
        "container_health_check=",
    ),
    (
        "visibility-shorter",
        lambda: StackInputs(
            queues={"jobs": QueueInputs(visibility_timeout=30)},
            services=(_worker(consumes=("jobs",), timeout_seconds=120),),
        ),
        "queues[jobs].visibility_timeout",
        "visibility_timeout >= 120",
    ),
    (
        "visibility-shorter-queue-side",
        lambda: StackInputs(
            queues={"jobs": QueueInputs(visibility_timeout=30, consumers=("worker",))},
            services=(_worker(timeout_seconds=60),),
        ),
        "queues[jobs].visibility_timeout",
        ">= 60",
    ),
    ("cache-without-private-subnets", lambda: CacheInputs().check_network([], 0), "subnet_tier", "private"),
    ("web-without-rules", lambda: ServiceInputs(name="api", role="web"), "services[api].hosts", "paths="),
    (
        "internal-without-callers",
        lambda: ServiceInputs(name="ai", role="internal"),
        "services[ai].reachable_from",
        "reachable_from=(",
    ),
    (
        "unknown-caller",
        lambda: StackInputs(services=(ServiceInputs(name="ai", role="internal", reachable_from=("web",)),)),
        "services[ai].reachable_from",
        "no service named 'web'",
    ),
    ("singleton-scaled", lambda: _worker(singleton=True, max_capacity=3), "services[worker].singleton", "exactly one"),
    ("queue-scaling-without-queue", lambda: _worker(scale_on="queue_depth"), "services[worker].scale_on", "consumes="),
    ("bad-schedule", lambda: _worker(schedule="every day"), "services[worker].schedule", "cron("),
    ("reserved-name", lambda: ServiceInputs(name="app", role="worker"), "services[app].name", "choose another"),
    ("duplicate-name", lambda: StackInputs(services=(_worker(), _worker())), "services[worker].name", "its own"),
    ("web-schedule", lambda: ServiceInputs(**WEB, schedule="rate(1 hour)"), "services[api].schedule", "role='worker'"),
]


@pytest.mark.parametrize(("case", "make", "field", "fix"), BAD, ids=[case[0] for case in BAD])
def test_bad_input_names_the_field_and_the_fix(case: str, make: Callable[[], object], field: str, fix: str) -> None:
    with pytest.raises(InputError) as caught:
        make()
    message = str(caught.value)
    assert caught.value.field == field and fix in message and "\n" not in message, message


def test_cli_prints_one_line_for_a_bad_service(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    config = root / "environments" / "dev" / "config.py"
    text = config.read_text().replace(
        "from modules.vpc import VpcInputs\n",
        "from modules.vpc import VpcInputs\nfrom modules.services import ServiceInputs\n",
    )
    config.write_text(
        text.replace(
            "        params=ParamsInputs(",
            "        services=(ServiceInputs(name='worker', role='worker', port=9000),),\n        params=ParamsInputs(",
        )
    )
    result = subprocess.run(
        [sys.executable, str(root / "main.py"), "synth", "dev"],
        cwd=root,
        capture_output=True,
        text=True,
        env={"HCLGEN_ROOT": str(root), "PATH": "/usr/bin:/bin"},
        timeout=300,
    )
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert result.returncode == 64 and len(lines) == 1, lines
    assert "services[worker].port" in lines[0] and "drop port=" in lines[0]


def test_good_inputs_pass() -> None:
    stack = StackInputs(
        vpc=VpcInputs(az_count=2),
        queues={"jobs": QueueInputs(visibility_timeout=600)},
        uploads={"images": UploadsInputs(uploaders=("app",))},
        caches={"broker": CacheInputs(users=("worker",))},
        services=(
            ServiceInputs(**WEB),
            ServiceInputs(name="admin", role="web", hosts=("admin.example.com",), paths=("/admin/*",)),
            _worker(consumes=("jobs",), timeout_seconds=600, scale_on="queue_age"),
            ServiceInputs(name="ai", role="internal", reachable_from=("app", "worker")),
        ),
        alarms=AlarmInputs(),
    )
    assert stack.repositories == ("app", "api", "admin", "worker", "ai")


# --- the examples' HCL (one render of both per module) -------------------------------------------------------

EXAMPLES = ("queue-worker", "web-worker-cache")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    from generator.render import pipeline

    root = copy_project(tmp_path_factory.mktemp("services") / "project")
    for name in EXAMPLES:
        shutil.copytree(ROOT / "examples" / name, root / "environments" / name)
    return {
        item.env: {name: text for name, text in item.files.items() if name.endswith(".tf")}
        for item in pipeline.render(root, list(EXAMPLES))
    }


def _block(text: str, kind: str, name: str) -> str:
    match = re.search(rf'^resource "{kind}" "{name}" {{\n.*?^}}\n', text, re.MULTILINE | re.DOTALL)
    assert match, f"no {kind}.{name}"
    return match.group(0)


def test_web_service_has_its_own_target_group_and_rule(files: dict[str, dict[str, str]]) -> None:
    api = files["web-worker-cache"]["service_api.tf"]
    rule = _block(api, "aws_lb_listener_rule", "api")
    assert "listener_arn = aws_lb_listener.http.arn" in rule and '"/api/*"' in rule and "priority     = 100" in rule
    assert "target_group_arn = aws_lb_target_group.api.arn" in rule
    assert re.search(r'path +=  ?"/api/health"', _block(api, "aws_lb_target_group", "api"))
    ingress = _block(api, "aws_vpc_security_group_ingress_rule", "api_from_alb")
    assert "referenced_security_group_id = aws_security_group.alb.id" in ingress
    assert "aws_lb_target_group.api.arn" in _block(api, "aws_ecs_service", "api")


def test_internal_service_admits_only_its_callers(files: dict[str, dict[str, str]]) -> None:
    text = files["web-worker-cache"]["service_inference.tf"]
    rules = re.findall(r'resource "aws_vpc_security_group_ingress_rule" "(\w+)"', text)
    assert sorted(rules) == ["inference_from_app", "inference_from_worker"]
    assert "aws_security_group.service.id" in _block(text, "aws_vpc_security_group_ingress_rule", "inference_from_app")
    assert "aws_service_discovery_service.inference.arn" in _block(text, "aws_ecs_service", "inference")
    assert "load_balancer" not in _block(text, "aws_ecs_service", "inference")
    assert "http://inference.annyang-web-worker-cache.internal:8080" in files["web-worker-cache"]["ecs.tf"]


def test_worker_beat_and_scheduled_task(files: dict[str, dict[str, str]]) -> None:
    env = files["web-worker-cache"]
    worker = env["service_worker.tf"]
    assert "portMappings" not in worker and "load_balancer" not in worker
    assert "aws_elasticache_replication_group.broker.primary_endpoint_address" in worker
    assert '"elasticache:Connect"' in worker
    beat = _block(env["service_beat.tf"], "aws_ecs_service", "beat")
    assert "deployment_maximum_percent         = 100" in beat and "deployment_minimum_healthy_percent = 0" in beat
    assert "aws_appautoscaling_target" not in env["service_beat.tf"]
    cleanup = env["service_cleanup.tf"]
    assert "aws_ecs_service" not in cleanup
    assert 'schedule_expression = "cron(0 18 * * ? *)"' in cleanup
    assert "aws_ecs_task_definition.cleanup.arn_without_revision" in _block(
        cleanup, "aws_cloudwatch_event_target", "cleanup"
    )


def test_queue_worker_grants_exactly_its_queue_and_bucket(files: dict[str, dict[str, str]]) -> None:
    env = files["queue-worker"]
    policy = _block(env["service_worker.tf"], "aws_iam_role_policy", "worker_task")
    assert "aws_sqs_queue.images.arn" in policy and '"sqs:ReceiveMessage"' in policy
    assert '"sqs:SendMessage"' not in policy  # the worker consumes; the API server sends
    assert '"${aws_s3_bucket.images.arn}/*"' in policy
    app = _block(env["iam.tf"], "aws_iam_role_policy", "task_resources")
    assert '"sqs:SendMessage"' in app and '"${aws_s3_bucket.images.arn}/uploads/*"' in app
    assert '"sqs:ReceiveMessage"' not in app
    scaling = _block(env["service_worker.tf"], "aws_appautoscaling_policy", "worker")
    assert "ApproximateNumberOfMessagesVisible" in scaling and "aws_sqs_queue.images.name" in scaling


def test_alarm_table(files: dict[str, dict[str, str]]) -> None:
    rows = {(env, *row) for env, texts in files.items() for text in texts.values() for row in _alarm_rows(text)}
    qw, wwc = "queue-worker", "web-worker-cache"
    expected = {
        (qw, "ecs_cpu", "GreaterThanOrEqualToThreshold", "80", "60", "5"),
        (qw, "worker_cpu", "GreaterThanOrEqualToThreshold", "80", "60", "5"),
        (qw, "worker_memory", "GreaterThanOrEqualToThreshold", "80", "60", "5"),
        (qw, "alb_5xx_ratio", "GreaterThanOrEqualToThreshold", "3", "60", "1"),
        (qw, "alb_4xx_ratio", "GreaterThanOrEqualToThreshold", "10", "60", "5"),
        (qw, "images_age", "GreaterThanOrEqualToThreshold", "600", "60", "15"),
        (qw, "images_dlq_depth", "GreaterThanThreshold", "0", "60", "1"),
        (qw, "api_5xx_ratio", "GreaterThanOrEqualToThreshold", "5", "60", "3"),
        (qw, "api_latency_p90", "GreaterThanOrEqualToThreshold", "2500", "60", "5"),
        (qw, "api_integration_latency_p90", "GreaterThanOrEqualToThreshold", "2000", "60", "5"),
        (
            qw,
            "rds_free_storage",
            "LessThanThreshold",
            "((aws_db_instance.this.allocated_storage * 10737418240) / 100)",
            "60",
            "5",
        ),
        (qw, "rds_connections", "GreaterThanThreshold", "405", "60", "5"),
        (qw, "slow_queries", "GreaterThanThreshold", "0", "60", "1"),
        (wwc, "broker_cache_cpu", "GreaterThanOrEqualToThreshold", "80", "60", "5"),
        (wwc, "broker_cache_memory", "GreaterThanOrEqualToThreshold", "80", "60", "5"),
        (wwc, "broker_cache_evictions", "GreaterThanOrEqualToThreshold", "1", "60", "5"),
        (wwc, "inference_memory", "GreaterThanOrEqualToThreshold", "80", "60", "5"),
    }
    assert expected <= rows, sorted(expected - rows)
    assert not any(row[1].startswith("cleanup") for row in rows)  # a scheduled task has no service to watch
    assert (
        '[date, time, session, label=\\"duration:\\", duration>=3000, unit=\\"ms\\", ...]'
        in files[qw]["resource_alarms.tf"]
    )


def _alarm_rows(text: str) -> list[tuple[str, str, str, str, str]]:
    rows = []
    for match in re.finditer(
        r'^resource "aws_cloudwatch_metric_alarm" "(\w+)" \{\n(.*?)^\}\n', text, re.MULTILINE | re.DOTALL
    ):
        body = match.group(2)

        def value(key: str, body: str = body) -> str:
            found = re.search(rf"^  {key} += (.+)$", body, re.MULTILINE)
            return found.group(1).strip('"') if found else ""

        period = value("period") or re.findall(r"period += (\d+)", body)[0]
        rows.append(
            (match.group(1), value("comparison_operator"), value("threshold"), period, value("evaluation_periods"))
        )
    return rows


@pytest.mark.terraform
@pytest.mark.parametrize("env", EXAMPLES)
def test_cost_prices_every_new_type_in_both_regions(env: str, files: dict[str, dict[str, str]], tmp_path: Path) -> None:
    from generator.review.cost.estimate import env_cost
    from generator.review.cost.pricing import load_prices
    from generator.review.cost.usage import Usage
    from generator.terraform.offlineplan import offline_plan

    source = tmp_path / "hcl"
    source.mkdir()
    for name, text in files[env].items():
        (source / name).write_text(text)
    shutil.copy2(ROOT / "examples" / env / ".terraform.lock.hcl", source / ".terraform.lock.hcl")
    plan = offline_plan(tmp_path / "project", env, source)
    new_types = {
        "aws_sqs_queue",
        "aws_apigatewayv2_api",
        "aws_elasticache_replication_group",
        "aws_service_discovery_private_dns_namespace",
        "aws_service_discovery_service",
    }
    for region in ("us-east-1", "ap-northeast-2"):
        cost = env_cost(env, plan, load_prices(region), Usage())
        unpriced = {(item.address, item.reason) for item in cost.after.unpriced}
        assert unpriced <= {
            (
                "aws_ecs_cluster.this",
                "Container Insights metrics are billed per metric, which the price table does not cover",
            )
        }, unpriced
        priced = {line.address.split(".")[0] for line in cost.after.lines}
        assert new_types & {rc["type"] for rc in plan["resource_changes"]} <= priced
        assert {line.address for line in cost.after.lines} >= {
            "aws_ecs_service.this",
            *(
                ["aws_ecs_service.worker", "aws_sqs_queue.images", "aws_apigatewayv2_api.api"]
                if env == "queue-worker"
                else ["aws_ecs_service.inference", "aws_elasticache_replication_group.broker"]
            ),
        }
