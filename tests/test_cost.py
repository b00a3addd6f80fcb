"""Cost estimate: plan JSON -> priced lines whose arithmetic is re-derived from the price table."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.errors import UsageError
from generator.review.cost.estimate import EnvCost, env_cost, formula, money, plan_region
from generator.review.cost.free import FREE
from generator.review.cost.pricing import PRICES_FILE, load_prices, regions
from generator.review.cost.rules import RULES
from generator.review.cost.usage import Usage, load_usage, usage_from_mapping
from tests.conftest import ROOT

FIXTURES = Path(__file__).parent / "fixtures"
HOURS = 730


def fixture_cost(name: str, usage: Usage | None = None) -> EnvCost:
    plan = json.loads((FIXTURES / "plans" / name / "plan.json").read_text())
    return env_cost(name, plan, load_prices(plan_region(plan) or ""), usage or Usage())


def price(region: str, key: str) -> float:
    table = json.loads(PRICES_FILE.read_text())
    return float(table["regions"][region][key]["usd"])


def amounts(cost: EnvCost, address: str) -> dict[str, float]:
    return {line.key: line.amount for line in cost.after.lines if line.address == address}


def test_every_price_has_a_source_and_date_and_both_regions_price_the_same_things() -> None:
    table = json.loads(PRICES_FILE.read_text())
    assert {"ap-northeast-2", "us-east-1"} <= set(regions())
    keys = {region: set(prices) for region, prices in table["regions"].items()}
    assert keys["ap-northeast-2"] == keys["us-east-1"]
    for region, prices in table["regions"].items():
        for key, entry in prices.items():
            assert entry["usd"] > 0 and entry["unit"] and entry["source"] and entry["as_of"], (region, key)
            assert entry["method"] in ("manual", "offer-file"), (region, key)
    for needed in (
        "nat_gateway_hour",
        "nat_gateway_gb",
        "public_ipv4_hour",
        "alb_hour",
        "alb_lcu_hour",
        "fargate_vcpu_hour",
        "fargate_gb_hour",
        "rds_postgres_db.m7g.large_multi_az",
        "rds_storage_gp3",
        "rds_iops_gp3",
        "aurora_postgresql_db.r6g.large",
        "performance_insights_vcpu_month",
        "rds_proxy_vcpu_hour",
        "waf_web_acl_month",
        "waf_rule_month",
        "waf_million_requests",
        "cloudwatch_alarm_month",
        "cloudwatch_logs_ingest_gb",
        "cloudwatch_logs_storage_gb_month",
        "cloudwatch_dashboard_month",
        "secretsmanager_secret_month",
        "kms_key_month",
        "vpc_endpoint_interface_hour",
        "ecr_storage_gb_month",
        "s3_standard_gb_month",
    ):
        assert needed in keys["us-east-1"], needed


def test_an_unknown_region_is_a_one_line_error() -> None:
    with pytest.raises(UsageError, match="no prices for region eu-west-9 .*ap-northeast-2"):
        load_prices("eu-west-9")


def test_prod_costs_more_than_dev_for_nat_per_az_and_multi_az() -> None:
    dev, prod = fixture_cost("env-dev"), fixture_cost("env-prod")
    region = "ap-northeast-2"
    assert prod.after.total > dev.after.total
    nat_hours = lambda cost: [
        line for line in cost.after.lines if line.key == "hours" and "nat_gateway" in line.address
    ]  # noqa: E731
    assert len(nat_hours(dev)) == 1 and len(nat_hours(prod)) == 3
    assert sum(line.amount for line in nat_hours(prod)) == pytest.approx(3 * HOURS * price(region, "nat_gateway_hour"))
    assert amounts(dev, "aws_db_instance.this")["instance"] == pytest.approx(
        HOURS * price(region, "rds_postgres_db.t4g.micro")
    )
    assert amounts(prod, "aws_db_instance.this")["instance"] == pytest.approx(
        HOURS * price(region, "rds_postgres_db.m7g.large_multi_az")
    )
    assert amounts(prod, "aws_db_instance.this")["storage"] == pytest.approx(
        50 * price(region, "rds_storage_gp3_multi_az")
    )
    db = next(line for line in prod.after.lines if line.address == "aws_db_instance.this" and line.key == "instance")
    assert "Multi-AZ" in db.item


def test_autoscaled_service_shows_its_range_and_uses_the_average() -> None:
    prod = fixture_cost("env-prod", Usage(service_average_count={"aws_ecs_service.this": 3}))
    vcpu = next(line for line in prod.after.lines if line.address == "aws_ecs_service.this" and line.key == "vcpu")
    rate = price("ap-northeast-2", "fargate_vcpu_hour")
    assert (vcpu.quantity, vcpu.low, vcpu.high) == (3 * HOURS, 2 * HOURS, 6 * HOURS)  # 1 vCPU per task, 2-6 tasks
    assert (vcpu.low_amount, vcpu.high_amount) == pytest.approx((2 * HOURS * rate, 6 * HOURS * rate))
    assert "autoscaled 2–6" in vcpu.item and "(range $" in formula(vcpu)
    assert prod.after.low < prod.after.total < prod.after.high


def test_a_db_instance_class_change_is_exactly_one_changed_line() -> None:
    cost = fixture_cost("dev-resize")
    region = "ap-northeast-2"
    assert [(c.address, c.key) for c in cost.changes] == [("aws_db_instance.this", "instance")]
    change = cost.changes[0]
    assert change.before is not None and change.after is not None
    expected = HOURS * (price(region, "rds_postgres_db.t4g.small") - price(region, "rds_postgres_db.t4g.micro"))
    assert change.delta == pytest.approx(expected) and cost.delta == pytest.approx(expected)
    assert "db.t4g.micro" in change.before.item and "db.t4g.small" in change.after.item


def test_destroying_a_free_resource_changes_nothing_and_creating_counts_from_zero() -> None:
    destroy, create = fixture_cost("dev-destroy"), fixture_cost("dev-create")
    assert destroy.changes == () and destroy.delta == pytest.approx(0)
    assert create.before.total == 0 and create.delta == pytest.approx(create.after.total) and create.after.total > 50


def test_every_line_is_quantity_times_its_table_price_and_totals_add_up() -> None:
    for name in ("env-dev", "env-prod", "mixed", "create"):
        cost = fixture_cost(name)
        table = json.loads(PRICES_FILE.read_text())["regions"][cost.region]
        for line in (*cost.before.lines, *cost.after.lines):
            assert line.price.usd == table[line.price.key]["usd"]
            assert line.amount == pytest.approx(line.quantity * table[line.price.key]["usd"])
        assert cost.after.total == pytest.approx(sum(line.quantity * line.price.usd for line in cost.after.lines))


def test_unknown_types_are_listed_as_not_priced_never_zero() -> None:
    plan = {
        "format_version": "1.2",
        "resource_changes": [
            {
                "address": "aws_dynamodb_table.jobs",
                "type": "aws_dynamodb_table",
                "mode": "managed",
                "change": {"actions": ["create"], "before": None, "after": {"name": "jobs"}, "after_unknown": {}},
            },
            {
                "address": "aws_vpc.this",
                "type": "aws_vpc",
                "mode": "managed",
                "change": {"actions": ["create"], "before": None, "after": {}, "after_unknown": {}},
            },
        ],
    }
    cost = env_cost("x", plan, load_prices("us-east-1"), Usage())
    assert [(u.address, u.reason) for u in cost.unpriced] == [
        ("aws_dynamodb_table.jobs", "no price rule for this resource type")
    ]
    assert cost.after.lines == () and "aws_vpc" in FREE and "aws_dynamodb_table" not in RULES


def test_usage_file_validation_names_the_field(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="usage.toml: nat_gb_per_month must be a number >= 0"):
        usage_from_mapping({"nat_gb_per_month": -1}, "usage.toml")
    with pytest.raises(UsageError, match="unknown field 'nat_gb'"):
        usage_from_mapping({"nat_gb": 1}, "usage.toml")
    (tmp_path / "usage.toml").write_text('nat_gb_per_month = 7\n[service_average_count]\n"aws_ecs_service.x" = 2\n')
    usage, source = load_usage(tmp_path)
    assert usage.nat_gb_per_month == 7 and usage.service_average_count == {"aws_ecs_service.x": 2}
    assert source == tmp_path / "usage.toml" and load_usage(tmp_path / "missing") == (Usage(), None)
    assert load_usage(ROOT / "environments" / "prod")[0].service_average_count == {"aws_ecs_service.this": 3}


def test_money_keeps_its_sign() -> None:
    assert (money(1234.5), money(-2, signed=True), money(0.001, signed=True), money(3, signed=True)) == (
        "$1,234.50",
        "-$2.00",
        "±$0.00",
        "+$3.00",
    )


def test_cost_of_a_plan_file_shows_the_delta_and_changed_line(tmp_path: Path) -> None:
    folder = tmp_path / "resize"
    shutil.copytree(FIXTURES / "plans" / "dev-resize", folder)
    result = CliRunner().invoke(cli, ["cost", str(folder / "plan.json")])
    assert result.exit_code == 0, result.output
    assert "changed lines (before -> after):" in result.output
    assert "db.t4g.small Single-AZ instance hours" in result.output and "+$18.25" in result.output
    bad = CliRunner().invoke(cli, ["cost", str(tmp_path / "nope.json")])
    assert bad.exit_code == 64 and "does not exist" in bad.output


def _cli_json(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(cli, ["cost", *args, "--json"])
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


@pytest.mark.terraform
def test_cost_dev_and_prod_plan_offline_and_rederive_from_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(name, raising=False)
    table = json.loads(PRICES_FILE.read_text())["regions"]["ap-northeast-2"]
    out = {env: _cli_json(env) for env in ("dev", "prod")}
    for env, data in out.items():
        assert data["region"] == "ap-northeast-2" and data["before"] == 0 and data["error"] is None
        for line in data["lines"]:
            assert line["unit_price"] == table[line["price_key"]]["usd"]
            assert line["amount"] == pytest.approx(line["quantity"] * line["unit_price"], abs=1e-4)
        assert data["after"] == pytest.approx(
            sum(line["quantity"] * line["unit_price"] for line in data["lines"]), abs=1e-3
        )
        assert [u["address"] for u in data["unpriced"]] == ["aws_ecs_cluster.this"]  # Container Insights
        assert data["usage_file"] == f"environments/{env}/usage.toml"
    dev, prod = out["dev"], out["prod"]
    nat = lambda data: [l for l in data["lines"] if l["price_key"] == "nat_gateway_hour"]  # noqa: E731,E741
    assert len(nat(dev)) == 1 and len(nat(prod)) == 3
    assert {line["price_key"] for line in prod["lines"]} >= {
        "rds_postgres_db.m7g.large_multi_az",
        "rds_storage_gp3_multi_az",
    }
    assert "rds_postgres_db.t4g.micro" in {line["price_key"] for line in dev["lines"]}
    assert prod["after"] > dev["after"] and prod["after_low"] < prod["after"] < prod["after_high"]
    text = CliRunner().invoke(cli, ["cost", "prod"])
    assert "for the committed HCL (offline plan against empty state)" in text.output
    assert "db.m7g.large Multi-AZ instance hours" in text.output and "Not priced" in text.output


@pytest.mark.terraform
def test_other_modules_resource_types_are_priced_from_a_real_offline_plan(tmp_path: Path) -> None:
    from generator.terraform.offlineplan import offline_plan

    root = tmp_path / "project"
    source = root / "extras"
    source.mkdir(parents=True)
    shutil.copy2(FIXTURES / "cost" / "extras.tf", source / "main.tf")
    plan = offline_plan(root, "extras", source)
    cost = env_cost("extras", plan, load_prices("us-east-1"), Usage(requests_per_month=2_000_000))
    keys = {(line.address, line.price.key): line for line in cost.after.lines}
    region = "us-east-1"

    def amount(address: str, key: str) -> float:
        return keys[(address, key)].amount

    assert amount("aws_wafv2_web_acl.main", "waf_rule_month") == pytest.approx(2 * price(region, "waf_rule_month"))
    assert amount("aws_wafv2_web_acl.main", "waf_million_requests") == pytest.approx(
        2 * price(region, "waf_million_requests")
    )
    assert ("aws_wafv2_web_acl.main", "waf_web_acl_month") in keys
    assert ("aws_cloudwatch_metric_alarm.cpu", "cloudwatch_alarm_month") in keys
    assert ("aws_cloudwatch_metric_alarm.latency_fast", "cloudwatch_high_res_alarm_month") in keys
    assert ("aws_cloudwatch_composite_alarm.service", "cloudwatch_composite_alarm_month") in keys
    assert ("aws_cloudwatch_dashboard.main", "cloudwatch_dashboard_month") in keys
    assert amount("aws_rds_cluster_instance.writer", "aurora_postgresql_db.r6g.large") == pytest.approx(
        HOURS * price(region, "aurora_postgresql_db.r6g.large")
    )
    assert amount("aws_rds_cluster_instance.writer", "performance_insights_vcpu_month") == pytest.approx(
        2 * price(region, "performance_insights_vcpu_month")
    )
    assert ("aws_rds_cluster.aurora", "aurora_storage") in keys and (
        "aws_rds_cluster.aurora",
        "secretsmanager_secret_month",
    ) in keys
    assert amount("aws_db_proxy.app", "rds_proxy_vcpu_hour") == pytest.approx(
        2 * HOURS * price(region, "rds_proxy_vcpu_hour")
    )
    assert ("aws_flow_log.vpc", "cloudwatch_vended_logs_gb") in keys
    assert amount("aws_vpc_endpoint.ecr_api", "vpc_endpoint_interface_hour") == pytest.approx(
        2 * HOURS * price(region, "vpc_endpoint_interface_hour")
    )
    for address, key in (
        ("aws_s3_bucket.logs", "s3_standard_gb_month"),
        ("aws_kms_key.logs", "kms_key_month"),
        ("aws_secretsmanager_secret.api_key", "secretsmanager_secret_month"),
        ("aws_ssm_parameter.big", "ssm_advanced_parameter_month"),
    ):
        assert (address, key) in keys
    assert ("aws_sqs_queue.jobs", "sqs_standard_million_requests") in keys  # per request (usage.toml)
    assert [u.address for u in cost.unpriced] == []


def test_free_tier_is_a_separate_line_never_deducted() -> None:
    from generator.review.cost.freetier import free_tier
    from generator.review.cost.report import report_lines

    plan = json.loads((Path(__file__).parent / "fixtures" / "plans" / "dev-create" / "plan.json").read_text())
    cost = env_cost("dev", plan, load_prices("ap-northeast-2"), Usage())
    logs = sum(line.quantity for line in cost.after.lines if line.price.key == "cloudwatch_logs_ingest_gb")
    found = dict(free_tier(cost.after.lines))
    assert logs and found["5 GB of log ingestion"] == pytest.approx(min(5, logs) * 0.76)  # Seoul's ingestion price
    lines = report_lines(cost, whole_env=True)
    total = next(i for i, line in enumerate(lines) if line.lstrip().startswith("total "))
    assert lines[total + 1].lstrip().startswith("free tier (per account, not deducted)")
    assert f"-${sum(found.values()):.2f}" in lines[total + 1]
    assert cost.after.total == pytest.approx(sum(line.amount for line in cost.after.lines))  # not deducted


def test_cost_json_has_the_free_tier_as_its_own_field_never_in_the_totals() -> None:
    from generator.review.cost.freetier import savings

    folder = Path(__file__).parent / "fixtures" / "plans" / "dev-create"
    doc = _cli_json(str(folder / "plan.json"))
    free = doc["free_tier"]
    assert free["kind"] == "always-free" and free["per"] == "account" and free["deducted"] is False
    by_key = {item["price_key"]: item for item in free["allowances"]}
    logs = sum(line["quantity"] for line in doc["lines"] if line["price_key"] == "cloudwatch_logs_ingest_gb")
    assert logs and by_key["cloudwatch_logs_ingest_gb"]["covered_quantity"] == pytest.approx(min(5, logs))
    assert by_key["cloudwatch_logs_ingest_gb"]["usd"] == pytest.approx(min(5, logs) * 0.76)  # Seoul's price
    assert free["usd"] == pytest.approx(sum(item["usd"] for item in free["allowances"]), abs=1e-3) and free["usd"] > 0
    assert doc["after"] == pytest.approx(sum(line["amount"] for line in doc["lines"]), abs=1e-3)  # not subtracted
    plan = json.loads((folder / "plan.json").read_text())
    cost = env_cost("dev", plan, load_prices("ap-northeast-2"), Usage())
    assert len(free["allowances"]) == len(savings(cost.after.lines))
