"""VPC across N availability zones: public, private and database subnet tiers."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Literal

from generator import validate
from generator.cdk import (
    Construct,
    DbSubnetGroup,
    DefaultSecurityGroup,
    Eip,
    InternetGateway,
    NatGateway,
    Route,
    RouteTable,
    RouteTableAssociation,
    Subnet,
    VpcEndpoint,
    tracked,
)
from generator.cdk import Vpc as AwsVpc
from generator.errors import InputError
from modules.endpoints import EndpointsInputs, check_reachable

MODULE = "vpc"
TIERS = ("public", "private", "database")
TIER_STRIDE = 8  # netnums reserved per tier: room for up to 6 AZs plus growth, fixed so CIDRs never shift

MAX_PREFIX = 23  # 3 tiers x TIER_STRIDE netnums need 5 subnet bits; AWS subnets are /28 at the smallest
NatMode = Literal["none", "single", "per_az"]


@dataclass(frozen=True, kw_only=True)
class VpcInputs:
    """Network layout.

    cidr: the VPC range, e.g. "10.0.0.0/18".
    az_count: availability zones to span (1..6); the zones are <region>a, b, c... unless `azs` is set.
    azs: explicit zone names (overrides az_count).
    nat: "none" (no egress from private subnets), "single" (one NAT gateway, cheap) or "per_az" (HA).
      "none" needs `endpoints` (the tasks' only way to ECR, CloudWatch Logs and Secrets Manager).
    subnet_bits: bits added to the VPC prefix for each subnet (6: /18 -> /24).
    public_subnets / private_subnets / database_subnets: explicit CIDRs, one per AZ; computed when empty
      (tier t, zone i -> netnum t*8+i).
    s3_endpoint: add a free S3 gateway endpoint to the private and database route tables.
    endpoints: interface VPC endpoints (modules/endpoints.py) in the private subnets; None: none.
    lock_default_security_group: take over the VPC's default security group and remove all its rules,
      so nothing that lands in it by mistake can talk to anything.
    tags: extra tags on every VPC resource.
    """

    cidr: str = "10.0.0.0/18"
    az_count: int = 3
    azs: tuple[str, ...] = ()
    nat: NatMode = "single"
    subnet_bits: int = 6
    public_subnets: tuple[str, ...] = ()
    private_subnets: tuple[str, ...] = ()
    database_subnets: tuple[str, ...] = ()
    s3_endpoint: bool = True
    endpoints: EndpointsInputs | None = None
    lock_default_security_group: bool = True
    tags: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        validate.types(self, MODULE)
        network = validate.cidr(MODULE, "cidr", self.cidr)
        validate.in_range(MODULE, "az_count", self.az_count, 1, 6)
        if self.azs and not 1 <= len(self.azs) <= 6:
            raise InputError("azs", f"{len(self.azs)} zones given: give 1 to 6", module=MODULE)
        validate.one_of(MODULE, "nat", self.nat, ("none", "single", "per_az"))
        check_reachable(self.nat, self.endpoints, self.s3_endpoint)
        if network.prefixlen > MAX_PREFIX:
            raise InputError(
                "cidr",
                f"{self.cidr} is too small: three subnet tiers need a /{MAX_PREFIX} or larger VPC (e.g. 10.0.0.0/18)",
                module=MODULE,
            )
        validate.in_range(MODULE, "subnet_bits", self.subnet_bits, 5, 28 - network.prefixlen)
        subnets = self.subnet_cidrs("<region>")
        for tier in TIERS:
            validate.within(MODULE, f"{tier}_subnets", subnets[tier], network)
        validate.no_overlap(MODULE, "subnets", [net for tier in TIERS for net in subnets[tier]])

    def zones(self, region: str) -> tuple[str, ...]:
        return self.azs or tuple(f"{region}{chr(ord('a') + i)}" for i in range(self.az_count))

    def subnet_cidrs(self, region: str) -> dict[str, list[ipaddress.IPv4Network]]:
        count = len(self.zones(region))
        network = ipaddress.IPv4Network(self.cidr)
        given = {"public": self.public_subnets, "private": self.private_subnets, "database": self.database_subnets}
        out: dict[str, list[ipaddress.IPv4Network]] = {}
        for index, tier in enumerate(TIERS):
            if given[tier]:
                if len(given[tier]) != count:
                    raise InputError(f"{tier}_subnets", f"{len(given[tier])} CIDRs for {count} zones", module=MODULE)
                out[tier] = [validate.cidr(MODULE, f"{tier}_subnets", value) for value in given[tier]]
            else:
                subnets = list(network.subnets(prefixlen_diff=self.subnet_bits))
                out[tier] = [subnets[index * TIER_STRIDE + zone] for zone in range(count)]
        return out


class Vpc(Construct):
    """Outputs: vpc_id, cidr, zones, public/private/database_subnet_ids, db_subnet_group_name."""

    def __init__(self, scope: Construct, id_: str, inputs: VpcInputs, *, name: str, region: str) -> None:
        super().__init__(scope, id_)
        self.zones = inputs.zones(region)
        self.cidr = inputs.cidr
        cidrs = inputs.subnet_cidrs(region)
        self.vpc = tracked(
            AwsVpc(
                self,
                "this",
                cidr_block=inputs.cidr,
                enable_dns_support=True,
                enable_dns_hostnames=True,
                tags={"Name": name, **inputs.tags},
            )
        )
        self.vpc_id: str = self.vpc.id
        # The VPC's owner is the account: no aws_caller_identity read, so a plan needs no STS call.
        self.account_id: str = self.vpc.owner_id
        if inputs.lock_default_security_group:
            tracked(
                DefaultSecurityGroup(
                    self,
                    "default_security_group",
                    vpc_id=self.vpc_id,
                    ingress=[],
                    egress=[],
                    tags={"Name": f"{name}-default-no-traffic", **inputs.tags},
                ),
                "this",
            )
        self.igw = tracked(InternetGateway(self, "igw", vpc_id=self.vpc_id, tags={"Name": name, **inputs.tags}), "this")
        subnets = {tier: self._subnets(tier, cidrs[tier], name, inputs.tags) for tier in TIERS}
        self.public_subnet_ids = [subnet.id for subnet in subnets["public"]]
        self.private_subnet_ids = [subnet.id for subnet in subnets["private"]]
        self.database_subnet_ids = [subnet.id for subnet in subnets["database"]]
        public_table = self._public_routes(subnets["public"], name, inputs.tags)
        private_tables = self._private_routes(subnets, inputs.nat, name, inputs.tags)
        database_table = self._route_table("database", subnets["database"], name, inputs.tags)
        self.db_subnet_group = tracked(
            DbSubnetGroup(
                self,
                "db_subnet_group",
                name=name,
                description=f"Database subnets of {name}",
                subnet_ids=self.database_subnet_ids,
                tags={"Name": name, **inputs.tags},
            ),
            "this",
        )
        self.db_subnet_group_name: str = self.db_subnet_group.name
        if inputs.s3_endpoint:
            tracked(
                VpcEndpoint(
                    self,
                    "s3",
                    vpc_id=self.vpc_id,
                    service_name=f"com.amazonaws.{region}.s3",
                    vpc_endpoint_type="Gateway",
                    route_table_ids=[t.id for t in [*private_tables, database_table]],
                    tags={"Name": f"{name}-s3", **inputs.tags},
                )
            )
        self.public_route_table_id: str = public_table.id

    def _subnets(self, tier: str, cidrs: list[ipaddress.IPv4Network], name: str, tags: dict[str, str]) -> list[Subnet]:
        return [
            tracked(
                Subnet(
                    self,
                    f"{tier}_{zone[-1]}",
                    vpc_id=self.vpc_id,
                    cidr_block=str(cidr),
                    availability_zone=zone,
                    map_public_ip_on_launch=False,
                    tags={"Name": f"{name}-{tier}-{zone[-1]}", "Tier": tier, **tags},
                )
            )
            for zone, cidr in zip(self.zones, cidrs)
        ]

    def _route_table(self, key: str, subnets: list[Subnet], name: str, tags: dict[str, str]) -> RouteTable:
        table = tracked(
            RouteTable(self, f"route_table_{key}", vpc_id=self.vpc_id, tags={"Name": f"{name}-{key}", **tags}), key
        )
        for subnet in subnets:
            tracked(
                RouteTableAssociation(
                    self, f"association_{subnet.node.id}", subnet_id=subnet.id, route_table_id=table.id
                ),
                subnet.node.id,
            )
        return table

    def _public_routes(self, subnets: list[Subnet], name: str, tags: dict[str, str]) -> RouteTable:
        table = self._route_table("public", subnets, name, tags)
        tracked(
            Route(
                self,
                "public_internet",
                route_table_id=table.id,
                destination_cidr_block="0.0.0.0/0",
                gateway_id=self.igw.id,
            )
        )
        return table

    def _private_routes(
        self, subnets: dict[str, list[Subnet]], nat: NatMode, name: str, tags: dict[str, str]
    ) -> list[RouteTable]:
        if nat != "per_az":
            table = self._route_table("private", subnets["private"], name, tags)
            if nat == "single":
                gateway = self._nat_gateway("this", subnets["public"][0], name, tags)
                tracked(
                    Route(
                        self,
                        "private_nat",
                        route_table_id=table.id,
                        destination_cidr_block="0.0.0.0/0",
                        nat_gateway_id=gateway.id,
                    )
                )
            return [table]
        tables = []
        for public, private in zip(subnets["public"], subnets["private"]):
            zone = private.node.id.split("_")[-1]
            table = self._route_table(f"private_{zone}", [private], name, tags)
            gateway = self._nat_gateway(f"zone_{zone}", public, name, tags)
            tracked(
                Route(
                    self,
                    f"private_{zone}_nat",
                    route_table_id=table.id,
                    destination_cidr_block="0.0.0.0/0",
                    nat_gateway_id=gateway.id,
                )
            )
            tables.append(table)
        return tables

    def _nat_gateway(self, key: str, public: Subnet, name: str, tags: dict[str, str]) -> NatGateway:
        label = name if key == "this" else f"{name}-{key.removeprefix('zone_')}"
        eip = tracked(
            Eip(self, "nat" if key == "this" else f"nat_{key}", domain="vpc", tags={"Name": f"{label}-nat", **tags})
        )
        return tracked(
            NatGateway(
                self,
                f"nat_gateway_{key}",
                allocation_id=eip.id,
                subnet_id=public.id,
                tags={"Name": label, **tags},
                depends_on=[self.igw],
            ),
            key,
        )
