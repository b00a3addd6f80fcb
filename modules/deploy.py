"""Where the running image tag lives: an SSM parameter that CI writes and Terraform reads.

Terraform creates `/<project>/<env>/deploy/image_tag` with the configured tag and then ignores
its value; the task definition's image takes the parameter's *current* value. A deploy
(`python main.py deploy ENV --image-tag TAG`) writes the parameter and applies, so the image
roll goes through the same plan as every other change, and the next apply reads the tag that
is running instead of reverting it. See docs/deploy.md for why this, not ignore_changes on
the service.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator import validate
from generator.cdk import Construct, SsmParameter, TerraformResourceLifecycle, tracked

MODULE = "deploy"
TAG_PATTERN = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"


def image_tag_parameter_name(project: str, env: str) -> str:
    """The one place the parameter's name is decided (the deploy command reads it too)."""
    return f"/{project}/{env}/deploy/image_tag"


@dataclass(frozen=True, kw_only=True)
class DeployInputs:
    """Image rollout.

    tag_from_parameter: the task definition's image tag comes from the SSM parameter (CI
      deploys set it); False pins ecs.image_tag in the HCL (a deploy would be reverted).
    tags: extra tags on the parameter.
    """

    tag_from_parameter: bool = True
    tags: dict[str, str] = field(default_factory=dict)


class Deploy(Construct):
    """Outputs: image_tag (the token the task definition uses), parameter_name."""

    def __init__(
        self, scope: Construct, id_: str, inputs: DeployInputs, *, project: str, env: str, initial_tag: str
    ) -> None:
        super().__init__(scope, id_)
        validate.matches(MODULE, "initial_tag", initial_tag, TAG_PATTERN, "an image tag")
        self.parameter_name = image_tag_parameter_name(project, env)
        self.parameter = tracked(
            SsmParameter(
                self,
                "image_tag",
                name=self.parameter_name,
                type="String",
                insecure_value=initial_tag,
                description="Image tag the ECS service runs; written by CI deploys (python main.py deploy)",
                # Deploys own the value after creation: an apply must never put the first tag back.
                # insecure_value, not value: the provider marks `value` sensitive, which would hide
                # the whole container definition in every plan; an image tag is no secret.
                lifecycle=TerraformResourceLifecycle(ignore_changes=["insecure_value"]),
                tags={"Name": self.parameter_name, **inputs.tags},
            )
        )
        self.image_tag: str = self.parameter.insecure_value
