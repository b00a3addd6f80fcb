"""RDS Proxy in front of the database: pools connections so task bursts cannot exhaust them.

Seed 002's fix for connection exhaustion. The proxy authenticates with the database's own
master secret (read by a role of its own), sits in the database subnets, and is the only
thing besides what you name that reaches the database's security group.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator import validate
from generator.cdk import (
    Construct,
    DbProxy,
    DbProxyAuth,
    DbProxyDefaultTargetGroup,
    DbProxyTarget,
    IamRole,
    IamRolePolicy,
    SecurityGroup,
    VpcSecurityGroupEgressRule,
    VpcSecurityGroupIngressRule,
    tracked,
)
from generator.cdk import DbProxyDefaultTargetGroupConnectionPoolConfig as PoolConfig
from generator.jsonenc import terraform_json

MODULE = "rds_proxy"
PORT = 5432


@dataclass(frozen=True, kw_only=True)
class RdsProxyInputs:
    """Proxy settings.

    require_tls: clients must connect with TLS.
    idle_client_timeout: seconds an idle client connection is kept (1..28800).
    max_connections_percent: share of the database's max_connections the proxy may open (1..100).
    max_idle_connections_percent: share it keeps open while idle (0..max_connections_percent).
    connection_borrow_timeout: seconds a client waits for a pooled connection (0..3600).
    debug_logging: log SQL statements (verbose; for troubleshooting only).
    """

    require_tls: bool = True
    idle_client_timeout: int = 1800
    max_connections_percent: int = 90
    max_idle_connections_percent: int = 50
    connection_borrow_timeout: int = 120
    debug_logging: bool = False
    tags: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        validate.in_range(MODULE, "idle_client_timeout", self.idle_client_timeout, 1, 28800)
        validate.in_range(MODULE, "max_connections_percent", self.max_connections_percent, 1, 100)
        validate.in_range(
            MODULE, "max_idle_connections_percent", self.max_idle_connections_percent, 0, self.max_connections_percent
        )
        validate.in_range(MODULE, "connection_borrow_timeout", self.connection_borrow_timeout, 0, 3600)


@dataclass(frozen=True)
class ProxyTarget:
    """The database behind the proxy: an RDS instance or an Aurora cluster identifier."""

    secret_arn: str
    security_group_id: str
    instance_identifier: str | None = None
    cluster_identifier: str | None = None


class RdsProxy(Construct):
    """Outputs: endpoint, security_group_id. allow_from() admits clients."""

    def __init__(
        self,
        scope: Construct,
        id_: str,
        inputs: RdsProxyInputs,
        target: ProxyTarget,
        *,
        name: str,
        vpc_id: str,
        subnet_ids: list[str],
    ) -> None:
        super().__init__(scope, id_)
        self.security_group = tracked(
            SecurityGroup(
                self,
                "proxy",
                name=f"{name}-db-proxy",
                description=f"RDS Proxy of {name}",
                vpc_id=vpc_id,
                tags={"Name": f"{name}-db-proxy", **inputs.tags},
            )
        )
        self.security_group_id: str = self.security_group.id
        tracked(
            VpcSecurityGroupEgressRule(
                self,
                "proxy_to_database",
                security_group_id=self.security_group_id,
                description="PostgreSQL to the database",
                ip_protocol="tcp",
                from_port=PORT,
                to_port=PORT,
                referenced_security_group_id=target.security_group_id,
            )
        )
        role = self._role(name, target.secret_arn, inputs)
        self.proxy = tracked(
            DbProxy(
                self,
                "this",
                name=name,
                engine_family="POSTGRESQL",
                role_arn=role.arn,
                vpc_subnet_ids=subnet_ids,
                vpc_security_group_ids=[self.security_group_id],
                require_tls=inputs.require_tls,
                idle_client_timeout=inputs.idle_client_timeout,
                debug_logging=inputs.debug_logging,
                auth=[
                    DbProxyAuth(
                        auth_scheme="SECRETS",
                        secret_arn=target.secret_arn,
                        iam_auth="DISABLED",
                        description="The database's master secret",
                    )
                ],
                tags={"Name": name, **inputs.tags},
            )
        )
        group = tracked(
            DbProxyDefaultTargetGroup(
                self,
                "target_group",
                db_proxy_name=self.proxy.name,
                connection_pool_config=PoolConfig(
                    max_connections_percent=inputs.max_connections_percent,
                    max_idle_connections_percent=inputs.max_idle_connections_percent,
                    connection_borrow_timeout=inputs.connection_borrow_timeout,
                ),
            ),
            "this",
        )
        tracked(
            DbProxyTarget(
                self,
                "target",
                db_proxy_name=self.proxy.name,
                target_group_name=group.name,
                db_instance_identifier=target.instance_identifier,
                db_cluster_identifier=target.cluster_identifier,
            ),
            "this",
        )
        self.endpoint: str = self.proxy.endpoint

    def _role(self, name: str, secret_arn: str, inputs: RdsProxyInputs) -> IamRole:
        trust = {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "rds.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ],
        }
        role = tracked(
            IamRole(
                self,
                "role",
                name=f"{name}-rds-proxy",
                description="RDS Proxy reads the database secret",
                assume_role_policy=terraform_json(trust),
                tags={"Name": f"{name}-rds-proxy", **inputs.tags},
            ),
            "proxy",
        )
        read = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "ReadDatabaseSecret",
                    "Effect": "Allow",
                    "Action": "secretsmanager:GetSecretValue",
                    "Resource": secret_arn,
                }
            ],
        }
        tracked(
            IamRolePolicy(self, "role_policy", name="read-database-secret", role=role.id, policy=terraform_json(read)),
            "proxy",
        )
        return role

    def allow_from(self, key: str, security_group_id: str, description: str) -> None:
        """Admit PostgreSQL connections to the proxy from one security group."""
        tracked(
            VpcSecurityGroupIngressRule(
                self,
                f"proxy_from_{key}",
                security_group_id=self.security_group_id,
                description=description,
                ip_protocol="tcp",
                from_port=PORT,
                to_port=PORT,
                referenced_security_group_id=security_group_id,
            )
        )
