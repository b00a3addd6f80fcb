"""Aurora PostgreSQL: one writer and N readers spread over the zones, encrypted, password in Secrets Manager.

Drop-in for modules.rds (same outputs and allow_from), chosen with StackInputs.aurora. Exposes
what cluster alarms need: cluster_identifier, writer/reader instance ids and the instance class.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator import validate
from generator.cdk import (
    Construct,
    DbParameterGroup,
    DbParameterGroupParameter,
    RdsCluster,
    RdsClusterInstance,
    RdsClusterParameterGroup,
    RdsClusterParameterGroupParameter,
    SecurityGroup,
    VpcSecurityGroupIngressRule,
    tracked,
)
from generator.errors import InputError

MODULE = "aurora"
PORT = 5432


@dataclass(frozen=True, kw_only=True)
class AuroraInputs:
    """Aurora PostgreSQL cluster settings.

    engine_version: full Aurora PostgreSQL version ("16.6"); minor upgrades are applied automatically.
    instance_class: class of every instance, e.g. "db.r7g.large" (db.serverless is not offered here).
    readers: reader instances beside the writer (0..15); instances go round-robin over the VPC's zones.
    database_name, username: initial database and master user (the password lives in Secrets Manager).
    deletion_protection: refuse deletion through the API. final_snapshot: snapshot <prefix>-final on delete.
    backup_retention_days: automated backups kept (1..35; Aurora always keeps at least one day).
    slow_query_ms: log statements slower than this (log_min_duration_statement).
    performance_insights: Performance Insights on every instance (7 days, free tier).
    """

    engine_version: str = "16.6"
    instance_class: str = "db.r7g.large"
    readers: int = 1
    database_name: str = "app"
    username: str = "app"
    deletion_protection: bool = False
    final_snapshot: bool = False
    backup_retention_days: int = 7
    slow_query_ms: int = 3000
    performance_insights: bool = True
    apply_immediately: bool = False
    tags: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        validate.matches(
            MODULE, "engine_version", self.engine_version, r"1[3-7]\.\d{1,2}", "an Aurora PostgreSQL version like 16.6"
        )
        validate.matches(
            MODULE,
            "instance_class",
            self.instance_class,
            r"db\.(r|t|x)[0-9][a-z]*\.[a-z0-9]+",
            "an Aurora instance class like db.r7g.large",
        )
        validate.in_range(MODULE, "readers", self.readers, 0, 15)
        validate.identifier(MODULE, "database_name", self.database_name)
        validate.identifier(MODULE, "username", self.username)
        if self.username in {"admin", "postgres", "rdsadmin"}:
            raise InputError("username", f"{self.username!r} is reserved by RDS", module=MODULE)
        validate.in_range(MODULE, "backup_retention_days", self.backup_retention_days, 1, 35)
        validate.in_range(MODULE, "slow_query_ms", self.slow_query_ms, 0, 2147483647)

    @property
    def family(self) -> str:
        return f"aurora-postgresql{self.engine_version.split('.')[0]}"


class Aurora(Construct):
    """Outputs: address (writer endpoint), reader_address, port, database_name, master_secret_arn,
    security_group_id, cluster_identifier, writer_instance_id, reader_instance_ids, instance_class."""

    def __init__(
        self,
        scope: Construct,
        id_: str,
        inputs: AuroraInputs,
        *,
        name: str,
        vpc_id: str,
        db_subnet_group_name: str,
        zones: tuple[str, ...],
    ) -> None:
        super().__init__(scope, id_)
        self.security_group = tracked(
            SecurityGroup(
                self,
                "database",
                name=f"{name}-db",
                description=f"Aurora PostgreSQL of {name}",
                vpc_id=vpc_id,
                tags={"Name": f"{name}-db", **inputs.tags},
            )
        )
        self.security_group_id: str = self.security_group.id
        cluster_parameters, instance_parameters = self._parameter_groups(inputs, name)
        self.cluster = tracked(
            RdsCluster(
                self,
                "cluster",
                cluster_identifier=name,
                engine="aurora-postgresql",
                engine_version=inputs.engine_version,
                database_name=inputs.database_name,
                master_username=inputs.username,
                manage_master_user_password=True,
                port=PORT,
                db_subnet_group_name=db_subnet_group_name,
                vpc_security_group_ids=[self.security_group_id],
                db_cluster_parameter_group_name=cluster_parameters,
                storage_encrypted=True,
                deletion_protection=inputs.deletion_protection,
                skip_final_snapshot=not inputs.final_snapshot,
                final_snapshot_identifier=f"{name}-final" if inputs.final_snapshot else None,
                backup_retention_period=inputs.backup_retention_days,
                copy_tags_to_snapshot=True,
                apply_immediately=inputs.apply_immediately,
                enabled_cloudwatch_logs_exports=["postgresql"],
                tags={"Name": name, **inputs.tags},
            ),
            "this",
        )
        self.instances = [
            self._instance(inputs, name, index, zones[index % len(zones)], instance_parameters)
            for index in range(1 + inputs.readers)
        ]
        self.address: str = self.cluster.endpoint
        self.reader_address: str = self.cluster.reader_endpoint
        self.port = PORT
        self.database_name = inputs.database_name
        self.master_secret_arn: str = self.cluster.master_user_secret.get(0).secret_arn
        self.cluster_identifier: str = self.cluster.cluster_identifier
        self.writer_instance_id: str = self.instances[0].identifier
        self.reader_instance_ids: list[str] = [instance.identifier for instance in self.instances[1:]]
        self.instance_class = inputs.instance_class

    def _parameter_groups(self, inputs: AuroraInputs, name: str) -> tuple[str, str]:
        family = inputs.family
        cluster = tracked(
            RdsClusterParameterGroup(
                self,
                "cluster_parameters",
                name=f"{name}-{family}",
                family=family,
                description=f"{family} cluster settings of {name}",
                parameter=[
                    RdsClusterParameterGroupParameter(
                        name="log_min_duration_statement", value=str(inputs.slow_query_ms)
                    )
                ],
                tags={"Name": f"{name}-{family}", **inputs.tags},
            ),
            "this",
        )
        instance = tracked(
            DbParameterGroup(
                self,
                "instance_parameters",
                name=f"{name}-{family}-instance",
                family=family,
                description=f"{family} instance settings of {name}",
                parameter=[DbParameterGroupParameter(name="log_lock_waits", value="1")],
                tags={"Name": f"{name}-{family}-instance", **inputs.tags},
            ),
            "instance",
        )
        return str(cluster.name), str(instance.name)

    def _instance(self, inputs: AuroraInputs, name: str, index: int, zone: str, parameters: str) -> RdsClusterInstance:
        role = "writer" if index == 0 else f"reader_{index}"
        return tracked(
            RdsClusterInstance(
                self,
                role,
                identifier=f"{name}-{index + 1}",
                cluster_identifier=self.cluster.id,
                engine=self.cluster.engine,
                engine_version=self.cluster.engine_version,
                instance_class=inputs.instance_class,
                availability_zone=zone,
                db_parameter_group_name=parameters,
                promotion_tier=0 if index == 0 else 1,
                publicly_accessible=False,
                auto_minor_version_upgrade=True,
                performance_insights_enabled=inputs.performance_insights,
                apply_immediately=inputs.apply_immediately,
                tags={"Name": f"{name}-{index + 1}", **inputs.tags},
            )
        )

    def allow_from(self, key: str, security_group_id: str, description: str) -> None:
        """Admit PostgreSQL connections from one security group (and nothing else)."""
        tracked(
            VpcSecurityGroupIngressRule(
                self,
                f"database_from_{key}",
                security_group_id=self.security_group_id,
                description=description,
                ip_protocol="tcp",
                from_port=PORT,
                to_port=PORT,
                referenced_security_group_id=security_group_id,
            )
        )
