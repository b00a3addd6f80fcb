"""The settings every environment has, independent of which modules it composes."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from generator import secrets, validate
from generator.addresses import ADDRESS, resource_type
from generator.errors import InputError

if TYPE_CHECKING:
    from generator.cdk import Construct

_NAME = re.compile(r"^[a-z][a-z0-9-]{0,20}$")
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")

TERRAFORM_REQUIRED_VERSION = ">= 1.11"
AWS_PROVIDER_SOURCE = "hashicorp/aws"
# The bindings are generated for aws 5.99; any later 5.x keeps their schema compatible.
AWS_PROVIDER_CONSTRAINT = "~> 5.99"


class Blueprint(Protocol):
    """What an environment composes: builds module constructs into a stack."""

    def compose(self, scope: Construct, env: Environment) -> None:
        """Create the module constructs, outputs included (TerraformOutput in `scope`)."""
        ...


@dataclass(frozen=True)
class Backend:
    """The S3 backend of one environment's state."""

    bucket: str
    key: str
    region: str


@dataclass(frozen=True, kw_only=True)
class Environment:
    """One deployable environment.

    name: folder name under environments/ (lowercase, digits, dashes).
    project: short project slug, prefixes every resource name and the state key.
    region: AWS region the provider and the state bucket live in.
    state_bucket: S3 bucket holding the state (`python main.py bootstrap ENV` creates it).
    tags: default tags on every taggable resource (Project and Environment are added).
    stack: the blueprint, e.g. modules.stack.StackInputs with per-module inputs.
    moves: resources whose address changed, {old address: new address}, e.g.
      {"aws_ecr_repository.api": "aws_ecr_repository.app"}, for renames synth cannot match on
      its own (it stops and says so); synth writes their `moved` blocks into moved.tf.
    after: environments this one is promoted after, e.g. ("dev",) for prod: the generated
      apply workflow applies it only once each of them applied successfully (or had nothing to
      apply). Names must be other environments of the project; the order must have no cycle.
    not_secret: dotted paths of config strings that look like secrets but are not, e.g.
      ("tags.BuildToken",): every string a config passes is committed to HCL, so one holding a
      password URL or a well-known key (sk_live_, AKIA, ghp_, xoxb-...) is refused otherwise.
    """

    name: str
    project: str
    region: str
    state_bucket: str
    stack: Blueprint
    tags: Mapping[str, str] = field(default_factory=dict)
    moves: Mapping[str, str] = field(default_factory=dict)
    after: tuple[str, ...] = ()
    not_secret: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        validate.types(self)
        if not _NAME.match(self.name):
            raise InputError("name", f"{self.name!r} must be lowercase letters, digits and dashes (max 21)")
        if not _NAME.match(self.project):
            raise InputError("project", f"{self.project!r} must be lowercase letters, digits and dashes (max 21)")
        validate.region(None, "region", self.region)
        if not _BUCKET.match(self.state_bucket) or ".." in self.state_bucket:
            raise InputError("state_bucket", f"{self.state_bucket!r} is not a valid S3 bucket name")
        self._check_moves()
        self._check_after()
        self._check_stack()
        secrets.check_strings(self.tags, self.not_secret, "tags")
        secrets.check_strings(self.stack, self.not_secret)

    def _check_after(self) -> None:
        """The form of `after`; unknown names and cycles need every env (render/promotion.py)."""
        for other in self.after:
            if not _NAME.match(other):
                raise InputError("after", f"{other!r} is not an environment name")
            if other == self.name:
                raise InputError("after", f"{self.name} cannot be promoted after itself")
        if len(set(self.after)) != len(self.after):
            raise InputError("after", f"{list(self.after)} names an environment twice")

    def _check_stack(self) -> None:
        """Type-check every inputs dataclass of the stack (module = the stack's field name)."""
        if dataclasses.is_dataclass(self.stack):
            for item in dataclasses.fields(self.stack):
                value = getattr(self.stack, item.name)
                if dataclasses.is_dataclass(value):
                    validate.types(value, item.name)
            validate.types(self.stack, None)

    def _check_moves(self) -> None:
        for source, target in self.moves.items():
            for address in (source, target):
                if not isinstance(address, str) or not ADDRESS.match(address):
                    raise InputError("moves", f'{address!r} is not a resource address like "aws_ecr_repository.app"')
            if resource_type(source) != resource_type(target) or source == target:
                raise InputError("moves", f"{source} -> {target}: a move keeps the type and changes the name")

    @property
    def prefix(self) -> str:
        """Name prefix for AWS resource names: '<project>-<env>'."""
        return f"{self.project}-{self.name}"

    @property
    def backend(self) -> Backend:
        return Backend(self.state_bucket, f"{self.project}/{self.name}/terraform.tfstate", self.region)

    @property
    def default_tags(self) -> dict[str, str]:
        return {"Project": self.project, "Environment": self.name, "ManagedBy": "hclgen", **self.tags}
