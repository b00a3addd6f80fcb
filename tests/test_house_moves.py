"""scripts/house_moves.py: code written on the old layout lands on the new one, and nothing here is left behind."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from scripts.house_moves import FILES, MODULES, rewrite_text
from tests.conftest import ROOT

OLD = """from generator.review import cost, model
from generator.review.cost import EnvCost, Line  # why
from generator.render.pipeline import generated_files, render
from tests.test_github import REPO, FakeGitHub, github  # noqa: F401  (fixture)


def f() -> None:
    from generator.review.costrules import RULES
    patch("generator.review.github.time.sleep")
# see generator/review/costrules.py, review/cost.py and templates/plan_comment.md.j2
"""

NEW = """from generator.review.cost import estimate as cost
from generator.plan import model
from generator.review.cost.estimate import EnvCost
from generator.review.cost.lines import Line  # why
from generator.render.pipeline import render
from generator.render.writer import generated_files
from tests.support.fakegithub import REPO, FakeGitHub


def f() -> None:
    from generator.review.cost.rules import RULES
    patch("generator.github.client.time.sleep")
# see generator/review/cost/rules.py, review/cost/estimate.py and generator/templates/plan_comment.md.j2
"""


def test_old_imports_and_paths_are_rewritten() -> None:
    assert rewrite_text(OLD, python=True) == NEW


def test_rewriting_is_idempotent_on_the_new_layout() -> None:
    assert rewrite_text(NEW, python=True) == NEW


def test_every_old_file_is_gone_and_every_new_one_exists() -> None:
    assert [old for old in FILES if (ROOT / old).exists()] == []
    assert [new for new in FILES.values() if not (ROOT / new).exists()] == []
    assert len(set(MODULES.values())) == len(MODULES)


def test_nothing_in_the_tree_still_names_the_old_layout() -> None:
    tracked = subprocess.run(
        ["git", "ls-files", "*.py", "*.md"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    mine = {"scripts/house_moves.py", "tests/test_house_moves.py"}  # they hold old names on purpose
    files = [name for name in tracked if name not in mine and (ROOT / name).is_file()]
    result = subprocess.run(
        [sys.executable, "scripts/house_moves.py", "check", *files], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


def test_rewrite_command_edits_files_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.py"
    path.write_text(OLD)
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "house_moves.py"), "rewrite", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "rewrote 1 of 1 files" in result.stdout and path.read_text() == NEW
