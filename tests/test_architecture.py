"""Boundaries the design relies on, checked on the source itself."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PRODUCT = sorted([*(ROOT / "generator").rglob("*.py"), *(ROOT / "modules").rglob("*.py"), ROOT / "main.py"])
CDK_PACKAGES = {"cdktf", "constructs", "cdktf_cdktf_provider_aws", "jsii"}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_only_the_cdk_boundary_imports_cdktf() -> None:
    offenders = [p.relative_to(ROOT).as_posix() for p in PRODUCT
                 if _imports(p) & CDK_PACKAGES and p != ROOT / "generator" / "cdk.py"]
    assert offenders == []


def test_only_the_runner_starts_processes() -> None:
    offenders = [p.relative_to(ROOT).as_posix() for p in PRODUCT
                 if {"subprocess", "multiprocessing"} & _imports(p) and p != ROOT / "generator" / "runner.py"]
    assert offenders == []


def test_product_files_stay_small() -> None:
    long = {p.relative_to(ROOT).as_posix(): n for p in PRODUCT if (n := len(p.read_text().splitlines())) > 320}
    assert long == {}
