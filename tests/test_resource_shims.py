"""Shims 11-13 on a real local AWS: ElastiCache user groups and member clusters, SQS redrive JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from generator.jsonenc import terraform_json
from generator.localaws import server as local_aws

REGION = "ap-northeast-2"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[local_aws.Server]:
    root = tmp_path_factory.mktemp("local-aws")
    started, _ = local_aws.ensure(root)
    yield started
    local_aws.down(root)


@pytest.fixture(scope="module")
def elasticache(server: local_aws.Server) -> Any:
    return boto3.client("elasticache", **local_aws.client_settings(server, REGION))  # type: ignore[call-overload]


@pytest.fixture(scope="module")
def default_user(elasticache: Any) -> str:
    """The off-by-default user every user group starts from (each test may run alone)."""
    elasticache.create_user(
        UserId="g-default", UserName="default", Engine="valkey", AccessString="off -@all", NoPasswordRequired=True
    )
    return "g-default"


def test_a_user_group_is_created_tagged_changed_and_deleted(elasticache: Any, default_user: str) -> None:
    elasticache.create_user(
        UserId="g-app",
        UserName="g-app",
        Engine="valkey",
        AccessString="on ~* +@all",
        AuthenticationMode={"Type": "iam"},
    )
    group = elasticache.create_user_group(
        UserGroupId="cache", Engine="valkey", UserIds=["g-default", "g-app"], Tags=[{"Key": "Name", "Value": "cache"}]
    )
    assert group["Status"] == "active" and group["ARN"].endswith(":usergroup:cache")
    assert elasticache.list_tags_for_resource(ResourceName=group["ARN"])["TagList"] == [
        {"Key": "Name", "Value": "cache"}
    ]
    assert elasticache.describe_users(UserId="g-app")["Users"][0]["UserGroupIds"] == ["cache"]
    changed = elasticache.modify_user_group(UserGroupId="cache", UserIdsToRemove=["g-app"])
    assert changed["UserIds"] == ["g-default"]
    elasticache.delete_user_group(UserGroupId="cache")
    with pytest.raises(elasticache.exceptions.UserGroupNotFoundFault):
        elasticache.describe_user_groups(UserGroupId="cache")


def test_a_replication_group_lists_under_its_user_group(elasticache: Any, default_user: str) -> None:
    elasticache.create_user_group(UserGroupId="rg-users", Engine="valkey", UserIds=["g-default"])
    elasticache.create_replication_group(
        ReplicationGroupId="rg",
        ReplicationGroupDescription="rg",
        Engine="valkey",
        CacheNodeType="cache.t4g.micro",
        NumCacheClusters=1,
        UserGroupIds=["rg-users"],
        TransitEncryptionEnabled=True,
    )
    (group,) = elasticache.describe_user_groups(UserGroupId="rg-users")["UserGroups"]
    assert group["ReplicationGroups"] == ["rg"]


def test_unknown_users_and_duplicate_groups_are_refused(elasticache: Any, default_user: str) -> None:
    with pytest.raises(elasticache.exceptions.UserNotFoundFault):
        elasticache.create_user_group(UserGroupId="nobody", Engine="valkey", UserIds=["ghost"])
    elasticache.create_user_group(UserGroupId="twice", Engine="valkey", UserIds=["g-default"])
    with pytest.raises(elasticache.exceptions.UserGroupAlreadyExistsFault):
        elasticache.create_user_group(UserGroupId="twice", Engine="valkey", UserIds=["g-default"])


def test_member_clusters_exist_with_the_group_and_go_with_it(elasticache: Any) -> None:
    elasticache.create_replication_group(
        ReplicationGroupId="pair",
        ReplicationGroupDescription="pair",
        Engine="valkey",
        EngineVersion="8.0",
        CacheNodeType="cache.t4g.micro",
        NumCacheClusters=2,
        AutomaticFailoverEnabled=True,
        AtRestEncryptionEnabled=True,
        SecurityGroupIds=["sg-12345678"],
        PreferredMaintenanceWindow="sun:18:00-sun:19:00",
    )
    (group,) = elasticache.describe_replication_groups(ReplicationGroupId="pair")["ReplicationGroups"]
    assert len(group["MemberClusters"]) == 2 and group["NodeGroups"][0]["ReaderEndpoint"]["Address"]
    for member in group["MemberClusters"]:
        (cluster,) = elasticache.describe_cache_clusters(CacheClusterId=member)["CacheClusters"]
        assert cluster["ReplicationGroupId"] == "pair" and cluster["Engine"] == "valkey"
        assert cluster["EngineVersion"] == "8.0" and cluster["AtRestEncryptionEnabled"] is True
        assert cluster["SecurityGroups"] == [{"SecurityGroupId": "sg-12345678", "Status": "active"}]
    elasticache.delete_replication_group(ReplicationGroupId="pair")
    with pytest.raises(elasticache.exceptions.ReplicationGroupNotFoundFault):
        elasticache.describe_replication_groups(ReplicationGroupId="pair")
    with pytest.raises(elasticache.exceptions.CacheClusterNotFoundFault):
        elasticache.describe_cache_clusters(CacheClusterId=group["MemberClusters"][0])


def test_a_redrive_policy_is_answered_as_compact_json(server: local_aws.Server) -> None:
    sqs = boto3.client("sqs", **local_aws.client_settings(server, REGION))  # type: ignore[call-overload]
    dlq = sqs.create_queue(QueueName="shim-dlq")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    queue = sqs.create_queue(
        QueueName="shim", Attributes={"RedrivePolicy": json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": 4})}
    )["QueueUrl"]
    text = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["RedrivePolicy"])["Attributes"]["RedrivePolicy"]
    assert text == terraform_json({"deadLetterTargetArn": arn, "maxReceiveCount": 4})


def test_a_custom_domain_is_available_with_its_target_and_zone(server: local_aws.Server) -> None:
    apigw = boto3.client("apigatewayv2", **local_aws.client_settings(server, REGION))  # type: ignore[call-overload]
    apigw.create_domain_name(
        DomainName="api.example.com",
        DomainNameConfigurations=[
            {"CertificateArn": "arn:aws:acm:ap-northeast-2:123456789012:certificate/0a1b", "EndpointType": "REGIONAL"}
        ],
    )
    (config,) = apigw.get_domain_name(DomainName="api.example.com")["DomainNameConfigurations"]
    assert config["DomainNameStatus"] == "AVAILABLE" and config["HostedZoneId"] == "Z20JF4UZKIW1U8"
    assert config["ApiGatewayDomainName"].endswith(".execute-api.ap-northeast-2.amazonaws.com")
    assert config["CertificateArn"].endswith("/0a1b")
    assert "MutualTlsAuthentication" not in apigw.get_domain_name(DomainName="api.example.com")
