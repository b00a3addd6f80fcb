"""Throwaway copies of the project, for tests, benchmarks and fixture scripts (no side effects)."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("generator", "modules", "environments", "scripts", ".github", "pyproject.toml", "main.py")
LOCK_FILE = ".terraform.lock.hcl"  # committed: the copy pins the same providers (CI inits read-only)


def _ignored(folder: str, names: list[str]) -> set[str]:
    return {name for name in names if (name.startswith(".") and name != LOCK_FILE) or name == "__pycache__"}


def copy_project(target: Path, source: Path = ROOT) -> Path:
    """A copy holding only what synth and plan read (no .terraform/, no .hclgen/, no caches)."""
    for part in PROJECT_PARTS:
        path = source / part
        if path.is_dir():
            shutil.copytree(path, target / part, ignore=_ignored)
        elif path.exists():
            shutil.copy2(path, target / part)
    return target


def env_names(root: Path = ROOT) -> list[str]:
    """The project's environments, discovered (tests never assume which exist)."""
    base = root / "environments"
    return sorted(p.name for p in base.iterdir() if (p / "config.py").is_file()) if base.is_dir() else []


def example_names(root: Path = ROOT) -> list[str]:
    """The folders under examples/ that hold an environment config."""
    base = root / "examples"
    return sorted(p.name for p in base.iterdir() if (p / "config.py").is_file()) if base.is_dir() else []


def with_examples(target: Path, source: Path = ROOT) -> Path:
    """A project copy whose environments/ also holds every example (each renders like an env)."""
    root = copy_project(target, source)
    for name in example_names(source):
        shutil.copytree(source / "examples" / name, root / "environments" / name)
    return root
