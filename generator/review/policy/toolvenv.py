"""Tools that must not share the project's virtualenv live in their own: .hclgen/tools/<tool>/.

checkov is one: it pulls bc-python-hcl2, which shadows python-hcl2's `hcl2` module that hclgen
uses. So it is found (HCLGEN_CHECKOV, then .hclgen/tools/checkov, then PATH) or installed into
its own virtualenv, never into the project's.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from generator import runner
from generator.errors import HclgenError
from generator.paths import work_dir

CHECKOV_ENV_VAR = "HCLGEN_CHECKOV"
CHECKOV_SPEC = "checkov==3.3.30"  # pinned: the committed baselines are judged by this version
INSTALL_TIMEOUT = 1800.0


def tool_venv(root: Path, tool: str) -> Path:
    return work_dir(root) / "tools" / tool


def _bin(venv: Path, name: str) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin") / name


def find_checkov(root: Path) -> Path | None:
    """The checkov executable to use, or None when there is none."""
    override = os.environ.get(CHECKOV_ENV_VAR)
    if override:
        return Path(override) if Path(override).is_file() else None
    candidate = _bin(tool_venv(root, "checkov"), "checkov")
    if candidate.is_file():
        return candidate
    found = shutil.which("checkov")
    if found and not Path(found).resolve().is_relative_to(Path(sys.prefix).resolve()):
        return Path(found)  # e.g. pipx; never one installed into hclgen's own environment
    return None


def install_checkov(root: Path, spec: str = CHECKOV_SPEC) -> Path:
    """Create .hclgen/tools/checkov with checkov in it (idempotent); returns the executable."""
    venv = tool_venv(root, "checkov")
    executable = _bin(venv, "checkov")
    if executable.is_file():
        return executable
    python = _bin(venv, "python")
    if not python.is_file():
        made = runner.run_tool([sys.executable, "-m", "venv", str(venv)], timeout=300)
        if made.code != 0:
            raise HclgenError(f"could not create the checkov virtualenv {venv}: {_last(made.stderr)}")
    installed = runner.run_tool([str(python), "-m", "pip", "install", "--quiet", spec], timeout=INSTALL_TIMEOUT)
    if installed.code != 0 or not executable.is_file():
        raise HclgenError(f"pip could not install {spec} into {venv}: {_last(installed.stderr)}")
    return executable


def _last(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no output"
