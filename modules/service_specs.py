"""Pure builders behind modules/service.py: policy statements, the container definition, scaling.

They return plain data (JSON text or dicts) and create no resources, so the Service construct keeps
every `tracked` resource (and the source lines synth records for them).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.jsonenc import terraform_json
from modules.ecs_inputs import CONTAINER, SecretRef
from modules.service_wiring import ServiceWiring
from modules.services import ServiceInputs


def execution_statements(
    wiring: ServiceWiring, log_group_arn: str, secrets: Mapping[str, SecretRef]
) -> list[dict[str, Any]]:
    """The execution role's grants: pull the image, write logs, read its secrets and parameters."""
    statements: list[dict[str, Any]] = [
        {"Sid": "Authenticate", "Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
        {
            "Sid": "PullImage",
            "Effect": "Allow",
            "Action": ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
            "Resource": wiring.repository_arn,
        },
        {
            "Sid": "WriteLogs",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": f"{log_group_arn}:*",
        },
    ]
    secret_arns = sorted({ref.arn for ref in secrets.values()})
    if secret_arns:
        statements.append(
            {
                "Sid": "ReadSecrets",
                "Effect": "Allow",
                "Action": "secretsmanager:GetSecretValue",
                "Resource": secret_arns,
            }
        )
    if wiring.parameters:
        statements.append(
            {
                "Sid": "ReadParameters",
                "Effect": "Allow",
                "Action": "ssm:GetParameters",
                "Resource": [wiring.parameters[key] for key in sorted(wiring.parameters)],
            }
        )
    return statements


def container_definitions(
    inputs: ServiceInputs, wiring: ServiceWiring, log_group_name: str, secrets: Mapping[str, SecretRef]
) -> str:
    """The task definition's one container, as the JSON text ECS takes."""
    environment = {**wiring.environment, **inputs.environment}
    value_from = {**wiring.parameters, **{key: ref.value_from for key, ref in secrets.items()}}
    container: dict[str, Any] = {
        "name": CONTAINER,
        "image": f"{wiring.image_repository_url}:{inputs.image_tag}",
        "essential": True,
        "environment": [{"name": key, "value": environment[key]} for key in sorted(environment)],
        "secrets": [{"name": key, "valueFrom": value_from[key]} for key in sorted(value_from)],
        "logConfiguration": {
            "logDriver": "awslogs",
            "options": {
                "awslogs-group": log_group_name,
                "awslogs-region": wiring.region,
                "awslogs-stream-prefix": inputs.name,
            },
        },
        "readonlyRootFilesystem": False,
    }
    if inputs.role != "worker":
        container["portMappings"] = [{"containerPort": inputs.container_port, "protocol": "tcp"}]
    if inputs.command:
        container["command"] = list(inputs.command)
    if inputs.container_health_check:
        container["healthCheck"] = {
            "command": list(inputs.container_health_check),
            "interval": 30,
            "timeout": 5,
            "retries": 3,
            "startPeriod": 60,
        }
    return terraform_json([container])


def run_task_statements(task_arn: str, cluster_arn: str, role_arns: list[str]) -> list[dict[str, Any]]:
    """What EventBridge needs to run a scheduled task: RunTask on this cluster, and passing its roles."""
    return [
        {
            "Sid": "RunTask",
            "Effect": "Allow",
            "Action": "ecs:RunTask",
            "Resource": task_arn,
            "Condition": {"ArnEquals": {"ecs:cluster": cluster_arn}},
        },
        {"Sid": "PassRoles", "Effect": "Allow", "Action": "iam:PassRole", "Resource": role_arns},
    ]
