"""GitHub Actions -> AWS by OIDC: the identity provider and the two CI roles of one environment.

The plan role is read-only and trusted by pull requests of one repository; the apply role is
trusted only by that repository's `main` branch or its GitHub environment of this env. Both
may touch exactly this env's state object and its lock file in the state bucket.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from generator import validate
from generator.cdk import (
    Construct,
    DataAwsIamOpenidConnectProvider,
    IamOpenidConnectProvider,
    IamRole,
    IamRolePolicy,
    IamRolePolicyAttachment,
    tracked,
)
from generator.environment import Backend
from generator.errors import InputError
from generator.jsonenc import terraform_json
from modules.oidc_policies import APPLY_IAM_ACTIONS as APPLY_IAM_ACTIONS
from modules.oidc_policies import APPLY_OIDC_ACTIONS as APPLY_OIDC_ACTIONS
from modules.oidc_policies import AUDIENCE as AUDIENCE
from modules.oidc_policies import GITHUB_ISSUER as GITHUB_ISSUER
from modules.oidc_policies import PLAN_READ_ACTIONS as PLAN_READ_ACTIONS
from modules.oidc_policies import state_statements as state_statements
from modules.oidc_policies import trust_policy as trust_policy

MODULE = "oidc"
ProviderMode = Literal["create", "existing"]
ApplyTrust = Literal["environment", "branch"]


@dataclass(frozen=True, kw_only=True)
class OidcInputs:
    """CI access from GitHub Actions.

    repository: the one GitHub repository ("owner/name") whose workflows may assume the roles.
    provider: "create" the account's GitHub OIDC provider here, or read the "existing" one with a
      data source (an account holds one per URL: when several envs share an account, one creates it).
    branch: the default branch: the plan role trusts it for the drift watch (drift.yml), and the
      apply role trusts it when apply_trust is "branch".
    apply_trust: "environment" (the job runs in GitHub environment `github_environment`, whose
      deployment-branch rule admits main only) or "branch" (any job on `branch`).
    github_environment: the GitHub environment name; None means the hclgen env name.
    apply_policy_arns: managed policies granting the apply role the AWS services the stack manages.
    plan_extra_actions: read actions added to the plan role (for resources you add to the stack).
    max_session_hours: longest CI session (1..12).
    """

    repository: str
    provider: ProviderMode = "create"
    branch: str = "main"
    apply_trust: ApplyTrust = "environment"
    github_environment: str | None = None
    apply_policy_arns: tuple[str, ...] = ("arn:aws:iam::aws:policy/PowerUserAccess",)
    plan_extra_actions: tuple[str, ...] = ()
    max_session_hours: int = 1
    tags: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        validate.matches(
            MODULE,
            "repository",
            self.repository,
            r"[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}",
            "a GitHub repository 'owner/name' (no wildcards)",
        )
        validate.one_of(MODULE, "provider", self.provider, ("create", "existing"))
        validate.one_of(MODULE, "apply_trust", self.apply_trust, ("environment", "branch"))
        validate.matches(MODULE, "branch", self.branch, r"[A-Za-z0-9._/-]{1,200}", "a branch name (no wildcards)")
        if self.github_environment is not None:
            validate.matches(
                MODULE,
                "github_environment",
                self.github_environment,
                r"[A-Za-z0-9._ -]{1,255}",
                "a GitHub environment name (no wildcards)",
            )
        for arn in self.apply_policy_arns:
            validate.matches(
                MODULE, "apply_policy_arns", arn, r"arn:aws[a-z-]*:iam::(aws|\d{12}):policy/.+", "an IAM policy ARN"
            )
        for action in self.plan_extra_actions:
            validate.matches(MODULE, "plan_extra_actions", action, r"[a-z0-9-]+:[A-Za-z*]+", "an IAM action")
        validate.in_range(MODULE, "max_session_hours", self.max_session_hours, 1, 12)

    def plan_subjects(self) -> list[str]:
        """Pull requests, and the scheduled drift watch (drift.yml), which runs on `branch`."""
        return [f"repo:{self.repository}:pull_request", f"repo:{self.repository}:ref:refs/heads/{self.branch}"]

    def apply_subject(self, env_name: str) -> str:
        if self.apply_trust == "branch":
            return f"repo:{self.repository}:ref:refs/heads/{self.branch}"
        return f"repo:{self.repository}:environment:{self.github_environment or env_name}"


class Oidc(Construct):
    """Outputs: provider_arn, plan_role_arn, apply_role_arn."""

    def __init__(
        self, scope: Construct, id_: str, inputs: OidcInputs, *, name: str, env_name: str, backend: Backend
    ) -> None:
        super().__init__(scope, id_)
        if len(name) > 51:
            raise InputError("name", f"role names '{name}-github-*' exceed IAM's 64 characters", module=MODULE)
        self.provider_arn = self._provider(inputs)
        self.plan_role = self._role(
            "plan",
            f"{name}-github-plan",
            f"Read-only terraform plan from pull requests and the drift watch on {inputs.branch}",
            inputs.plan_subjects(),
            inputs,
        )
        self.apply_role = self._role(
            "apply",
            f"{name}-github-apply",
            "terraform apply and deploys from main",
            inputs.apply_subject(env_name),
            inputs,
        )
        read = [
            {
                "Sid": "ReadStack",
                "Effect": "Allow",
                "Action": sorted({*PLAN_READ_ACTIONS, *inputs.plan_extra_actions}),
                "Resource": "*",
            }
        ]
        self._policy("plan_state", self.plan_role, "terraform-state", state_statements(backend, write_state=False))
        self._policy("plan_read", self.plan_role, "read-stack", read)
        self._policy("apply_state", self.apply_role, "terraform-state", state_statements(backend, write_state=True))
        self._policy("apply_iam", self.apply_role, "manage-stack-roles", self._iam_statements(name))
        for index, arn in enumerate(inputs.apply_policy_arns):
            key = "apply_managed" if len(inputs.apply_policy_arns) == 1 else f"apply_managed_{index + 1}"
            tracked(IamRolePolicyAttachment(self, key, role=self.apply_role.name, policy_arn=arn))
        self.plan_role_arn: str = self.plan_role.arn
        self.apply_role_arn: str = self.apply_role.arn

    def _provider(self, inputs: OidcInputs) -> str:
        if inputs.provider == "existing":
            found = tracked(
                DataAwsIamOpenidConnectProvider(self, "github_existing", url=f"https://{GITHUB_ISSUER}"), "github"
            )
            return str(found.arn)
        # No thumbprint: IAM trusts GitHub's certificate through its own root CA library.
        created = tracked(
            IamOpenidConnectProvider(
                self,
                "github",
                url=f"https://{GITHUB_ISSUER}",
                client_id_list=[AUDIENCE],
                tags={"Name": "github-actions", **inputs.tags},
            )
        )
        return str(created.arn)

    def _role(
        self, key: str, role_name: str, description: str, subject: str | list[str], inputs: OidcInputs
    ) -> IamRole:
        return tracked(
            IamRole(
                self,
                key,
                name=role_name,
                description=description,
                assume_role_policy=terraform_json(trust_policy(self.provider_arn, subject)),
                max_session_duration=inputs.max_session_hours * 3600,
                tags={"Name": role_name, **inputs.tags},
            )
        )

    def _policy(self, key: str, role: IamRole, policy_name: str, statements: Sequence[Mapping[str, Any]]) -> None:
        document = {"Version": "2012-10-17", "Statement": list(statements)}
        tracked(IamRolePolicy(self, key, name=policy_name, role=role.id, policy=terraform_json(document)))

    def _iam_statements(self, name: str) -> list[dict[str, Any]]:
        roles = f"arn:aws:iam::*:role/{name}-*"
        return [
            {"Sid": "StackRoles", "Effect": "Allow", "Action": list(APPLY_IAM_ACTIONS), "Resource": roles},
            {
                "Sid": "GithubProvider",
                "Effect": "Allow",
                "Action": list(APPLY_OIDC_ACTIONS),
                "Resource": f"arn:aws:iam::*:oidc-provider/{GITHUB_ISSUER}",
            },
            {
                "Sid": "ReadPolicies",
                "Effect": "Allow",
                "Action": ["iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListOpenIDConnectProviders"],
                "Resource": "*",
            },
        ]
