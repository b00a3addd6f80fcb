"""Interface VPC endpoints: the AWS APIs Fargate tasks reach without a NAT gateway.

With `vpc.nat = "none"` private subnets have no route out, yet a task must pull its image (ECR's API,
its Docker registry, and the layers in S3 through the gateway endpoint), write its logs and read its
secrets/parameters before the container even starts. One interface endpoint per service, in the
private subnets, with private DNS so the SDKs' default host names resolve to it; its own security
group admits HTTPS from the VPC only. Also useful beside a NAT gateway, to keep that traffic off it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from generator import validate
from generator.cdk import Construct, SecurityGroup, VpcEndpoint, VpcSecurityGroupIngressRule, tracked
from generator.errors import InputError

MODULE = "endpoints"
# What every Fargate task with an ECR image and awslogs needs (the S3 gateway endpoint carries the layers).
BASE = ("ecr.api", "ecr.dkr", "logs")
KNOWN = frozenset(
    {
        *BASE,
        "secretsmanager",
        "ssm",
        "ssmmessages",
        "sqs",
        "sts",
        "kms",
        "elasticache",
        "ecs",
        "monitoring",
        "events",
        "sns",
        "execute-api",
        "xray",
    }
)


@dataclass(frozen=True, kw_only=True)
class EndpointsInputs:
    """Interface endpoints (vpc.endpoints).

    services: endpoints beyond those the stack derives (ecr.api, ecr.dkr and logs always; secretsmanager
      and ssm when tasks read secrets/parameters; sqs when a service uses a queue), e.g. ("sts", "kms").
    zones: place the endpoints in the first N private subnets only (each endpoint is billed per zone-hour);
      None: every zone. Tasks in other zones still reach them, across zones.
    """

    services: tuple[str, ...] = ()
    zones: int | None = None

    def __post_init__(self) -> None:
        validate.types(self, MODULE)
        for service in self.services:
            if service not in KNOWN:
                raise InputError(
                    "services",
                    f"{service!r} is not an endpoint service hclgen knows ({', '.join(sorted(KNOWN))})",
                    module=MODULE,
                )
        if self.zones is not None:
            validate.in_range(MODULE, "zones", self.zones, 1, 6)


class Endpoints(Construct):
    """Interface endpoints in `subnet_ids`, Terraform names <service with _>, security group "endpoints".

    Constructor: vpc_id, vpc_cidr (admitted on 443), subnet_ids (private), region, needs (services the
    stack derived). Outputs: security_group_id, services (sorted). Method: need(services) adds more.
    """

    def __init__(
        self,
        scope: Construct,
        id_: str,
        inputs: EndpointsInputs,
        *,
        name: str,
        region: str,
        vpc_id: str,
        vpc_cidr: str,
        subnet_ids: Sequence[str],
        needs: Iterable[str] = (),
    ) -> None:
        super().__init__(scope, id_)
        self.name, self.region, self.vpc_id = name, region, vpc_id
        self.subnet_ids = list(subnet_ids[: inputs.zones] if inputs.zones else subnet_ids)
        group = tracked(
            SecurityGroup(
                self,
                "security_group",
                name=f"{name}-endpoints",
                vpc_id=vpc_id,
                description=f"Interface VPC endpoints of {name}",
                tags={"Name": f"{name}-endpoints"},
            ),
            "endpoints",
        )
        self.security_group_id: str = group.id
        tracked(
            VpcSecurityGroupIngressRule(
                self,
                "https_from_vpc",
                security_group_id=group.id,
                description="HTTPS from the VPC",
                ip_protocol="tcp",
                from_port=443,
                to_port=443,
                cidr_ipv4=vpc_cidr,
            ),
            "endpoints_https_from_vpc",
        )
        self.services: list[str] = []
        self.need([*BASE, *inputs.services, *needs])

    def need(self, services: Iterable[str]) -> None:
        """Add an endpoint for each service not yet present (the stack calls this as it learns what tasks use)."""
        for service in sorted(set(services) - set(self.services)):
            if service not in KNOWN:
                raise InputError("services", f"{service!r} is not an endpoint service hclgen knows", module=MODULE)
            key = validate.tf_name(service)
            tracked(
                VpcEndpoint(
                    self,
                    key,
                    vpc_id=self.vpc_id,
                    vpc_endpoint_type="Interface",
                    service_name=f"com.amazonaws.{self.region}.{service}",
                    private_dns_enabled=True,
                    subnet_ids=self.subnet_ids,
                    security_group_ids=[self.security_group_id],
                    tags={"Name": f"{self.name}-{service}"},
                )
            )
            self.services.append(service)
        self.services.sort()


def check_reachable(nat: str, endpoints: EndpointsInputs | None, s3_endpoint: bool) -> None:
    """Refuse a network where tasks cannot pull their image or write their logs (no NAT, no endpoints)."""
    if nat != "none":
        return
    if endpoints is None:
        raise InputError(
            "nat",
            "'none' leaves Fargate tasks no route to ECR and CloudWatch Logs, so they never "
            "start: add endpoints=EndpointsInputs() (interface endpoints) or set nat='single'",
            module="vpc",
        )
    if not s3_endpoint:
        raise InputError(
            "s3_endpoint",
            "with nat='none' image layers come from S3 through the gateway endpoint: set s3_endpoint=True",
            module="vpc",
        )
