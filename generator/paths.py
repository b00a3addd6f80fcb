"""Where the project lives on disk. The working folder (.hclgen/) is git-ignored."""

from __future__ import annotations

import os
from pathlib import Path

from generator.errors import UsageError

ROOT_ENV_VAR = "HCLGEN_ROOT"
WORK_DIR_NAME = ".hclgen"


def project_root() -> Path:
    """The checkout holding environments/: $HCLGEN_ROOT, else the nearest parent of cwd."""
    override = os.environ.get(ROOT_ENV_VAR)
    if override:
        root = Path(override).resolve()
        if not (root / "environments").is_dir():
            raise UsageError(f"{ROOT_ENV_VAR}={override} has no environments/ folder")
        return root
    here = Path.cwd().resolve()
    for candidate in (here, *here.parents):
        if (candidate / "environments").is_dir() and (candidate / "pyproject.toml").is_file():
            return candidate
    package_root = Path(__file__).resolve().parent.parent
    if (package_root / "environments").is_dir():
        return package_root
    raise UsageError("no hclgen project here: run inside a checkout that has environments/ and pyproject.toml")


def work_dir(root: Path) -> Path:
    """The tool's git-ignored working folder (plans, caches, local AWS state)."""
    return root / WORK_DIR_NAME


def templates_dir() -> Path:
    """The jinja2 templates: generator/templates/ in an installed wheel, templates/ in a checkout."""
    package = Path(__file__).resolve().parent
    installed = package / "templates"
    return installed if installed.is_dir() else package.parent / "templates"
