"""ECR repositories with scanning, tag mutability and an image lifecycle policy."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from generator import validate
from generator.cdk import (
    Construct,
    EcrLifecyclePolicy,
    EcrRepository,
    EcrRepositoryEncryptionConfiguration,
    EcrRepositoryImageScanningConfiguration,
    tracked,
)
from generator.errors import InputError
from generator.jsonenc import terraform_json

MODULE = "ecr"


@dataclass(frozen=True, kw_only=True)
class EcrInputs:
    """Image repositories.

    repositories: short names; the first holds the service image. Full name: <prefix>-<name>.
    tag_mutability: "MUTABLE", or "IMMUTABLE" so a pushed tag can never be overwritten (prod).
    scan_on_push: basic vulnerability scan of every pushed image.
    keep_last: tagged images kept; older ones expire.
    untagged_expire_days: days before untagged images expire.
    force_delete: allow deleting a repository that still holds images.
    """

    repositories: tuple[str, ...] = ("app",)
    tag_mutability: Literal["MUTABLE", "IMMUTABLE"] = "MUTABLE"
    scan_on_push: bool = True
    keep_last: int = 30
    untagged_expire_days: int = 7
    force_delete: bool = False
    tags: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        validate.types(self, MODULE)
        if not self.repositories:
            raise InputError("repositories", "give at least one repository name", module=MODULE)
        for repo in self.repositories:
            validate.matches(MODULE, "repositories", repo, r"[a-z0-9]+(?:[._-][a-z0-9]+)*", "a repository name")
        if len({validate.tf_name(repo) for repo in self.repositories}) != len(self.repositories):
            raise InputError("repositories", "names must stay distinct once '-' and '.' become '_'", module=MODULE)
        validate.one_of(MODULE, "tag_mutability", self.tag_mutability, ("MUTABLE", "IMMUTABLE"))
        validate.in_range(MODULE, "keep_last", self.keep_last, 1, 10000)
        validate.in_range(MODULE, "untagged_expire_days", self.untagged_expire_days, 1, 3650)


def lifecycle_policy(keep_last: int, untagged_days: int) -> str:
    rules = [
        {
            "rulePriority": 1,
            "description": f"Expire untagged images after {untagged_days} days",
            "selection": {
                "tagStatus": "untagged",
                "countType": "sinceImagePushed",
                "countUnit": "days",
                "countNumber": untagged_days,
            },
            "action": {"type": "expire"},
        },
        {
            "rulePriority": 2,
            "description": f"Keep the last {keep_last} images",
            "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": keep_last},
            "action": {"type": "expire"},
        },
    ]
    return terraform_json({"rules": rules})


class Ecr(Construct):
    """Outputs: repository_urls / repository_arns (by short name), image_repository_url, image_repository_arn."""

    def __init__(self, scope: Construct, id_: str, inputs: EcrInputs, *, name: str) -> None:
        super().__init__(scope, id_)
        self.repository_urls: dict[str, str] = {}
        self.repository_arns: dict[str, str] = {}
        policy = lifecycle_policy(inputs.keep_last, inputs.untagged_expire_days)
        for repo in inputs.repositories:
            key = validate.tf_name(repo)
            repository = tracked(
                EcrRepository(
                    self,
                    key,
                    name=f"{name}-{repo}",
                    image_tag_mutability=inputs.tag_mutability,
                    force_delete=inputs.force_delete,
                    image_scanning_configuration=EcrRepositoryImageScanningConfiguration(
                        scan_on_push=inputs.scan_on_push
                    ),
                    encryption_configuration=[EcrRepositoryEncryptionConfiguration(encryption_type="AES256")],
                    tags={"Name": f"{name}-{repo}", **inputs.tags},
                )
            )
            tracked(EcrLifecyclePolicy(self, f"{key}_lifecycle", repository=repository.name, policy=policy), key)
            self.repository_urls[repo] = repository.repository_url
            self.repository_arns[repo] = repository.arn
        first = inputs.repositories[0]
        self.image_repository_url = self.repository_urls[first]
        self.image_repository_arn = self.repository_arns[first]
