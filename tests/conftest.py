"""Shared fixtures: the real project root, throwaway project copies, rendered environments."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from scripts.projectcopy import ROOT, copy_project
from tests.support import fakegithub

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "18,20")
# Tests use the provider mirror this machine has unless the caller points elsewhere.
os.environ.setdefault("HCLGEN_PLUGIN_MIRROR", "/opt/tf-plugins")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A throwaway project copy that HCLGEN_ROOT points at."""
    root = copy_project(tmp_path / "project")
    monkeypatch.setenv("HCLGEN_ROOT", str(root))
    yield root


@pytest.fixture(scope="session")
def rendered() -> list:
    """Every environment of the real project rendered in memory (one cdktf run per session)."""
    from generator.render import pipeline

    return pipeline.render(ROOT)


@pytest.fixture(scope="session")
def checkov() -> Path:
    """checkov in its own virtualenv (.hclgen/tools/checkov, as `policy --install` makes it), created on
    first use; skipped where it cannot be installed, except under CI=true, where that fails."""
    from generator.errors import HclgenError
    from generator.review.policy.toolvenv import find_checkov, install_checkov

    found = find_checkov(ROOT)
    if found is not None:
        return found
    try:
        return install_checkov(ROOT)
    except HclgenError as err:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the checkov test, but checkov could not be installed: {err}")
        pytest.skip(f"checkov could not be installed into its own virtualenv (.hclgen/tools/checkov): {err}")


@pytest.fixture
def github() -> Iterator[fakegithub.FakeGitHub]:
    """A fake GitHub API on 127.0.0.1 (tests/support/fakegithub.py); its .url goes to the client."""
    with fakegithub.serve() as fake:
        yield fake


@pytest.fixture
def sleeps() -> list[float]:
    """Where a GitHubClient under test records its back-off sleeps instead of sleeping."""
    return []
