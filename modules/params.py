"""Non-secret application settings in SSM Parameter Store, injected into the task as env vars.

Seed 004's split: secrets in Secrets Manager (ecs.secrets, the database secret), plain
settings in Parameter Store (standard tier, free). Changing a value here and applying rolls
the tasks, since ECS reads parameters when a task starts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from generator import secrets as plain_secrets
from generator import validate
from generator.cdk import Construct, SsmParameter, tracked
from generator.errors import InputError

MODULE = "params"


@dataclass(frozen=True, kw_only=True)
class ParamsInputs:
    """App settings.

    values: environment variable name -> value; stored as String parameters under
      /<project>/<env>/app/<NAME> and given to the container through ECS `secrets.valueFrom`.
      Committed in params.tf: secret-looking names or values are refused (generator/secrets.py).
    not_secret: value names that look like secrets but are not (an explicit opt-out each).
    """

    values: Mapping[str, str] = field(default_factory=dict)
    not_secret: tuple[str, ...] = ()
    tags: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for key, value in self.values.items():
            validate.matches(MODULE, "values", key, r"[A-Za-z_][A-Za-z0-9_]*", "an environment variable name")
            if not isinstance(value, str) or not 1 <= len(value) <= 4096:
                raise InputError(
                    f"values[{key}]", "must be a string of 1..4096 characters (standard tier)", module=MODULE
                )
        plain_secrets.check_named(MODULE, "values", self.values, self.not_secret)


class Params(Construct):
    """Outputs: arns (env var name -> parameter ARN)."""

    def __init__(self, scope: Construct, id_: str, inputs: ParamsInputs, *, project: str, env: str) -> None:
        super().__init__(scope, id_)
        self.arns: dict[str, str] = {}
        for key in sorted(inputs.values):
            path = f"/{project}/{env}/app/{key}"
            parameter = tracked(
                SsmParameter(
                    self,
                    f"app_{validate.tf_name(key)}",
                    name=path,
                    type="String",
                    insecure_value=inputs.values[key],
                    tier="Standard",
                    description=f"{key} of the {env} application",
                    tags={"Name": path, **inputs.tags},
                )
            )
            self.arns[key] = parameter.arn
