"""The CDK Terrain engine (cdktn) lives in its own virtualenv: .hclgen/tools/cdktn/.

cdktn and its AWS bindings (cdktn-provider-aws) must never replace the project's cdktf: they
pull their own jsii runtime and constructs. generator.cdk puts this virtualenv's site-packages
in front of sys.path when HCLGEN_ENGINE=cdktn and cdktn is not importable otherwise (e.g. it
was installed as an extra). Install it with `python -m generator.enginevenv` (idempotent).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from generator.errors import UsageError
from generator.paths import project_root, work_dir

TOOL = "cdktn"
# cdktn-provider-aws 25.x are the AWS provider 6.x bindings; no 5.x bindings exist for cdktn.
SPECS = ("cdktn==0.24.0", "cdktn-provider-aws==25.8.1")
INSTALL_TIMEOUT = 1800.0


def chosen(variable: str, engines: list[str], default: str) -> str:
    """The engine the variable selects; one clear line for an unknown one."""
    name = os.environ.get(variable, "").strip() or default
    if name not in engines:
        raise UsageError(f"{variable}={name}: unknown engine (choose one of {', '.join(engines)})")
    return name


def renamed(module: str, renames: Mapping[str, str]) -> str:
    """module with its top package renamed (longest names first: cdktf_cdktf_provider_aws before cdktf)."""
    for old in sorted(renames, key=len, reverse=True):
        if module == old or module.startswith(old + "."):
            return renames[old] + module[len(old) :]
    return module


def put_on_path(package: str, setting: str) -> None:
    """Make package importable from the tool virtualenv (its own jsii and constructs come first too)."""
    if importlib.util.find_spec(package) is not None:
        return
    site = site_packages(project_root())
    if site is None:
        raise UsageError(
            f"{setting}: {package} is not installed; run `python -m generator.enginevenv` to make .hclgen/tools/{TOOL}"
        )
    sys.path.insert(0, str(site))


def venv_dir(root: Path) -> Path:
    return work_dir(root) / "tools" / TOOL


def site_packages(root: Path) -> Path | None:
    """The tool virtualenv's site-packages for this Python (its packages are built for it), if made."""
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for candidate in (venv_dir(root) / "lib" / version / "site-packages", venv_dir(root) / "Lib" / "site-packages"):
        if (candidate / TOOL).is_dir():
            return candidate
    return None


def install(root: Path) -> Path:
    """Create .hclgen/tools/cdktn with cdktn and its AWS bindings (idempotent); returns site-packages."""
    from generator import runner
    from generator.errors import HclgenError

    found = site_packages(root)
    if found is not None:
        return found
    venv = venv_dir(root)
    python = venv / "bin" / "python"
    if not python.is_file():
        made = runner.run_tool([sys.executable, "-m", "venv", str(venv)], timeout=300)
        if made.code != 0:
            raise HclgenError(f"could not create the cdktn virtualenv {venv}: {made.stderr.strip()[-300:]}")
    installed = runner.run_tool([str(python), "-m", "pip", "install", "--quiet", *SPECS], timeout=INSTALL_TIMEOUT)
    found = site_packages(root)
    if installed.code != 0 or found is None:
        raise HclgenError(f"pip could not install {' '.join(SPECS)} into {venv}: {installed.stderr.strip()[-300:]}")
    return found


if __name__ == "__main__":
    print(install(project_root()))
