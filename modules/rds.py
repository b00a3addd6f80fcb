"""PostgreSQL on RDS, password managed by AWS in Secrets Manager, reachable only from named SGs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator import validate
from generator.cdk import (
    Construct,
    DbInstance,
    DbParameterGroup,
    DbParameterGroupParameter,
    IamRole,
    IamRolePolicyAttachment,
    SecurityGroup,
    VpcSecurityGroupIngressRule,
    tracked,
)
from generator.errors import InputError
from generator.jsonenc import terraform_json

MODULE = "rds"
PORT = 5432


@dataclass(frozen=True, kw_only=True)
class RdsInputs:
    """Database settings.

    engine_version: PostgreSQL major version ("16"); minor upgrades are applied automatically.
    instance_class: e.g. "db.t4g.micro" (dev) or "db.m7g.large" (prod).
    allocated_storage / max_allocated_storage: gp3 GiB at creation / ceiling for storage autoscaling.
    database_name, username: initial database and master user (the password lives in Secrets Manager).
    multi_az: standby in a second AZ. deletion_protection: refuse deletion through the API.
    final_snapshot: take a snapshot named <prefix>-final when the instance is deleted.
    backup_retention_days: automated backups kept (0 disables them; 1..35).
    slow_query_ms: log statements slower than this (log_min_duration_statement).
    performance_insights: Performance Insights (7 days free); performance_insights_days: 7, or a multiple of 31.
    monitoring_interval: Enhanced Monitoring every N seconds (0 = off; 1, 5, 10, 15, 30, 60), with its IAM role.
    """

    engine_version: str = "16"
    instance_class: str = "db.t4g.micro"
    allocated_storage: int = 20
    max_allocated_storage: int = 100
    database_name: str = "app"
    username: str = "app"
    multi_az: bool = False
    deletion_protection: bool = False
    final_snapshot: bool = False
    backup_retention_days: int = 7
    slow_query_ms: int = 3000
    apply_immediately: bool = False
    performance_insights: bool = False
    performance_insights_days: int = 7
    monitoring_interval: int = 0
    tags: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        validate.types(self, MODULE)
        validate.matches(MODULE, "engine_version", self.engine_version, r"1[3-7]", "a PostgreSQL major version 13..17")
        validate.rds_instance_class(MODULE, "instance_class", self.instance_class)
        validate.in_range(MODULE, "allocated_storage", self.allocated_storage, 20, 65536)
        validate.in_range(MODULE, "max_allocated_storage", self.max_allocated_storage, self.allocated_storage, 65536)
        validate.identifier(MODULE, "database_name", self.database_name)
        validate.identifier(MODULE, "username", self.username)
        if self.username in {"admin", "postgres", "rdsadmin"}:
            raise InputError("username", f"{self.username!r} is reserved by RDS", module=MODULE)
        validate.in_range(MODULE, "backup_retention_days", self.backup_retention_days, 0, 35)
        validate.in_range(MODULE, "slow_query_ms", self.slow_query_ms, 0, 2147483647)
        days = self.performance_insights_days
        if days not in (7, 731) and not (days % 31 == 0 and 31 <= days <= 713):
            raise InputError(
                "performance_insights_days",
                f"{self.performance_insights_days} must be 7, 731 or a multiple of 31 up to 713",
                module=MODULE,
            )
        validate.one_of(MODULE, "monitoring_interval", self.monitoring_interval, (0, 1, 5, 10, 15, 30, 60))


class Rds(Construct):
    """Outputs: address, port, database_name, master_secret_arn, security_group_id."""

    def __init__(
        self, scope: Construct, id_: str, inputs: RdsInputs, *, name: str, vpc_id: str, db_subnet_group_name: str
    ) -> None:
        super().__init__(scope, id_)
        self.security_group = tracked(
            SecurityGroup(
                self,
                "database",
                name=f"{name}-db",
                description=f"PostgreSQL of {name}",
                vpc_id=vpc_id,
                tags={"Name": f"{name}-db", **inputs.tags},
            )
        )
        family = f"postgres{inputs.engine_version}"
        parameters = tracked(
            DbParameterGroup(
                self,
                "parameter_group",
                name=f"{name}-{family}",
                family=family,
                description=f"{family} settings of {name}",
                parameter=[
                    DbParameterGroupParameter(name="log_min_duration_statement", value=str(inputs.slow_query_ms))
                ],
                tags={"Name": f"{name}-{family}", **inputs.tags},
            ),
            "this",
        )
        self.instance = tracked(
            DbInstance(
                self,
                "instance",
                identifier=name,
                engine="postgres",
                engine_version=inputs.engine_version,
                instance_class=inputs.instance_class,
                allocated_storage=inputs.allocated_storage,
                max_allocated_storage=inputs.max_allocated_storage,
                storage_type="gp3",
                storage_encrypted=True,
                db_name=inputs.database_name,
                username=inputs.username,
                manage_master_user_password=True,
                port=PORT,
                db_subnet_group_name=db_subnet_group_name,
                vpc_security_group_ids=[self.security_group.id],
                publicly_accessible=False,
                parameter_group_name=parameters.name,
                multi_az=inputs.multi_az,
                deletion_protection=inputs.deletion_protection,
                skip_final_snapshot=not inputs.final_snapshot,
                final_snapshot_identifier=f"{name}-final" if inputs.final_snapshot else None,
                backup_retention_period=inputs.backup_retention_days,
                copy_tags_to_snapshot=True,
                auto_minor_version_upgrade=True,
                apply_immediately=inputs.apply_immediately,
                enabled_cloudwatch_logs_exports=["postgresql"],
                tags={"Name": name, **inputs.tags},
                **self._insight(inputs, name),
            ),
            "this",
        )
        self.address: str = self.instance.address
        self.port = PORT
        self.database_name = inputs.database_name
        self.master_secret_arn: str = self.instance.master_user_secret.get(0).secret_arn
        self.security_group_id: str = self.security_group.id

    def _insight(self, inputs: RdsInputs, name: str) -> dict[str, Any]:
        """Performance Insights and Enhanced Monitoring settings (nothing when both are off)."""
        settings: dict[str, Any] = {}
        if inputs.performance_insights:
            settings.update(
                performance_insights_enabled=True,
                performance_insights_retention_period=inputs.performance_insights_days,
            )
        if inputs.monitoring_interval:
            trust = {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": "sts:AssumeRole",
                        "Principal": {"Service": "monitoring.rds.amazonaws.com"},
                    }
                ],
            }
            role = tracked(
                IamRole(
                    self,
                    "monitoring",
                    name=f"{name}-rds-monitoring",
                    assume_role_policy=terraform_json(trust),
                    description="RDS Enhanced Monitoring",
                    tags={"Name": f"{name}-rds-monitoring", **inputs.tags},
                ),
                "rds_monitoring",
            )
            tracked(
                IamRolePolicyAttachment(
                    self,
                    "monitoring_policy",
                    role=role.name,
                    policy_arn="arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
                ),
                "rds_monitoring",
            )
            settings.update(monitoring_interval=inputs.monitoring_interval, monitoring_role_arn=role.arn)
        return settings

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
