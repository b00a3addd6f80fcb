"""The local AWS shims have one index (generator/localaws/catalog.py) that stays true, and no file names a
source file that does not exist."""

from __future__ import annotations

import ast
import re

from generator.localaws.catalog import SHIMS
from scripts.projectcopy import ROOT


def test_every_shim_names_its_gap_an_existing_file_and_an_existing_test() -> None:
    assert SHIMS
    for shim in SHIMS:
        assert shim.gap and (ROOT / shim.file).is_file(), shim
        path, _, name = shim.test.partition("::")
        tree = ast.parse((ROOT / path).read_text())
        assert name in {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}, shim.test


def test_every_shim_file_is_in_the_catalog() -> None:
    listed = {shim.file for shim in SHIMS}
    files = {f"generator/localaws/{p.name}" for p in (ROOT / "generator" / "localaws").glob("*shims.py")}
    assert files == listed


_PATH = re.compile(r"\b((?:generator|docs)/[\w/.-]+?\.(?:py|md))(?!\.?\w)")  # examples like modules/x.py are not files


def test_no_engine_file_or_doc_names_a_file_that_does_not_exist() -> None:
    sources = [*ROOT.glob("generator/**/*.py"), *ROOT.glob("docs/*.md"), ROOT / "README.md"]
    missing = sorted(
        {
            f"{path.relative_to(ROOT)}: {name}"
            for path in sources
            for name in _PATH.findall(path.read_text(encoding="utf-8"))
            if "<" not in name and "*" not in name and not (ROOT / name).exists()
        }
    )
    assert not missing, "\n".join(missing)
