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


@pytest.fixture(scope="session")
def res_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """tests/support/resstack.py's environment (queue, uploads, cache, API, endpoints) rendered once: {file: text}."""
    from generator.render import pipeline
    from tests.support import resstack

    root = copy_project(tmp_path_factory.mktemp("res-render") / "project")
    resstack.add_env(root)
    (item,) = pipeline.render(root, [resstack.ENV])
    return dict(item.files)


@pytest.fixture(scope="session")
def res_applied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """That environment applied once on the local AWS (moto + real terraform); yields the running server."""
    from generator.localaws import server as local_aws
    from tests.support import resstack

    root = copy_project(tmp_path_factory.mktemp("res-apply") / "project")
    resstack.add_env(root)
    try:
        assert resstack.run(root, "synth", resstack.ENV).returncode == 0
        applied = resstack.run(root, "apply", resstack.ENV, "--local", "--auto-approve")
        log = root / ".hclgen" / "logs" / f"{resstack.ENV}-apply.log"
        assert applied.returncode == 0, (
            applied.stdout[-2000:] + applied.stderr[-2000:] + (log.read_text()[-4000:] if log.is_file() else "")
        )
        replan = resstack.run(root, "plan", resstack.ENV, "--local", "--detailed-exitcode")
        server = local_aws.status(root)
        assert server is not None
        yield resstack.Applied(root, server, replan.returncode, replan.stdout + replan.stderr)
    finally:
        local_aws.down(root)


@pytest.fixture(scope="session")
def res_validated(res_files: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """`terraform validate -json` of res_files (one init per session)."""
    from tests.support import resstack

    return resstack.validate(res_files, tmp_path_factory.mktemp("res-validate") / "env")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """`--dist loadfile` (as `make test` runs it): whole files per worker, the resource-stack files as one."""
    if config.getvalue("dist") != "loadfile":
        return None
    from tests.support.scheduling import FileScheduling

    return FileScheduling(config, log)


@pytest.fixture
def github() -> Iterator[fakegithub.FakeGitHub]:
    """A fake GitHub API on 127.0.0.1 (tests/support/fakegithub.py); its .url goes to the client."""
    with fakegithub.serve() as fake:
        yield fake


@pytest.fixture
def sleeps() -> list[float]:
    """Where a GitHubClient under test records its back-off sleeps instead of sleeping."""
    return []
