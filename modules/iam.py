"""IAM roles of an ECS service: the task execution role (pull, logs, secrets) and the task role."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from generator import validate
from generator.cdk import Construct, IamRole, IamRolePolicy, tracked
from generator.errors import InputError
from generator.jsonenc import terraform_json

MODULE = "iam"
_ECS_TASKS_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


@dataclass(frozen=True, kw_only=True)
class IamInputs:
    """Roles.

    task_statements: IAM statements (Python dicts) granting the application's own permissions.
    allow_wildcards: accept statements whose Action or Resource is "*" (refused unless set).
    permissions_boundary_arn: boundary attached to both roles, when your organisation requires one.
    """

    task_statements: tuple[Mapping[str, Any], ...] = ()
    allow_wildcards: bool = False
    permissions_boundary_arn: str | None = None
    tags: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        validate.types(self, MODULE)
        for index, statement in enumerate(self.task_statements):
            if not {"Effect", "Action", "Resource"} <= set(statement):
                raise InputError(f"task_statements[{index}]", "needs Effect, Action and Resource", module=MODULE)
            for key in ("Action", "Resource"):
                if _has_wildcard(statement[key]) and not self.allow_wildcards:
                    raise InputError(
                        f"task_statements[{index}].{key}",
                        f"{statement[key]!r} grants everything; name "
                        "the actions/resources, or set allow_wildcards=True if you mean it",
                        module=MODULE,
                    )
        if self.permissions_boundary_arn is not None:
            validate.matches(
                MODULE,
                "permissions_boundary_arn",
                self.permissions_boundary_arn,
                r"arn:aws[a-z-]*:iam::\d{12}:policy/.+",
                "an IAM policy ARN",
            )


def _has_wildcard(value: object) -> bool:
    """A bare "*" or a service-wide "svc:*" action list entry (prefixes like "s3:Get*" are allowed)."""
    values = [value] if isinstance(value, str) else list(value) if isinstance(value, (list, tuple)) else []
    return any(
        isinstance(item, str) and (item == "*" or item.endswith(":*") and ":" not in item[:-2]) for item in values
    )


def policy(statements: Sequence[Mapping[str, Any]]) -> str:
    return terraform_json({"Version": "2012-10-17", "Statement": list(statements)})


class Iam(Construct):
    """Outputs: execution_role_arn, task_role_arn. Grants add least-privilege inline policies."""

    def __init__(self, scope: Construct, id_: str, inputs: IamInputs, *, name: str) -> None:
        super().__init__(scope, id_)
        self.execution_role = self._role(
            "execution", f"{name}-ecs-execution", "Pulls images, writes logs, reads secrets", inputs
        )
        self.task_role = self._role("task", f"{name}-ecs-task", "Identity of the running application", inputs)
        self.execution_role_arn: str = self.execution_role.arn
        self.task_role_arn: str = self.task_role.arn
        if inputs.task_statements:
            tracked(
                IamRolePolicy(
                    self,
                    "task_policy",
                    name="application",
                    role=self.task_role.id,
                    policy=policy(inputs.task_statements),
                ),
                "task",
            )

    def _role(self, key: str, role_name: str, description: str, inputs: IamInputs) -> IamRole:
        return tracked(
            IamRole(
                self,
                key,
                name=role_name,
                description=description,
                assume_role_policy=terraform_json(_ECS_TASKS_TRUST),
                permissions_boundary=inputs.permissions_boundary_arn,
                tags={"Name": role_name, **inputs.tags},
            )
        )

    def allow_image_pull(self, repository_arns: Sequence[str]) -> None:
        """Execution role may pull from exactly these repositories."""
        statements: list[dict[str, Any]] = [
            {"Sid": "Authenticate", "Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
            {
                "Sid": "PullImages",
                "Effect": "Allow",
                "Action": ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                "Resource": list(repository_arns),
            },
        ]
        tracked(
            IamRolePolicy(
                self, "execution_ecr", name="pull-images", role=self.execution_role.id, policy=policy(statements)
            )
        )

    def allow_log_writes(self, log_group_arn: str) -> None:
        """Execution role may write container logs to this log group only."""
        statement = {
            "Sid": "WriteLogs",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": f"{log_group_arn}:*",
        }
        tracked(
            IamRolePolicy(
                self, "execution_logs", name="write-logs", role=self.execution_role.id, policy=policy([statement])
            )
        )

    def allow_secret_reads(self, secret_arns: Sequence[str]) -> None:
        """Execution role may read exactly the secrets injected into the task."""
        if not secret_arns:
            return
        statement = {
            "Sid": "ReadSecrets",
            "Effect": "Allow",
            "Action": "secretsmanager:GetSecretValue",
            "Resource": list(secret_arns),
        }
        tracked(
            IamRolePolicy(
                self, "execution_secrets", name="read-secrets", role=self.execution_role.id, policy=policy([statement])
            )
        )

    def allow_parameter_reads(self, parameter_arns: Sequence[str]) -> None:
        """Execution role may read exactly the SSM parameters injected into the task."""
        if not parameter_arns:
            return
        statement = {
            "Sid": "ReadParameters",
            "Effect": "Allow",
            "Action": "ssm:GetParameters",
            "Resource": list(parameter_arns),
        }
        tracked(
            IamRolePolicy(
                self,
                "execution_parameters",
                name="read-parameters",
                role=self.execution_role.id,
                policy=policy([statement]),
            )
        )
