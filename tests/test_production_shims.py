"""Shims 8 and 9 (generator/localaws/production_shims.py) against a real local AWS on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from generator.localaws import server as local_aws
from generator.localaws.production_shims import dbi_resource_id

REGION = "ap-northeast-2"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[local_aws.Server]:
    root = tmp_path_factory.mktemp("local-aws")
    started, _ = local_aws.ensure(root)
    yield started
    local_aws.down(root)


def client(server: local_aws.Server, service: str) -> Any:
    return boto3.client(service, **local_aws.client_settings(server, REGION))  # type: ignore[call-overload]


def test_each_db_instance_has_its_own_resource_id(server: local_aws.Server) -> None:
    rds = client(server, "rds")
    ids = {}
    for name in ("app-dev", "app-prod"):
        rds.create_db_instance(
            DBInstanceIdentifier=name,
            Engine="postgres",
            DBInstanceClass="db.t4g.micro",
            AllocatedStorage=20,
            MasterUsername="app",
            MasterUserPassword="password123",
        )
        ids[name] = rds.describe_db_instances(DBInstanceIdentifier=name)["DBInstances"][0]["DbiResourceId"]
    assert ids["app-dev"] != ids["app-prod"]
    assert ids["app-prod"] == dbi_resource_id("123456789012", REGION, "app-prod")
    found = rds.describe_db_instances(Filters=[{"Name": "dbi-resource-id", "Values": [ids["app-prod"]]}])
    assert [item["DBInstanceIdentifier"] for item in found["DBInstances"]] == ["app-prod"]


def test_performance_insights_set_at_creation_are_reported(server: local_aws.Server) -> None:
    rds = client(server, "rds")
    rds.create_db_instance(
        DBInstanceIdentifier="app-insights",
        Engine="postgres",
        DBInstanceClass="db.m7g.large",
        AllocatedStorage=20,
        MasterUsername="app",
        MasterUserPassword="password123",
        EnablePerformanceInsights=True,
        PerformanceInsightsRetentionPeriod=31,
    )
    (found,) = rds.describe_db_instances(DBInstanceIdentifier="app-insights")["DBInstances"]
    assert found["PerformanceInsightsEnabled"] is True and found["PerformanceInsightsRetentionPeriod"] == 31
    (plain,) = rds.describe_db_instances(DBInstanceIdentifier="app-dev")["DBInstances"]
    assert plain["PerformanceInsightsEnabled"] is False and "PerformanceInsightsRetentionPeriod" not in plain


def test_aws_managed_policies_can_be_attached(server: local_aws.Server) -> None:
    iam = client(server, "iam")
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "monitoring.rds.amazonaws.com"}}
        ],
    }
    iam.create_role(RoleName="rds-monitoring", AssumeRolePolicyDocument=json.dumps(trust))
    arn = "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
    iam.attach_role_policy(RoleName="rds-monitoring", PolicyArn=arn)
    attached = iam.list_attached_role_policies(RoleName="rds-monitoring")["AttachedPolicies"]
    assert [policy["PolicyArn"] for policy in attached] == [arn]


def test_resource_ids_look_like_aws_ones() -> None:
    value = dbi_resource_id("123456789012", REGION, "x")
    assert value.startswith("db-") and len(value) == 29 and value[3:].isalnum() and value[3:].isupper()
    assert value == dbi_resource_id("123456789012", REGION, "x") != dbi_resource_id("123456789012", REGION, "y")
