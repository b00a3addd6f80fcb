"""dev's and prod's monthly cost recomputed by hand from prices.json: quantities worked out here from
the env's config and usage.toml (hours in a month, tasks x vCPU, GB x retention...), unit prices read
straight from the table, and the sum compared with what `cost` computes from a real offline plan.

A rule that counts something twice (flow logs once as vended logs and again as log ingestion) or a
price row that changes shows up here as a different total."""

from __future__ import annotations

import json

import pytest

from generator.review.cost.pricing import PRICES_FILE
from tests.conftest import ROOT

H = 730  # hours in a month, as the table says
AZS = 3

DEV = [  # (table key, quantity)
    ("nat_gateway_hour", H),
    ("nat_gateway_gb", 30),
    ("rds_postgres_db.t4g.micro", H),
    ("rds_storage_gp3", 20),
    ("secretsmanager_secret_month", 1),
    ("alb_hour", H),
    ("public_ipv4_hour", AZS * H),
    ("public_ipv4_hour", H),  # the ALB's per AZ, the NAT's EIP
    ("alb_lcu_hour", 500_000 / (H * 3600) / 25 * H),  # 25 new connections/s per LCU beats 5 GB/month
    ("fargate_vcpu_hour", 1 * 0.25 * H),
    ("fargate_gb_hour", 1 * 0.5 * H),
    ("cloudwatch_dashboard_month", 1),
    ("cloudwatch_logs_ingest_gb", 2),
    ("cloudwatch_logs_storage_gb_month", 2 * 14 / 30),
    ("kms_key_month", 1),
    ("ecr_storage_gb_month", 5),
    ("cloudwatch_alarm_month", 3 + 3 + 2 + 6),  # the 5xx and 4xx ratios have 3 metrics, running tasks 2, six have 1
]
PROD = [
    ("rds_postgres_db.m7g.large_multi_az", H),
    ("rds_storage_gp3_multi_az", 50),
    ("secretsmanager_secret_month", 1),
    ("fargate_vcpu_hour", 3 * 1 * H),
    ("fargate_gb_hour", 3 * 2 * H),  # 3 tasks on average (usage.toml)
    ("nat_gateway_hour", AZS * H),
    ("nat_gateway_gb", 300),
    ("public_ipv4_hour", AZS * H),  # EIPs
    ("alb_hour", H),
    ("public_ipv4_hour", AZS * H),
    ("alb_lcu_hour", 30_000_000 / (H * 3600) / 25 * H),
    ("waf_web_acl_month", 1),
    ("waf_rule_month", 7),
    ("waf_million_requests", 30),
    ("cloudwatch_logs_ingest_gb", 20 * 2),  # the service's and the WAF's log groups
    ("cloudwatch_logs_storage_gb_month", 20 * 90 / 30 + 20 * 365 / 30),
    ("cloudwatch_vended_logs_gb", 10),  # flow logs: delivered once, as vended logs...
    ("cloudwatch_logs_storage_gb_month", 10 * 365 / 30),  # ...and kept a year, with no second ingestion
    ("cloudwatch_dashboard_month", 1),
    ("kms_key_month", 1),
    ("ecr_storage_gb_month", 25),
    ("s3_standard_gb_month", 10),
    ("cloudwatch_alarm_month", 3 + 3 + 2 + 6),
]


@pytest.mark.terraform
@pytest.mark.parametrize(("env", "by_hand"), [("dev", DEV), ("prod", PROD)])
def test_the_monthly_cost_is_the_table_times_quantities_worked_out_by_hand(env: str, by_hand: list) -> None:
    from generator.review.cost.report import estimate
    from generator.terraform.offlineplan import offline_plan

    cost = estimate(env, offline_plan(ROOT, env, ROOT / "environments" / env))
    table = json.loads(PRICES_FILE.read_text())["regions"][cost.region]
    expected = sum(quantity * table[key]["usd"] for key, quantity in by_hand)
    computed = cost.after
    assert round(computed.total, 2) == round(expected, 2), "\n".join(
        f"{line.address} {line.item}: {line.quantity:g} x {line.price.usd}" for line in computed.lines
    )
