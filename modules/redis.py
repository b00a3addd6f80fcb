"""ElastiCache replication group (Valkey or Redis OSS) in private subnets, admitting named services only.

Seed 000 moves Redis (Celery's broker) off a single EC2 instance onto ElastiCache to remove a single
point of failure: `replicas=1, multi_az=True` gives a standby in another zone with automatic failover.
No static secret: clients authenticate with IAM (an ElastiCache user of type "iam" in the cache's
user group; connect_statements() is what the task role needs to sign the token), so neither the state
nor the plan holds a password. Traffic is TLS and data at rest is encrypted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from generator import validate
from generator.cdk import (
    Construct,
    ElasticacheReplicationGroup,
    ElasticacheSubnetGroup,
    ElasticacheUser,
    ElasticacheUserGroup,
    SecurityGroup,
    VpcSecurityGroupIngressRule,
    tracked,
)
from generator.errors import InputError

MODULE = "cache"
PORT = 6379
Engine = Literal["valkey", "redis"]
# Oldest versions with IAM authentication (Redis OSS 7.0; Valkey 7.2).
_VERSIONS: dict[str, tuple[str, ...]] = {"valkey": ("7.2", "8.0", "8.1"), "redis": ("7.0", "7.1")}
_NODE = r"cache\.(t3|t4g|m5|m6g|m7g|r5|r6g|r7g|c7gn)\.[a-z0-9]+"


@dataclass(frozen=True, kw_only=True)
class CacheInputs:
    """The cache.

    engine / engine_version: "valkey" (7.2, 8.0, 8.1) or "redis" (7.0, 7.1): versions with IAM authentication.
    node_type: e.g. "cache.t4g.micro" (dev) or "cache.m7g.large".
    replicas: read replicas beside the primary (0..5); each is a billed node.
    multi_az: keep a replica in another zone and fail over to it automatically (needs replicas >= 1
      and subnets in two zones or more).
    subnet_tier: "private" (beside the services) or "database" (beside the database).
    snapshot_retention_days: daily snapshots kept (0: none).
    kms_key_arn: customer-managed key for encryption at rest; None: the AWS-managed key.
    users: names of the services that may connect (the stack admits their security groups and attaches
      connect_statements() to their task roles).
    """

    engine: Engine = "valkey"
    engine_version: str = "8.0"
    node_type: str = "cache.t4g.micro"
    replicas: int = 0
    multi_az: bool = False
    subnet_tier: Literal["private", "database"] = "private"
    snapshot_retention_days: int = 1
    maintenance_window: str = "sun:18:00-sun:19:00"
    kms_key_arn: str | None = None
    users: tuple[str, ...] = ()
    tags: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        validate.types(self, MODULE)
        validate.one_of(MODULE, "engine", self.engine, tuple(_VERSIONS))
        validate.one_of(MODULE, "engine_version", self.engine_version, _VERSIONS[self.engine])
        validate.matches(MODULE, "node_type", self.node_type, _NODE, "an ElastiCache node type (cache.t4g.micro...)")
        validate.in_range(MODULE, "replicas", self.replicas, 0, 5)
        if self.multi_az and self.replicas < 1:
            raise InputError("multi_az", "needs a replica to fail over to: set replicas=1 (or more)", module=MODULE)
        validate.one_of(MODULE, "subnet_tier", self.subnet_tier, ("private", "database"))
        validate.in_range(MODULE, "snapshot_retention_days", self.snapshot_retention_days, 0, 35)
        validate.matches(
            MODULE,
            "maintenance_window",
            self.maintenance_window,
            r"(mon|tue|wed|thu|fri|sat|sun):\d\d:\d\d-(mon|tue|wed|thu|fri|sat|sun):\d\d:\d\d",
            "a window like 'sun:18:00-sun:19:00' (UTC)",
        )
        for service in self.users:
            validate.matches(MODULE, "users", service, r"[a-z][a-z0-9-]{0,30}", "a service name")

    @property
    def nodes(self) -> int:
        return 1 + self.replicas

    def check_network(self, subnet_ids: Sequence[str], zones: int) -> None:
        """Refuse a cache the network cannot hold (no subnets of its tier; Multi-AZ in one zone)."""
        if not subnet_ids:
            raise InputError(
                "subnet_tier",
                f"the environment has no {self.subnet_tier} subnets for the cache: "
                "give the VPC private/database subnets (vpc.az_count >= 1)",
                module=MODULE,
            )
        if self.multi_az and zones < 2:
            raise InputError(
                "multi_az",
                f"needs subnets in two zones, the VPC has {zones}: set vpc.az_count >= 2 or multi_az=False",
                module=MODULE,
            )


class Cache(Construct):
    """Replication group `name`; Terraform names `key`.

    Constructor: subnet_ids of the chosen tier, zones (their count), vpc_id, allowed: service name ->
    security group id admitted on the port (more with allow_from()).
    Outputs: primary_endpoint, reader_endpoint, port, security_group_id, replication_group_arn,
    replication_group_id, member_cluster_ids (alarm dimensions), user_id (the IAM-authenticated user:
    the Redis AUTH user name), user_arn.
    Methods: allow_from(key, security_group_id), connect_statements() (elasticache:Connect for a task role).
    """

    def __init__(
        self,
        scope: Construct,
        id_: str,
        inputs: CacheInputs,
        *,
        key: str,
        name: str,
        vpc_id: str,
        subnet_ids: Sequence[str],
        zones: int,
        allowed: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(scope, id_)
        validate.identifier(MODULE, "key", key)
        inputs.check_network(subnet_ids, zones)
        self.key = key
        self.port = PORT
        tags = inputs.tags
        group = tracked(
            SecurityGroup(
                self,
                "security_group",
                name=f"{name}-cache",
                vpc_id=vpc_id,
                description=f"{inputs.engine} of {name}",
                tags={"Name": f"{name}-cache", **tags},
            ),
            f"{key}_cache",
        )
        self.security_group_id: str = group.id
        subnets = tracked(
            ElasticacheSubnetGroup(
                self,
                "subnet_group",
                name=name,
                subnet_ids=list(subnet_ids),
                description=f"{inputs.subnet_tier} subnets of {name}",
                tags={"Name": name, **tags},
            ),
            key,
        )
        users = self._users(key, name, inputs)
        self.group = tracked(
            ElasticacheReplicationGroup(
                self,
                "replication_group",
                replication_group_id=name,
                description=f"{inputs.engine} of {name}",
                engine=inputs.engine,
                engine_version=inputs.engine_version,
                node_type=inputs.node_type,
                num_cache_clusters=inputs.nodes,
                automatic_failover_enabled=inputs.replicas > 0,
                multi_az_enabled=inputs.multi_az,
                port=PORT,
                subnet_group_name=subnets.name,
                security_group_ids=[group.id],
                at_rest_encryption_enabled="true",
                kms_key_id=inputs.kms_key_arn,
                transit_encryption_enabled=True,
                user_group_ids=[users.id],
                snapshot_retention_limit=inputs.snapshot_retention_days,
                maintenance_window=inputs.maintenance_window,
                auto_minor_version_upgrade="true",
                apply_immediately=False,
                tags={"Name": name, **tags},
            ),
            key,
        )
        self.primary_endpoint: str = self.group.primary_endpoint_address
        self.reader_endpoint: str = self.group.reader_endpoint_address
        self.replication_group_arn: str = self.group.arn
        self.replication_group_id = name
        # CloudWatch's CacheClusterId dimension: ElastiCache names the members <group>-001, -002...
        self.member_cluster_ids = [f"{name}-{index:03d}" for index in range(1, inputs.nodes + 1)]
        for service in sorted(allowed or {}):
            self.allow_from(validate.tf_name(service), (allowed or {})[service])

    def _users(self, key: str, name: str, inputs: CacheInputs) -> ElasticacheUserGroup:
        # Every user group needs a user named "default"; this one is switched off and has no password.
        default = tracked(
            ElasticacheUser(
                self,
                "default_user",
                user_id=f"{name}-default",
                user_name="default",
                engine=inputs.engine,
                access_string="off -@all",
                authentication_mode={"type": "no-password-required"},
                tags={"Name": f"{name}-default", **inputs.tags},
            ),
            f"{key}_default",
        )
        # IAM authentication needs user_id == user_name.
        self.user_id = f"{name}-app"
        app = tracked(
            ElasticacheUser(
                self,
                "app_user",
                user_id=self.user_id,
                user_name=self.user_id,
                engine=inputs.engine,
                access_string="on ~* +@all",
                authentication_mode={"type": "iam"},
                tags={"Name": self.user_id, **inputs.tags},
            ),
            f"{key}_app",
        )
        self.user_arn: str = app.arn
        return tracked(
            ElasticacheUserGroup(
                self,
                "user_group",
                user_group_id=name,
                engine=inputs.engine,
                user_ids=[default.user_id, app.user_id],
                tags={"Name": name, **inputs.tags},
            ),
            key,
        )

    def allow_from(self, key: str, security_group_id: str) -> None:
        """Admit connections on the cache port from one security group (and nothing else)."""
        tracked(
            VpcSecurityGroupIngressRule(
                self,
                f"from_{key}",
                security_group_id=self.security_group_id,
                description=f"Cache port from {key}",
                ip_protocol="tcp",
                from_port=PORT,
                to_port=PORT,
                referenced_security_group_id=security_group_id,
            ),
            f"{self.key}_cache_from_{key}",
        )

    def connect_statements(self) -> list[dict[str, Any]]:
        """What a task role needs to sign an IAM auth token for the app user on this cache."""
        sid = "".join(part.title() for part in self.key.split("_"))
        return [
            {
                "Sid": f"Connect{sid}",
                "Effect": "Allow",
                "Action": "elasticache:Connect",
                "Resource": [self.replication_group_arn, self.user_arn],
            }
        ]
