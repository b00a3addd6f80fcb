"""Shared fixtures: the real project root, throwaway project copies, rendered environments."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "18,20")
# Tests use the provider mirror this machine has unless the caller points elsewhere.
os.environ.setdefault("HCLGEN_PLUGIN_MIRROR", "/opt/tf-plugins")

_PROJECT_PARTS = ("generator", "modules", "environments", "templates", "pyproject.toml", "main.py")


def copy_project(target: Path) -> Path:
    """A copy of the project holding only what synth reads (no .terraform/, no .hclgen/)."""
    for part in _PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns(".*", "__pycache__"))
        elif source.exists():
            shutil.copy2(source, target / part)
    return target


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A throwaway project copy that HCLGEN_ROOT points at."""
    root = copy_project(tmp_path / "project")
    monkeypatch.setenv("HCLGEN_ROOT", str(root))
    yield root


@pytest.fixture(scope="session")
def rendered() -> list:
    """Every environment of the real project rendered in memory (one cdktf run per session)."""
    from generator import pipeline

    return pipeline.render(ROOT)
