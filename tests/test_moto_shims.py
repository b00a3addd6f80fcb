"""The local AWS launcher and its shims, against a real server process on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from generator.localaws import server as local_aws
from generator.localaws.shims import policy_as_if_tls
from generator.terraform import statebucket

REGION = "eu-west-1"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[local_aws.Server]:
    root = tmp_path_factory.mktemp("local-aws")
    started, fresh = local_aws.ensure(root)
    assert fresh
    yield started
    local_aws.down(root)


def client(server: local_aws.Server, service: str) -> Any:
    return boto3.client(service, **local_aws.client_settings(server, REGION))  # type: ignore[call-overload]


def test_server_is_recorded_and_reused(tmp_path: Path) -> None:
    first, started = local_aws.ensure(tmp_path)
    try:
        again, started_again = local_aws.ensure(tmp_path)
        assert started and not started_again and again == first
        assert local_aws.status(tmp_path) == first
    finally:
        assert local_aws.down(tmp_path) == first
    assert local_aws.status(tmp_path) is None and local_aws.down(tmp_path) is None


def _ecs_service(server: local_aws.Server, name: str, **extra: Any) -> dict[str, Any]:
    ecs = client(server, "ecs")
    ecs.create_cluster(clusterName=name)
    ecs.register_task_definition(family=name, containerDefinitions=[{"name": "app", "image": "nginx", "memory": 128}])
    return ecs.create_service(cluster=name, serviceName=name, taskDefinition=name, desiredCount=1, **extra)["service"]


def test_scalable_target_tags(server: local_aws.Server) -> None:
    _ecs_service(server, "tagged")
    aas = client(server, "application-autoscaling")
    arn = aas.register_scalable_target(
        ServiceNamespace="ecs",
        ResourceId="service/tagged/tagged",
        ScalableDimension="ecs:service:DesiredCount",
        MinCapacity=1,
        MaxCapacity=3,
        Tags={"Team": "a"},
    )["ScalableTargetARN"]
    assert aas.list_tags_for_resource(ResourceARN=arn)["Tags"] == {"Team": "a"}
    aas.tag_resource(ResourceARN=arn, Tags={"Env": "dev"})
    aas.untag_resource(ResourceARN=arn, TagKeys=["Team"])
    assert aas.list_tags_for_resource(ResourceARN=arn)["Tags"] == {"Env": "dev"}
    aas.deregister_scalable_target(
        ServiceNamespace="ecs", ResourceId="service/tagged/tagged", ScalableDimension="ecs:service:DesiredCount"
    )
    with pytest.raises(ClientError, match="ResourceNotFoundException"):
        aas.list_tags_for_resource(ResourceARN=arn)


def test_conditional_put_is_atomic(server: local_aws.Server) -> None:
    s3 = client(server, "s3")
    s3.create_bucket(Bucket="locks", CreateBucketConfiguration={"LocationConstraint": REGION})

    def take(i: int) -> bool:
        try:
            s3.put_object(Bucket="locks", Key="state.tflock", Body=str(i).encode(), IfNoneMatch="*")
        except ClientError as err:
            assert err.response["Error"]["Code"] == "PreconditionFailed"
            return False
        return True

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert sum(pool.map(take, range(16))) == 1


def test_ecs_service_echoes_dropped_fields(server: local_aws.Server) -> None:
    created = _ecs_service(server, "echo", healthCheckGracePeriodSeconds=60)
    assert created["healthCheckGracePeriodSeconds"] == 60
    described = client(server, "ecs").describe_services(cluster="echo", services=["echo"])["services"][0]
    assert described["healthCheckGracePeriodSeconds"] == 60
    assert described["availabilityZoneRebalancing"] == "DISABLED"


def test_rds_parameters_are_user_sourced(server: local_aws.Server) -> None:
    rds = client(server, "rds")
    rds.create_db_parameter_group(DBParameterGroupName="pg", DBParameterGroupFamily="postgres16", Description="d")
    rds.modify_db_parameter_group(
        DBParameterGroupName="pg",
        Parameters=[
            {"ParameterName": "log_min_duration_statement", "ParameterValue": "500", "ApplyMethod": "immediate"}
        ],
    )
    params = rds.describe_db_parameters(DBParameterGroupName="pg", Source="user")["Parameters"]
    assert [(p["ParameterName"], p.get("Source")) for p in params] == [("log_min_duration_statement", "user")]


def test_load_balancer_is_active_at_once(server: local_aws.Server) -> None:
    ec2 = client(server, "ec2")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.9.{i}.0/24", AvailabilityZone=f"{REGION}{z}")["Subnet"]["SubnetId"]
        for i, z in enumerate("ab")
    ]
    created = client(server, "elbv2").create_load_balancer(Name="fast", Subnets=subnets)["LoadBalancers"][0]
    assert created["State"]["Code"] == "active"


def test_group_rule_keeps_its_description(server: local_aws.Server) -> None:
    ec2 = client(server, "ec2")
    vpc = ec2.create_vpc(CidrBlock="10.8.0.0/16")["Vpc"]["VpcId"]
    a, b = (ec2.create_security_group(GroupName=n, Description=n, VpcId=vpc)["GroupId"] for n in "ab")
    ec2.authorize_security_group_ingress(
        GroupId=a,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 80,
                "ToPort": 80,
                "UserIdGroupPairs": [{"GroupId": b, "Description": "from b"}],
            }
        ],
    )
    rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [a]}])["SecurityGroupRules"]
    assert "from b" in [r.get("Description") for r in rules]


def test_tls_only_bucket_still_serves_the_local_endpoint(server: local_aws.Server) -> None:
    s3 = client(server, "s3")
    s3.create_bucket(Bucket="tls-only", CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_bucket_policy(Bucket="tls-only", Policy=json.dumps(statebucket.tls_only_policy("tls-only", REGION)))
    s3.put_object(Bucket="tls-only", Key="k", Body=b"v")
    assert s3.get_object(Bucket="tls-only", Key="k")["Body"].read() == b"v"


def test_policy_as_if_tls() -> None:
    deny_plain = statebucket.tls_only_policy("b", REGION)
    assert json.loads(policy_as_if_tls(json.dumps(deny_plain)))["Statement"] == []
    allow_tls = {
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": "*",
                "Condition": {"Bool": {"aws:SecureTransport": "true"}},
            }
        ]
    }
    assert "Condition" not in json.loads(policy_as_if_tls(json.dumps(allow_tls)))["Statement"][0]
    other = {"Statement": [{"Effect": "Deny", "Condition": {"StringEquals": {"aws:SourceVpce": "x"}}}]}
    assert json.loads(policy_as_if_tls(json.dumps(other)))["Statement"] == other["Statement"]


def test_aws_managed_policies_are_attachable(server: local_aws.Server) -> None:
    iam = client(server, "iam")
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "codedeploy.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
    iam.create_role(RoleName="managed-check", AssumeRolePolicyDocument=json.dumps(trust))
    for arn in ("arn:aws:iam::aws:policy/PowerUserAccess", "arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS"):
        iam.attach_role_policy(RoleName="managed-check", PolicyArn=arn)
    attached = iam.list_attached_role_policies(RoleName="managed-check")["AttachedPolicies"]
    assert {p["PolicyName"] for p in attached} == {"PowerUserAccess", "AWSCodeDeployRoleForECS"}


def test_aurora_cluster_reports_what_was_created(server: local_aws.Server) -> None:
    rds = client(server, "rds")
    rds.create_db_cluster(
        DBClusterIdentifier="aurora-check",
        Engine="aurora-postgresql",
        MasterUsername="app",
        ManageMasterUserPassword=True,
    )
    rds.create_db_instance(
        DBInstanceIdentifier="aurora-check-1",
        DBClusterIdentifier="aurora-check",
        Engine="aurora-postgresql",
        DBInstanceClass="db.r7g.large",
        EnablePerformanceInsights=True,
    )
    cluster = rds.describe_db_clusters(DBClusterIdentifier="aurora-check")["DBClusters"][0]
    assert cluster["EngineMode"] == "provisioned" and "ScalingConfigurationInfo" not in cluster
    instance = rds.describe_db_instances(DBInstanceIdentifier="aurora-check-1")["DBInstances"][0]
    assert instance["PerformanceInsightsEnabled"] is True
