"""modules/redis.py: the ElastiCache replication group with IAM authentication (no password anywhere).

(tests/test_cache.py is the render cache's; this file is the cache module's.)
"""

from __future__ import annotations

import json

import pytest

from generator.errors import InputError
from modules.redis import CacheInputs
from tests.support.resstack import Applied


@pytest.mark.parametrize(
    ("build", "field", "words"),
    [
        (lambda: CacheInputs(multi_az=True), "multi_az", "set replicas=1"),
        (lambda: CacheInputs(engine="redis", engine_version="8.0"), "engine_version", "must be one of"),
        (lambda: CacheInputs(node_type="t4g.micro"), "node_type", "not an ElastiCache node type"),
        (lambda: CacheInputs(replicas=6), "replicas", "from 0 to 5"),
        (lambda: CacheInputs(maintenance_window="sunday 3am"), "maintenance_window", "a window like"),
    ],
)
def test_bad_cache_inputs_name_the_field_and_the_fix(build: object, field: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        build()  # type: ignore[operator]
    assert caught.value.field == field and words in caught.value.message


def test_a_cache_without_subnets_or_zones_for_multi_az_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        CacheInputs().check_network([], 0)
    assert caught.value.field == "subnet_tier" and "no private subnets" in caught.value.message
    with pytest.raises(InputError) as caught:
        CacheInputs(replicas=1, multi_az=True).check_network(["subnet-a"], 1)
    assert caught.value.field == "multi_az" and "vpc.az_count >= 2" in caught.value.message


def test_rendered_cache_is_encrypted_multi_az_and_holds_no_secret(
    res_files: dict[str, str], res_validated: dict[str, object]
) -> None:
    assert res_validated["valid"] is True, res_validated
    text = res_files["cache.tf"]
    for needle in (
        'at_rest_encryption_enabled = "true"',
        "transit_encryption_enabled = true",
        "multi_az_enabled           = true",
        "automatic_failover_enabled = true",
        "num_cache_clusters         = 2",
        'type = "iam"',
        'access_string = "off -@all"',
        "referenced_security_group_id = aws_security_group.alb.id",
    ):
        assert needle in text, needle
    assert "auth_token" not in text and "passwords" not in text
    assert text.count("aws_vpc_security_group_ingress_rule") == 1  # only the named group is admitted


@pytest.mark.e2e
@pytest.mark.terraform
def test_cache_applies_with_its_iam_user_group(res_applied: Applied) -> None:
    elasticache = res_applied.client("elasticache")
    (group,) = elasticache.describe_replication_groups(ReplicationGroupId="acme-res-broker")["ReplicationGroups"]
    assert group["UserGroupIds"] == ["acme-res-broker"]
    assert group["TransitEncryptionEnabled"] and group["AtRestEncryptionEnabled"]
    (users,) = elasticache.describe_user_groups(UserGroupId="acme-res-broker")["UserGroups"]
    assert sorted(users["UserIds"]) == ["acme-res-broker-app", "acme-res-broker-default"]
    state = json.loads(
        res_applied.client("s3").get_object(Bucket="acme-state", Key="acme/res/terraform.tfstate")["Body"].read()
    )
    (cache,) = [r for r in state["resources"] if r["type"] == "aws_elasticache_replication_group"]
    assert not cache["instances"][0]["attributes"].get("auth_token")  # no secret in the state


def test_member_cluster_ids_name_the_nodes_alarms_watch() -> None:
    from generator.cdk import App, TerraformStack
    from modules.redis import Cache

    cache = Cache(
        TerraformStack(App(), "probe"),
        "cache",
        CacheInputs(replicas=2, multi_az=True),
        key="broker",
        name="acme-prod-broker",
        vpc_id="vpc-1",
        subnet_ids=["a", "b"],
        zones=2,
        allowed={"worker": "sg-1", "web": "sg-2"},
    )
    assert cache.member_cluster_ids == ["acme-prod-broker-001", "acme-prod-broker-002", "acme-prod-broker-003"]
    (statement,) = cache.connect_statements()
    assert statement["Action"] == "elasticache:Connect" and statement["Sid"] == "ConnectBroker"
