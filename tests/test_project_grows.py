"""A project that grows stays green: after `new env staging --from dev` and `new module jobs` in a project
copy, the tests that depend on the set of envs and modules pass there too, and bad names write nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.projectcopy import ROOT, copy_project

# The tests whose expectations follow the project's envs and modules (the rest never look at them).
FOLLOWERS = (
    "tests/test_workflows.py",
    "tests/test_golden.py",
    "tests/test_config_load.py",
    "tests/test_cli.py",
    "tests/test_type_facts.py",
    "tests/test_module_jobs.py",
)


def _hclgen(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in ("HCLGEN_ROOT", "PYTEST_CURRENT_TEST")}
    return subprocess.run(
        [sys.executable, "main.py", *args], cwd=root, env=env, capture_output=True, text=True, timeout=900
    )


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".hclgen" not in p.parts and "__pycache__" not in p.parts
    }


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("new", "env", "prod", "--from", "dev"), "environments/prod already exists"),
        (("new", "env", "../x", "--from", "dev"), "'../x' is not an environment name"),
        (("new", "env", "qa", "--from", "dev", "--cidr", "10.0.32.0/20"), "overlaps the VPC of dev"),
        (("new", "env", "qa", "--from", "nope"), "unknown environment 'nope'"),
        (("new", "module", "vpc"), "modules/vpc already exists"),
        (("new", "module", "class"), "'class' is not a module name"),
        (("new", "module", "Jobs-Queue"), "is not a module name"),
    ],
)
def test_a_bad_name_is_one_line_and_writes_nothing(project: Path, args: tuple[str, ...], words: str) -> None:
    before = _tree(project)
    result = _hclgen(project, *args)
    assert result.returncode == 64 and result.stderr.count("\n") == 1 and words in result.stderr, result.stderr
    assert _tree(project) == before


@pytest.mark.terraform
def test_new_env_and_new_module_keep_the_tests_green(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    shutil.copytree(ROOT / "tests", root / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    made = _hclgen(root, "new", "env", "staging", "--from", "dev")
    assert made.returncode == 0, made.stderr
    assert "created environments/staging/config.py" in made.stdout
    assert "updated .github/workflows/apply.yml" in made.stdout
    config = (root / "environments" / "staging" / "config.py").read_text()
    assert 'name="staging"' in config and "state-staging" in config and 'cidr="10.0.0.0/18"' not in config
    assert (root / "environments" / "staging" / ".terraform.lock.hcl").read_text() == (
        ROOT / "environments" / "dev" / ".terraform.lock.hcl"
    ).read_text()
    assert _hclgen(root, "new", "module", "jobs").returncode == 0
    assert _hclgen(root, "synth", "--check").returncode == 0
    env = {key: value for key, value in os.environ.items() if key not in ("HCLGEN_ROOT", "PYTEST_CURRENT_TEST")}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *FOLLOWERS],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert result.returncode == 0, result.stdout[-5000:]
