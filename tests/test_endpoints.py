"""modules/endpoints.py: nat = "none" works through interface VPC endpoints, and is refused without them."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import ConfigError, InputError
from generator.render.project import load
from modules.endpoints import EndpointsInputs
from modules.vpc import VpcInputs
from tests.support import resstack
from tests.support.resstack import Applied


def test_nat_none_without_endpoints_is_refused_with_the_fix() -> None:
    with pytest.raises(InputError) as caught:
        VpcInputs(nat="none")
    assert caught.value.field == "nat" and "endpoints=EndpointsInputs()" in caught.value.message
    with pytest.raises(InputError) as caught:
        VpcInputs(nat="none", endpoints=EndpointsInputs(), s3_endpoint=False)
    assert caught.value.field == "s3_endpoint" and "set s3_endpoint=True" in caught.value.message
    assert VpcInputs(nat="none", endpoints=EndpointsInputs()).endpoints is not None


def test_unknown_endpoint_services_are_refused() -> None:
    with pytest.raises(InputError) as caught:
        EndpointsInputs(services=("dynamo",))
    assert caught.value.field == "services" and "'dynamo' is not an endpoint service" in caught.value.message


def test_an_env_config_with_nat_none_and_no_endpoints_fails_in_one_line(project: Path) -> None:
    folder = project / "environments" / "qa"
    folder.mkdir()
    (folder / "config.py").write_text(
        "from generator.environment import Environment\nfrom modules.stack import StackInputs\n"
        "from modules.vpc import VpcInputs\n"
        "ENVIRONMENT = Environment(name='qa', project='acme', region='us-east-1', state_bucket='acme-state',\n"
        "                          stack=StackInputs(vpc=VpcInputs(nat='none', az_count=2)))\n"
    )
    with pytest.raises(ConfigError) as caught:
        load(project, ["qa"])
    assert str(caught.value).startswith("environment 'qa': vpc.nat: 'none' leaves Fargate tasks no route to ECR")
    assert "\n" not in str(caught.value)


def test_rendered_endpoints_cover_image_pull_logs_secrets_and_the_queue(
    res_files: dict[str, str], res_validated: dict[str, object]
) -> None:
    assert res_validated["valid"] is True, res_validated
    text = res_files["endpoints.tf"]
    for service in ("ecr.api", "ecr.dkr", "logs", "secretsmanager", "sqs"):
        assert f'service_name        = "com.amazonaws.ap-northeast-2.{service}"' in text, service
    assert text.count("private_dns_enabled = true") == 5
    assert text.count("subnet_ids          = [aws_subnet.private_a.id]") == 5  # zones=1: one AZ, billed once
    assert "cidr_ipv4         = aws_vpc.this.cidr_block" in text or 'cidr_ipv4         = "10.20.0.0/18"' in text
    assert "aws_nat_gateway" not in res_files["vpc.tf"]


@pytest.mark.e2e
@pytest.mark.terraform
def test_endpoints_apply_and_appear_in_the_cost_report(res_applied: Applied) -> None:
    ec2 = res_applied.client("ec2")
    found = ec2.describe_vpc_endpoints(Filters=[{"Name": "vpc-endpoint-type", "Values": ["Interface"]}])
    names = sorted(".".join(e["ServiceName"].split(".")[3:]) for e in found["VpcEndpoints"])  # com.amazonaws.<region>.
    assert names == ["ecr.api", "ecr.dkr", "logs", "secretsmanager", "sqs"]
    cost = resstack.run(res_applied.root, "cost", "res")
    assert cost.returncode == 0, cost.stdout + cost.stderr
    assert "interface endpoint hours" in cost.stdout
    for priced in ("valkey node hours", "SQS standard requests", "API Gateway HTTP API requests"):
        assert priced in cost.stdout, priced
    assert "no price rule" not in cost.stdout
