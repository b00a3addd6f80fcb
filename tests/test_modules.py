"""Module inputs: sensible defaults, and a clear error naming env, module and field for bad values."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path

import pytest

from generator.errors import ConfigError, InputError
from generator.render.project import load
from modules.alb import AlbInputs
from modules.ecr import EcrInputs
from modules.ecs import FARGATE_SIZES, EcsInputs, SecretRef
from modules.rds import RdsInputs
from modules.vpc import VpcInputs
from tests.support.configs import CONFIG
from tests.support.configs import write_config as _write_config


def test_vpc_defaults_follow_the_reference_architecture() -> None:
    inputs = VpcInputs()
    assert inputs.cidr == "10.0.0.0/18" and inputs.az_count == 3
    cidrs = inputs.subnet_cidrs("ap-northeast-2")
    assert [str(n) for n in cidrs["public"]] == ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"]
    assert [str(n) for n in cidrs["private"]] == ["10.0.8.0/24", "10.0.9.0/24", "10.0.10.0/24"]
    assert [str(n) for n in cidrs["database"]] == ["10.0.16.0/24", "10.0.17.0/24", "10.0.18.0/24"]
    assert inputs.zones("ap-northeast-2") == ("ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c")


def test_subnet_cidrs_do_not_shift_when_az_count_grows() -> None:
    three = VpcInputs(az_count=3).subnet_cidrs("us-east-1")
    six = VpcInputs(az_count=6).subnet_cidrs("us-east-1")
    for tier in three:
        assert six[tier][:3] == three[tier]
    every = [net for tier in six.values() for net in tier]
    assert all(ipaddress.IPv4Network("10.0.0.0/18").supernet_of(net) for net in every)


@pytest.mark.parametrize(
    ("build", "field", "words"),
    [
        (lambda: VpcInputs(cidr="10.0.0.0/33"), "cidr", "not a valid IPv4 CIDR"),
        (lambda: VpcInputs(cidr="10.0.0.1/18"), "cidr", "not a valid IPv4 CIDR"),
        (lambda: VpcInputs(az_count=0), "az_count", "from 1 to 6"),
        (lambda: VpcInputs(az_count=7), "az_count", "from 1 to 6"),
        (lambda: VpcInputs(nat="two"), "nat", "must be one of"),
        (lambda: VpcInputs(az_count=2, public_subnets=("10.0.0.0/24", "10.0.0.128/25")), "subnets", "overlap"),
        (lambda: VpcInputs(az_count=1, private_subnets=("10.9.0.0/24",)), "private_subnets", "outside the VPC"),
        (lambda: EcsInputs(cpu=256, memory=4096), "memory", "not allowed with cpu 256"),
        (lambda: EcsInputs(cpu=300), "cpu", "not a Fargate size"),
        (lambda: EcsInputs(desired_count=5, max_capacity=3), "desired_count", "outside min/max"),
        (lambda: EcsInputs(environment={"1BAD": "x"}), "environment", "environment variable name"),
        (lambda: RdsInputs(database_name="my-db"), "database_name", "must start with a letter"),
        (lambda: RdsInputs(username="postgres"), "username", "reserved"),
        (lambda: RdsInputs(max_allocated_storage=10), "max_allocated_storage", "from 20"),
        (lambda: EcrInputs(repositories=("Bad_Name",)), "repositories", "not a repository name"),
        (lambda: AlbInputs(certificate_arn="nope"), "certificate_arn", "not an ACM certificate ARN"),
        (lambda: AlbInputs(ingress_cidrs=()), "ingress_cidrs", "at least one"),
    ],
)
def test_invalid_inputs_name_the_field(build: object, field: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        build()  # type: ignore[operator]
    assert caught.value.field == field
    assert words in caught.value.message


def test_every_fargate_pair_aws_allows_is_accepted() -> None:
    for cpu, memories in FARGATE_SIZES.items():
        for memory in memories:
            assert EcsInputs(cpu=cpu, memory=memory).memory == memory
    assert FARGATE_SIZES[256] == (512, 1024, 2048)
    assert FARGATE_SIZES[16384][-1] == 122880


def test_secret_refs_render_json_keys_as_ecs_expects() -> None:
    assert SecretRef("arn:aws:secretsmanager:r:1:secret:x", "password").value_from.endswith(":x:password::")
    assert SecretRef("arn:s").value_from == "arn:s"


@pytest.mark.parametrize(
    ("stack", "message"),
    [
        ('vpc=VpcInputs(cidr="300.0.0.0/16")', "environment 'qa': vpc.cidr: '300.0.0.0/16' is not a valid IPv4 CIDR"),
        ("vpc=VpcInputs(az_count=9)", "environment 'qa': vpc.az_count: 9 must be a whole number from 1 to 6"),
        ("ecs=EcsInputs(cpu=512, memory=512)", "environment 'qa': ecs.memory: 512 MiB is not allowed with cpu 512"),
    ],
)
def test_loader_adds_the_environment_to_input_errors(project: Path, stack: str, message: str) -> None:
    _write_config(project, "qa", CONFIG.format(name="qa", stack=stack))
    with pytest.raises(ConfigError) as caught:
        load(project, ["qa"])
    assert str(caught.value).startswith(message)


def test_missing_required_value_is_named(project: Path) -> None:
    _write_config(
        project,
        "qa",
        "from generator.environment import Environment\n"
        "ENVIRONMENT = Environment(name='qa', project='acme', region='us-east-1', stack=None)\n",
    )
    with pytest.raises(ConfigError) as caught:
        load(project, ["qa"])
    assert str(caught.value) == "environment 'qa': environment: required value missing: state_bucket"


@pytest.mark.parametrize(
    ("stack", "message"),
    [
        ("dns=DnsInputs()", "environment 'qa': dns: required value missing: zone_id and domain_name"),
        ("dns=modules.dns.DnsInputs(zone_id='Z1')", "environment 'qa': dns: required value missing: domain_name"),
        ("oidc=OidcInputs(\n        )", "environment 'qa': oidc: required value missing: repository"),
    ],
)
def test_missing_module_values_are_named_from_the_class_fields(project: Path, stack: str, message: str) -> None:
    """Checked against the dataclass's own fields (no parsing of Python's TypeError text)."""
    imports = "import modules.dns\nfrom modules.dns import DnsInputs\nfrom modules.oidc import OidcInputs\n"
    _write_config(project, "qa", imports + CONFIG.format(name="qa", stack=stack))
    with pytest.raises(ConfigError) as caught:
        load(project, ["qa"])
    assert str(caught.value) == message


def test_a_type_error_that_is_not_a_missing_value_names_the_config_line(project: Path) -> None:
    _write_config(project, "qa", CONFIG.format(name="qa", stack="vpc=VpcInputs(colour='blue')"))
    with pytest.raises(ConfigError) as caught:
        load(project, ["qa"])
    assert re.match(r"environments/qa/config\.py:\d+: TypeError: .*'colour'$", str(caught.value))


def test_env_name_must_match_its_folder(project: Path) -> None:
    _write_config(project, "qa", CONFIG.format(name="staging", stack=""))
    with pytest.raises(ConfigError, match="name is 'staging' but the folder is environments/qa"):
        load(project, ["qa"])


def test_adding_an_environment_is_one_small_file(project: Path) -> None:
    _write_config(project, "qa", CONFIG.format(name="qa", stack='vpc=VpcInputs(nat="single", az_count=2)'))
    from generator.render import pipeline

    (item,) = pipeline.render(project, ["qa"])
    vpc = item.files["vpc.tf"]
    assert 'resource "aws_subnet" "private_b"' in vpc and "private_c" not in vpc
    assert vpc.count('resource "aws_nat_gateway"') == 1
    assert '"acme/qa/terraform.tfstate"' in item.files["backend.tf"]


def test_prod_shape_has_a_nat_per_zone_and_protection(rendered: list) -> None:
    prod = next(item for item in rendered if item.env == "prod").files
    assert prod["vpc.tf"].count('resource "aws_nat_gateway"') == 3
    assert re.search(r"\n  multi_az +?= true\n", prod["rds.tf"])  # alignment follows the longest name
    assert re.search(r"\n  deletion_protection +?= true\n", prod["rds.tf"])
    assert 'image_tag_mutability = "IMMUTABLE"' in prod["ecr.tf"]
    dev = next(item for item in rendered if item.env == "dev").files
    assert dev["vpc.tf"].count('resource "aws_nat_gateway"') == 1
    assert '"db.t4g.micro"' in dev["rds.tf"]


UNTRACKED = """from generator.cdk import Vpc, tracked
from generator.environment import Environment

class Bare:
    def compose(self, scope, env):
        tracked(Vpc(scope, "named", cidr_block="10.0.0.0/16"))
        Vpc(scope, "anonymous", cidr_block="10.1.0.0/16")

ENVIRONMENT = Environment(name="qa", project="acme", region="us-east-1", state_bucket="acme-state", stack=Bare())
"""


def test_every_resource_must_go_through_tracked(project: Path) -> None:
    from generator.errors import HclgenError
    from generator.render import pipeline

    _write_config(project, "qa", UNTRACKED)
    with pytest.raises(HclgenError, match="resource aws_vpc.anonymous was not passed through tracked()"):
        pipeline.render(project, ["qa"])


def test_two_resources_may_not_share_a_terraform_name(project: Path) -> None:
    from generator.errors import HclgenError
    from generator.render import pipeline

    _write_config(
        project,
        "qa",
        UNTRACKED.replace(
            '        Vpc(scope, "anonymous", cidr_block="10.1.0.0/16")',
            '        tracked(Vpc(scope, "other", cidr_block="10.1.0.0/16"), "named")',
        ),
    )
    with pytest.raises(HclgenError, match="two resources named aws_vpc.named"):
        pipeline.render(project, ["qa"])
