"""End to end on a prod-like environment: everything prod has, applied on the local AWS.

`prodlike` is environments/prod/config.py with two changes, both because moto cannot do
otherwise: the Route 53 zone is one created on the local AWS (prod names a real zone ID), and
Slack is off (moto has no AWS Chatbot API; aws_chatbot_slack_channel_configuration is covered
by `terraform validate` and the plan-equivalence test only). Everything else - WAF with the
/admin scope-down, HTTPS with a DNS-validated ACM certificate, ALB access logs, VPC flow logs,
the locked default security group, Performance Insights, Enhanced Monitoring, alarms, the
dashboard, NAT per AZ, Multi-AZ - is applied, read back from the local AWS, and re-planned clean.
About 3 minutes on 2 cores.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from generator.errors import ExitCode
from generator.localaws import server as local_aws
from generator.render.project import load
from generator.terraform import operations
from tests.conftest import copy_project
from tests.support.e2e import Project, ok

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.terraform,
    pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not installed"),
]

PRODLIKE = '''"""prod, as the local AWS can run it: a local Route 53 zone, no Slack (moto has no Chatbot)."""

import dataclasses
import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location("prod_config", Path(__file__).parents[1] / "prod" / "config.py")
assert _spec is not None and _spec.loader is not None
_prod = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_prod)
PROD = _prod.ENVIRONMENT
STACK = PROD.stack
ENVIRONMENT = dataclasses.replace(
    PROD, name="prodlike", state_bucket="acme-api-terraform-state-prodlike",
    stack=dataclasses.replace(
        STACK, dns=dataclasses.replace(STACK.dns, zone_id="{zone_id}"),
        alarms=dataclasses.replace(STACK.alarms, notifications=dataclasses.replace(
            STACK.alarms.notifications, slack=None))))
'''


class ProdLike(Project):
    def __init__(self, root: Path) -> None:
        self.root = root
        self.env = {**os.environ, "HCLGEN_ROOT": str(root)}
        self.backend = load(root, ["prodlike"])[0].env.backend
        self.timeout = 600


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProdLike]:
    root = copy_project(tmp_path_factory.mktemp("e2e-prodlike") / "project")
    server, _ = local_aws.ensure(root)
    route53 = boto3.client("route53", **local_aws.client_settings(server, "ap-northeast-2"))
    zone = route53.create_hosted_zone(Name="acme-api.example.com", CallerReference="prodlike")["HostedZone"]
    folder = root / "environments" / "prodlike"
    folder.mkdir()
    (folder / "config.py").write_text(PRODLIKE.replace("{zone_id}", zone["Id"].rsplit("/", 1)[-1]))
    # the same providers as prod, pinned: CI (CI=true) inits read-only and refuses an env without a lock
    shutil.copy2(root / "environments" / "prod" / ".terraform.lock.hcl", folder / ".terraform.lock.hcl")
    project = ProdLike(root)
    ok(project.run("synth", "prodlike"))
    yield project
    local_aws.down(root)


def test_prodlike_applies_and_replans_clean(project: ProdLike) -> None:
    applied = ok(project.run("apply", "prodlike", "--local", "--auto-approve", timeout=900))
    assert "Apply complete!" in applied
    plan = project.run("plan", "prodlike", "--local", "--detailed-exitcode")
    assert plan.returncode == 0, plan.stdout[-4000:] + plan.stderr[-2000:]
    assert "prodlike: 0 to add, 0 to change, 0 to destroy, 0 to replace" in plan.stdout


def test_waf_guards_the_alb_and_logs(project: ProdLike) -> None:
    outputs = json.loads(ok(project.run("output", "prodlike", "--local", "--json")))
    assert outputs["service_url"]["value"] == "https://api.acme-api.example.com"
    acl_arn = outputs["web_acl_arn"]["value"]
    elbv2, waf = project.aws("elbv2"), project.aws("wafv2")
    (balancer,) = elbv2.describe_load_balancers(Names=["acme-api-prodlike"])["LoadBalancers"]
    assert waf.get_web_acl_for_resource(ResourceArn=balancer["LoadBalancerArn"])["WebACL"]["ARN"] == acl_arn
    acl = waf.get_web_acl(Name="acme-api-prodlike", Scope="REGIONAL", Id=acl_arn.rsplit("/", 1)[-1])["WebACL"]
    admin = next(rule for rule in acl["Rules"] if rule["Name"] == "AWSManagedRulesAdminProtectionRuleSet")
    scope_down = admin["Statement"]["ManagedRuleGroupStatement"]["ScopeDownStatement"]
    assert scope_down["NotStatement"]["Statement"]["ByteMatchStatement"]["PositionalConstraint"] == "STARTS_WITH"
    logging = waf.get_logging_configuration(ResourceArn=acl_arn)["LoggingConfiguration"]
    assert logging["LogDestinationConfigs"][0].split(":log-group:")[1].startswith("aws-waf-logs-acme-api-prodlike")


def test_https_access_logs_and_network_hygiene(project: ProdLike) -> None:
    elbv2, ec2 = project.aws("elbv2"), project.aws("ec2")
    (balancer,) = elbv2.describe_load_balancers(Names=["acme-api-prodlike"])["LoadBalancers"]
    listeners = {
        item["Port"]: item
        for item in elbv2.describe_listeners(LoadBalancerArn=balancer["LoadBalancerArn"])["Listeners"]
    }
    assert listeners[443]["Protocol"] == "HTTPS" and listeners[443]["SslPolicy"].startswith("ELBSecurityPolicy-TLS13")
    assert listeners[80]["DefaultActions"][0]["Type"] == "redirect"
    attributes = {
        item["Key"]: item["Value"]
        for item in elbv2.describe_load_balancer_attributes(LoadBalancerArn=balancer["LoadBalancerArn"])["Attributes"]
    }
    assert attributes["access_logs.s3.enabled"] == "true"
    assert attributes["access_logs.s3.bucket"] == "acme-api-prodlike-alb-logs-123456789012"
    certificate = project.aws("acm").describe_certificate(
        CertificateArn=listeners[443]["Certificates"][0]["CertificateArn"]
    )["Certificate"]
    assert certificate["DomainName"] == "api.acme-api.example.com" and certificate["Status"] == "ISSUED"
    vpc_id = balancer["VpcId"]
    flows = ec2.describe_flow_logs(Filters=[{"Name": "resource-id", "Values": [vpc_id]}])["FlowLogs"]
    # moto names the destination by ARN only; AWS adds LogGroupName too.
    groups = [flow.get("LogGroupName") or flow["LogDestination"].split(":log-group:")[-1] for flow in flows]
    assert groups == ["/vpc/acme-api-prodlike/flow-logs"] and flows[0]["TrafficType"] == "ALL"
    (default,) = ec2.describe_security_groups(
        Filters=[{"Name": "vpc-id", "Values": [vpc_id]}, {"Name": "group-name", "Values": ["default"]}]
    )["SecurityGroups"]
    assert default.get("IpPermissions", []) == [] and default.get("IpPermissionsEgress", []) == []


def test_alarms_dashboard_and_database_insights(project: ProdLike) -> None:
    cloudwatch = project.aws("cloudwatch")
    alarms = cloudwatch.describe_alarms(AlarmNamePrefix="acme-api-prodlike-")["MetricAlarms"]
    topic = json.loads(ok(project.run("output", "prodlike", "--local", "--json")))["alarm_topic_arn"]["value"]
    assert len(alarms) == 9 and all(alarm["AlarmActions"] == alarm["OKActions"] == [topic] for alarm in alarms)
    ratio = next(alarm for alarm in alarms if alarm["AlarmName"] == "acme-api-prodlike-alb-5xx-ratio")
    assert ratio["Threshold"] == 3 and {query["Id"] for query in ratio["Metrics"]} == {
        "result",
        "requests",
        "elb_5xx",
        "target_5xx",
    }
    assert cloudwatch.get_dashboard(DashboardName="acme-api-prodlike")["DashboardBody"]
    assert project.aws("sns").get_topic_attributes(TopicArn=topic)["Attributes"]["KmsMasterKeyId"]
    (database,) = project.aws("rds").describe_db_instances(DBInstanceIdentifier="acme-api-prodlike")["DBInstances"]
    assert database["MultiAZ"] and database["MonitoringInterval"] == 60
    assert database["MonitoringRoleArn"].endswith(":role/acme-api-prodlike-rds-monitoring")


DB = "aws_db_instance.this"


def _last_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = result.stderr.strip().splitlines()
    assert lines and "Traceback" not in result.stderr, result.stderr[-3000:]
    return lines[-1]


def _plan_is_clean(project: ProdLike) -> None:
    plan = project.run("plan", "prodlike", "--local", "--detailed-exitcode")
    assert plan.returncode == 0, plan.stdout[-3000:] + plan.stderr[-2000:]
    assert "prodlike: 0 to add, 0 to change, 0 to destroy, 0 to replace" in plan.stdout


def test_replacing_the_protected_database_is_refused_twice(project: ProdLike) -> None:
    """A tainted RDS instance: the stateful rail refuses; with its flag AWS's deletion protection does."""
    ws = operations.open_workspace(project.root, "prodlike", local=True)
    ws.run("taint", "-no-color", DB)
    refused = project.run("apply", "prodlike", "--local", "--auto-approve")
    assert refused.returncode == ExitCode.REFUSED, refused.stderr[-3000:]
    line = _last_line(refused)
    assert f"{DB} (replace)" in line and "--allow-stateful-replace" in line
    assert f"untaint prodlike {DB}" in line
    assert f"replace  {DB}" in refused.stdout  # the plan summary was shown before the refusal

    forced = project.run("apply", "prodlike", "--local", "--auto-approve", "--allow-stateful-replace")
    assert forced.returncode == ExitCode.REFUSED, forced.stdout[-2000:] + forced.stderr[-3000:]
    line = _last_line(forced)
    assert line.startswith("error: prodlike: AWS refused to delete") and DB in line and "deletion protection" in line
    assert len(forced.stderr.splitlines()) < 40  # the tail of terraform's error, not its whole output
    (database,) = project.aws("rds").describe_db_instances(DBInstanceIdentifier="acme-api-prodlike")["DBInstances"]
    assert database["DBInstanceStatus"] == "available" and database["DeletionProtection"]

    ok(project.run("untaint", "prodlike", DB, "--local"))
    # terraform destroyed the dependents it replaces with the DB (the task definition) before AWS
    # refused the DB's delete; the next apply recreates them and touches the DB no more.
    converged = ok(project.run("apply", "prodlike", "--local", "--auto-approve"))
    assert "Apply complete!" in converged and DB not in converged
    _plan_is_clean(project)


def test_destroying_the_prodlike_env_is_refused_up_front(project: ProdLike) -> None:
    refused = project.run("destroy", "prodlike", "--local", "--auto-approve")
    assert refused.returncode == ExitCode.REFUSED, refused.stderr[-3000:]
    line = _last_line(refused)
    assert "cannot destroy prodlike: deletion protection is on for" in line
    assert DB in line and "aws_lb.this" in line and "environments/prodlike/config.py" in line
    _plan_is_clean(project)
