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


# cdk.py, and cdktypes.py: the classes for type checkers, imported only under TYPE_CHECKING.
CDK_BOUNDARY = {ROOT / "generator" / "cdk.py", ROOT / "generator" / "cdktypes.py"}


def test_only_the_cdk_boundary_imports_cdktf() -> None:
    offenders = [
        p.relative_to(ROOT).as_posix() for p in PRODUCT if _imports(p) & CDK_PACKAGES and p not in CDK_BOUNDARY
    ]
    assert offenders == []


def test_only_the_runner_starts_processes() -> None:
    offenders = [
        p.relative_to(ROOT).as_posix()
        for p in PRODUCT
        if {"subprocess", "multiprocessing"} & _imports(p) and p != ROOT / "generator" / "runner.py"
    ]
    assert offenders == []


def test_product_files_stay_small() -> None:
    long = {p.relative_to(ROOT).as_posix(): n for p in PRODUCT if (n := len(p.read_text().splitlines())) > 300}
    assert long == {}


def test_only_commands_import_the_commands_package() -> None:
    engine = [
        p
        for p in PRODUCT
        if (ROOT / "generator") in p.parents
        and (ROOT / "generator" / "commands") not in p.parents
        and p != ROOT / "generator" / "cli.py"
    ]
    offenders = []
    for path in engine:
        for node in ast.walk(ast.parse(path.read_text())):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(name == "generator.commands" or name.startswith("generator.commands.") for name in names):
                offenders.append(path.relative_to(ROOT).as_posix())
    assert offenders == []


def test_readme_layout_names_every_engine_file() -> None:
    readme = (ROOT / "README.md").read_text()
    layout = readme[readme.index("## Layout") : readme.index("## How the HCL is proven right")]
    tokens = set(layout.replace(",", " ").split())
    missing = []
    for path in sorted((ROOT / "generator").rglob("*.py")):
        if path.name == "__init__.py":
            if path.parent != ROOT / "generator" and f"{path.parent.name}/" not in tokens:
                missing.append(path.parent.relative_to(ROOT).as_posix() + "/")
        elif path.name not in tokens and path.parent.name != "commands":
            missing.append(path.relative_to(ROOT).as_posix())
    commands = {p.name for p in (ROOT / "generator" / "commands").glob("*.py")} - {"__init__.py"}
    missing += sorted(f"generator/commands/{name}" for name in commands if name not in tokens)
    assert missing == [], "add these to the README's Layout section"


def test_cdktypes_is_only_for_type_checkers() -> None:
    """Everything cdktypes.py imports sits under `if TYPE_CHECKING:`: nothing there loads jsii."""
    tree = ast.parse((ROOT / "generator" / "cdktypes.py").read_text())
    top = [node for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]
    assert all(node.module in ("__future__", "typing") for node in top if isinstance(node, ast.ImportFrom))
    assert not [node for node in top if isinstance(node, ast.Import)]
