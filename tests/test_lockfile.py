"""Pinned providers: each env's committed .terraform.lock.hcl, read-only in CI (real terraform)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from generator.errors import TerraformError
from generator.render.project import env_names, load
from generator.terraform import workspace
from generator.terraform.workspace import LOCK_FILE, Workspace
from tests.conftest import ROOT
from tests.support.tf import OFFLINE_PROVIDER


@pytest.mark.parametrize("env", env_names(ROOT))
def test_each_env_commits_its_lock_file_pinning_the_provider(env: str) -> None:
    lock = ROOT / "environments" / env / LOCK_FILE
    text = lock.read_text()
    assert 'provider "registry.terraform.io/hashicorp/aws"' in text and 'version     = "5.100.0"' in text
    assert '"h1:' in text  # the mirror's package hash: what `init -lockfile=readonly` verifies
    ignored = subprocess.run(["git", "-C", str(ROOT), "check-ignore", "-q", str(lock)], check=False)
    assert ignored.returncode == 1, f"{lock} is git-ignored"


def _offline(root: Path) -> Workspace:
    """dev of a project copy with a local backend (no AWS needed), its lock file read-only as in CI."""
    (root / "environments" / "dev" / "offline_override.tf").write_text(OFFLINE_PROVIDER)
    return Workspace(root, load(root, ["dev"])[0], lock_readonly=True)


def test_ci_init_is_read_only_and_accepts_the_committed_lock(project: Path) -> None:
    ws = _offline(project)
    before = ws.lock_file.read_bytes()
    result = workspace.init(ws)
    assert result is not None and result.code == 0
    assert ws.lock_file.read_bytes() == before


def test_a_lock_file_that_does_not_match_is_a_clear_error(project: Path) -> None:
    ws = _offline(project)
    tampered = ws.lock_file.read_text().replace('"h1:', '"h1:AAAA', 1)
    ws.lock_file.write_text(tampered)
    with pytest.raises(TerraformError) as caught:
        workspace.init(ws)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(
        "terraform init for dev: the providers do not match environments/dev/.terraform.lock.hcl (read-only in CI)"
    )
    assert ws.lock_file.read_text() == tampered  # never rewritten in CI


def test_a_missing_lock_file_stops_ci_before_terraform(project: Path) -> None:
    ws = _offline(project)
    ws.lock_file.unlink()
    with pytest.raises(TerraformError, match=r"^environments/dev/\.terraform\.lock\.hcl is missing; in CI"):
        workspace.init(ws)
    with pytest.raises(TerraformError, match="init --upgrade rewrites"):
        workspace.init(ws, upgrade=True)
    assert not ws.lock_file.exists()


def test_outside_ci_init_creates_the_lock_file(project: Path) -> None:
    ws = _offline(project)
    ws.lock_file.unlink()
    local = Workspace(ws.root, ws.loaded, lock_readonly=False)
    workspace.init(local)
    assert 'version     = "5.100.0"' in local.lock_file.read_text()


@pytest.mark.parametrize(
    ("variables", "expected"),
    [({"CI": "true"}, True), ({"GITHUB_ACTIONS": "true"}, True), ({"CI": "false"}, False), ({}, False)],
)
def test_ci_is_detected_from_the_environment(
    variables: dict[str, str], expected: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("CI", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    assert workspace.in_ci() is expected
    assert Workspace(ROOT, load(ROOT, ["dev"])[0]).lock_readonly is expected
