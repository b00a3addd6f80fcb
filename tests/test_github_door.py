"""One door to GitHub: only generator/github/ knows GitHub Actions' variables, and only its
context.py reads the process environment; everything else takes a RunContext."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from generator.errors import UsageError
from generator.github.context import RunContext, in_ci
from tests.conftest import ROOT

GITHUB = ROOT / "generator" / "github"
CONTEXT = GITHUB / "context.py"
SOURCES = sorted([*(ROOT / "generator").rglob("*.py"), ROOT / "main.py"])
_VARIABLE = re.compile(r"GITHUB_[A-Z_]+|CI")  # a whole string constant: a variable's name, not a message


def _variable_names(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{node.value} (line {node.lineno})"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and _VARIABLE.fullmatch(node.value)
    ]


def _environment_reads(path: Path) -> list[int]:
    """Lines of os.environ / os.getenv / environ.get(...) uses."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if (isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv"))
        or (isinstance(node, ast.Name) and node.id in ("environ", "getenv"))
    ]


def test_no_module_outside_github_names_a_github_actions_variable() -> None:
    offenders = {
        path.relative_to(ROOT).as_posix(): found
        for path in SOURCES
        if GITHUB not in path.parents and (found := _variable_names(path))
    }
    assert offenders == {}, "read GitHub Actions' variables through generator.github.context.RunContext"


def test_inside_github_only_the_context_reads_the_environment() -> None:
    offenders = {
        path.relative_to(ROOT).as_posix(): lines
        for path in sorted(GITHUB.rglob("*.py"))
        if path != CONTEXT and (lines := _environment_reads(path))
    }
    assert offenders == {}
    assert _environment_reads(CONTEXT), "the scan must see context.py's own reads"


def test_the_scan_catches_a_read(tmp_path: Path) -> None:
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text('import os\nsha = os.environ.get("GITHUB_SHA")\nmessage = "GITHUB_SHA is unset"\n')
    assert _variable_names(sneaky) == ["GITHUB_SHA (line 2)"]
    assert _environment_reads(sneaky) == [2]


def test_run_context_from_github_actions_variables() -> None:
    run = RunContext.from_env(
        {
            "GITHUB_ACTIONS": "true",
            "GITHUB_REPOSITORY": "acme/infra",
            "GITHUB_SHA": "a" * 40,
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_RUN_ID": "42",
            "GITHUB_OUTPUT": "/tmp/out",
            "GITHUB_STEP_SUMMARY": "",
        }
    )
    assert (run.repository, run.sha, run.output_file) == ("acme/infra", "a" * 40, "/tmp/out")
    assert run.summary_file is None and run.token is None  # empty is unset
    assert run.api_url == "https://api.github.com" and run.actions and run.ci
    assert run.run_url == "https://github.com/acme/infra/actions/runs/42"
    assert RunContext.from_env({}) == RunContext() and RunContext().run_url is None


def test_require_names_the_missing_variables_in_order() -> None:
    run = RunContext(repository="acme/infra", token="t")
    assert run.require("--post", "token", "repository") == ("t", "acme/infra")
    with pytest.raises(UsageError, match=r"^--verify-reviewed needs GITHUB_SHA, GITHUB_EVENT_PATH from GitHub"):
        run.require("--verify-reviewed", "sha", "repository", "event_path")


@pytest.mark.parametrize(
    ("variables", "expected"),
    [({"CI": "TRUE"}, True), ({"GITHUB_ACTIONS": "true"}, True), ({"CI": "false"}, False), ({}, False)],
)
def test_ci_is_one_place(variables: dict[str, str], expected: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CI", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    assert in_ci() is expected and RunContext.from_env().ci is expected
