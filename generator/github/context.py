"""What the running CI job says about itself: the one reader of GitHub Actions' environment.

Every GITHUB_* variable and the CI detection are read here (tests/test_github_door.py keeps it
so); the rest of hclgen takes a RunContext, so another code host's runner could fill one too.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from generator.errors import UsageError

DEFAULT_API_URL = "https://api.github.com"
TOKEN_HINT = "(GITHUB_TOKEN: pass `env: GITHUB_TOKEN: ${{ github.token }}` to the step)"
# RunContext field -> the variable GitHub Actions sets it from.
VARIABLES = {
    "repository": "GITHUB_REPOSITORY",
    "sha": "GITHUB_SHA",
    "ref": "GITHUB_REF",
    "token": "GITHUB_TOKEN",
    "server_url": "GITHUB_SERVER_URL",
    "run_id": "GITHUB_RUN_ID",
    "event_path": "GITHUB_EVENT_PATH",
    "output_file": "GITHUB_OUTPUT",
    "summary_file": "GITHUB_STEP_SUMMARY",
}


@dataclass(frozen=True)
class RunContext:
    """The job's repository, commit, token and runner files; None (or False) outside GitHub Actions."""

    api_url: str = DEFAULT_API_URL
    repository: str | None = None  # owner/name
    sha: str | None = None  # on pull_request events a merge commit (event.py finds the head)
    ref: str | None = None
    token: str | None = None
    server_url: str | None = None
    run_id: str | None = None
    event_path: str | None = None
    output_file: str | None = None  # $GITHUB_OUTPUT: step outputs
    summary_file: str | None = None  # $GITHUB_STEP_SUMMARY: the job's summary page
    actions: bool = False  # GITHUB_ACTIONS=true
    ci: bool = False  # any CI runner: CI=true (most set it) or GitHub Actions

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> RunContext:
        env = os.environ if environ is None else environ
        actions = env.get("GITHUB_ACTIONS", "").lower() == "true"
        values = {field: env.get(variable) or None for field, variable in VARIABLES.items()}
        return cls(
            api_url=env.get("GITHUB_API_URL") or DEFAULT_API_URL,
            actions=actions,
            ci=actions or env.get("CI", "").lower() == "true",
            **values,
        )

    def require(self, flag: str, *fields: str) -> tuple[str, ...]:
        """The values of these fields, in order; one line naming the missing variables when `flag`
        needs them and some are unset."""
        values = [getattr(self, field) for field in fields]
        missing = [VARIABLES[field] for field, value in zip(fields, values) if not value]
        if missing:
            raise UsageError(f"{flag} needs {', '.join(missing)} from GitHub Actions {TOKEN_HINT}")
        return tuple(str(value) for value in values)

    @property
    def run_url(self) -> str | None:
        """The page of the running workflow run (it holds the artifacts)."""
        if self.server_url and self.repository and self.run_id:
            return f"{self.server_url}/{self.repository}/actions/runs/{self.run_id}"
        return None


def in_ci() -> bool:
    """True on a CI runner (GitHub Actions and most others set CI=true)."""
    return RunContext.from_env().ci
