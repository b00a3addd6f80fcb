"""The production layer: thresholds, derived limits, WAF rules, HTTPS, logs, and each part as one switch."""

from __future__ import annotations

from pathlib import Path

import hcl2
import pytest

from generator.errors import ConfigError, InputError
from generator.render.project import load
from modules.alarms import AlarmInputs, postgres_max_connections
from modules.alb import AlbInputs
from modules.dns import DnsInputs
from modules.logs import LogsInputs
from modules.notifications import NotificationInputs, SlackChannel
from modules.rds import RdsInputs
from modules.waf import WafInputs
from tests.support.configs import CONFIG
from tests.support.configs import write_config as _write_config


def _files(rendered: list, env: str) -> dict[str, str]:
    return next(item for item in rendered if item.env == env).files


def _unquote(value: object) -> object:
    """python-hcl2 keeps the quotes of string literals and labels; drop them."""
    if isinstance(value, str):
        return value[1:-1] if len(value) > 1 and value[0] == value[-1] == '"' else value
    if isinstance(value, list):
        return [_unquote(item) for item in value]
    if isinstance(value, dict):
        return {str(_unquote(key)): _unquote(item) for key, item in value.items() if key != "__is_block__"}
    return value


def _resources(text: str, kind: str) -> dict[str, dict]:
    parsed = _unquote(hcl2.loads(text))
    assert isinstance(parsed, dict)
    return {
        name: body
        for block in parsed.get("resource", [])
        for type_, named in block.items()
        if type_ == kind
        for name, body in named.items()
    }


@pytest.mark.parametrize(
    ("instance_class", "expected"),
    [
        ("db.t4g.micro", 112),
        ("db.t3.medium", 450),
        ("db.m7g.large", 901),
        ("db.r6g.xlarge", 3604),
        ("db.m6i.24xlarge", 5000),
        ("db.x9.huge", None),
    ],
)
def test_max_connections_follow_postgres_memory_formula(instance_class: str, expected: int | None) -> None:
    assert postgres_max_connections(instance_class) == expected


def test_alarm_defaults_are_the_reference_thresholds() -> None:
    alarms = AlarmInputs()
    assert (alarms.ecs_cpu_percent, alarms.ecs_memory_percent, alarms.minutes) == (80, 80, 5)
    # Seed 004's table: ALB 5xx >= 3 % for 1 minute, connections above 90 % of max_connections.
    assert (alarms.alb_5xx_percent, alarms.alb_5xx_minutes) == (3, 1)
    assert (alarms.rds_free_storage_percent, alarms.rds_connections_percent) == (10, 90)
    assert (alarms.queue_age_seconds, alarms.queue_age_minutes) == (600, 15)
    assert (
        alarms.api_5xx_percent,
        alarms.api_5xx_minutes,
        alarms.api_p90_latency_ms,
        alarms.api_p90_integration_latency_ms,
        alarms.api_latency_minutes,
    ) == (5, 3, 2500, 2000, 5)


def test_rendered_alarms_use_the_thresholds_and_notify_the_topic(rendered: list) -> None:
    alarms = _resources(_files(rendered, "prod")["alarms.tf"], "aws_cloudwatch_metric_alarm")
    assert set(alarms) == {
        "ecs_cpu",
        "ecs_memory",
        "alb_5xx_ratio",
        "alb_4xx_ratio",
        "alb_unhealthy_targets",
        "ecs_running_tasks",
        "rds_cpu",
        "rds_free_storage",
        "rds_connections",
    }
    assert alarms["ecs_cpu"]["threshold"] == 80 and alarms["ecs_cpu"]["evaluation_periods"] == 5
    # 10 % of the storage allocated now (50 GiB at creation; storage autoscaling raises it, the threshold follows).
    assert (
        alarms["rds_free_storage"]["threshold"] == "${((aws_db_instance.this.allocated_storage * 10737418240) / 100)}"
    )
    assert alarms["rds_connections"]["threshold"] == 901 * 90 // 100  # db.m7g.large, > 90 %
    ratio = alarms["alb_5xx_ratio"]
    assert "metric_name" not in ratio and ratio["threshold"] == 3  # seed 004: >= 3 % for 1 minute
    assert ratio["evaluation_periods"] == ratio["datapoints_to_alarm"] == 1
    assert "100 * (FILL(elb_5xx, 0) + FILL(target_5xx, 0)) / FILL(requests, 1)" in str(ratio["metric_query"])
    for alarm in alarms.values():
        assert alarm["alarm_actions"] == alarm["ok_actions"] == ["${aws_sns_topic.alarms.arn}"]
    topic = _files(rendered, "prod")["notifications.tf"]
    assert "kms_master_key_id = aws_kms_key.alarms.arn" in topic and "cloudwatch.amazonaws.com" in topic
    assert 'resource "aws_chatbot_slack_channel_configuration" "slack"' in topic


def test_waf_excludes_admin_from_admin_protection_and_counts_single_rules(rendered: list) -> None:
    waf = _files(rendered, "prod")["waf.tf"]
    for group in (
        "CommonRuleSet",
        "KnownBadInputsRuleSet",
        "AmazonIpReputationList",
        "SQLiRuleSet",
        "AdminProtectionRuleSet",
        "AnonymousIpList",
    ):
        assert f'name        = "AWSManagedRules{group}"' in waf
    admin = waf[waf.index('name        = "AWSManagedRulesAdminProtectionRuleSet"') :]
    assert admin.index("scope_down_statement") < admin.index('search_string         = "/admin"') < 2000
    assert "not_statement" in admin[:2000] and 'positional_constraint = "STARTS_WITH"' in admin[:2000]
    assert 'name = "HostingProviderIPList"' in waf and "rate_based_statement" in waf
    # a nested `count` is WAF's count action block, never the count meta-argument
    assert "action_to_use {\n            count {\n            }" in waf and "count =" not in waf
    assert 'resource "aws_wafv2_web_acl_logging_configuration" "this"' in waf
    assert 'name              = "aws-waf-logs-acme-api-prod"' in waf


def test_several_excluded_paths_become_one_regex_and_count_mode_is_one_input() -> None:
    from modules.waf import Waf

    rule = Waf._managed(
        WafInputs(
            count_only=("AWSManagedRulesSQLiRuleSet",),
            excluded_paths={"AWSManagedRulesSQLiRuleSet": ("/admin", "/internal.api")},
        ),
        "AWSManagedRulesSQLiRuleSet",
        40,
    )
    assert rule["override_action"] == {"count": {}}
    regex = rule["statement"]["managed_rule_group_statement"]["scope_down_statement"]["not_statement"]["statement"][0]
    assert regex["regex_match_statement"]["regex_string"] == r"^(/admin|/internal\.api)"


def test_prod_serves_https_only_with_a_dns_validated_certificate(rendered: list) -> None:
    prod = _files(rendered, "prod")
    listeners = _resources(prod["alb.tf"], "aws_lb_listener")
    assert listeners["http"]["default_action"][0]["redirect"][0]["protocol"] == "HTTPS"
    assert listeners["https"]["ssl_policy"] == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    assert listeners["https"]["certificate_arn"] == "${aws_acm_certificate_validation.this.certificate_arn}"
    assert 'validation_method = "DNS"' in prod["dns.tf"] and "aws_route53_record" in prod["dns.tf"]
    assert "access_logs {" in prod["alb.tf"] and "depends_on = [aws_s3_bucket_policy.access_logs]" in prod["alb.tf"]


def test_prod_has_logs_hygiene_and_database_insights(rendered: list) -> None:
    prod = _files(rendered, "prod")
    assert 'resource "aws_flow_log" "this"' in prod["logs.tf"]
    assert 'sse_algorithm = "AES256"' in prod["logs.tf"] and "BucketOwnerEnforced" in prod["logs.tf"]
    assert "logdelivery.elasticloadbalancing.amazonaws.com" in prod["logs.tf"]
    assert 'resource "aws_default_security_group" "this"' in prod["vpc.tf"]
    assert "performance_insights_enabled          = true" in prod["rds.tf"]
    assert "monitoring_interval" in prod["rds.tf"] and "AmazonRDSEnhancedMonitoringRole" in prod["rds.tf"]


def test_dev_keeps_the_cheap_subset(rendered: list) -> None:
    dev = _files(rendered, "dev")
    assert {"alarms.tf", "dashboard.tf", "notifications.tf"} <= set(dev)
    assert not {"waf.tf", "dns.tf", "logs.tf"} & set(dev)
    assert "performance_insights" not in dev["rds.tf"] and "aws_chatbot" not in dev["notifications.tf"]
    assert dev["vpc.tf"].count('resource "aws_nat_gateway"') == 1


@pytest.mark.parametrize(
    ("build", "field", "words"),
    [
        (lambda: AlarmInputs(ecs_cpu_percent=0), "ecs_cpu_percent", "from 1 to 100"),
        (lambda: NotificationInputs(emails=("not-an-email",)), "emails", "not an email address"),
        (lambda: NotificationInputs(https_endpoints=("http://plain",)), "https_endpoints", "https:// URL"),
        (lambda: SlackChannel(workspace_id="x", channel_id="C0123ABCD"), "slack.workspace_id", "Slack workspace"),
        (lambda: WafInputs(excluded_paths={"AWSManagedRulesNope": ("/admin",)}), "excluded_paths", "not one of"),
        (lambda: WafInputs(excluded_paths={"AWSManagedRulesCommonRuleSet": ("admin",)}), "excluded_paths", "URL path"),
        (lambda: WafInputs(count_only=("AWSManagedRulesAdminProtectionRuleSet",)), "count_only", "not one of"),
        (lambda: WafInputs(rate_limit=5), "rate_limit", "from 10"),
        (lambda: DnsInputs(zone_id="Z1", domain_name="no_dots"), "domain_name", "host name"),
        (lambda: LogsInputs(flow_log_traffic="SOME"), "flow_log_traffic", "must be one of"),  # type: ignore[arg-type]
        (lambda: RdsInputs(monitoring_interval=7), "monitoring_interval", "must be one of"),
        (lambda: RdsInputs(performance_insights_days=30), "performance_insights_days", "multiple of 31"),
        (lambda: AlbInputs(ssl_policy="ELBSecurityPolicy-2016-08"), "ssl_policy", "older than 1.2"),
    ],
)
def test_invalid_production_inputs_name_the_field(build: object, field: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        build()  # type: ignore[operator]
    assert caught.value.field == field and words in caught.value.message


def test_unknown_instance_class_asks_for_max_connections(project: Path) -> None:
    stack = 'rds=RdsInputs(instance_class="db.z1d.large"), alarms=AlarmInputs()'  # real class, memory unknown
    imports = "from modules.alarms import AlarmInputs\nfrom modules.rds import RdsInputs\n"
    _write_config(project, "qa", imports + CONFIG.format(name="qa", stack=stack))
    with pytest.raises(ConfigError) as caught:
        load(project, ["qa"])
    assert str(caught.value).startswith("environment 'qa': alarms.rds_max_connections: cannot derive max_connections")
