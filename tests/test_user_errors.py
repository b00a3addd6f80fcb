"""Errors in the user's Python are one line naming their file and line; `-v` adds the traceback.

Also: a construct (and a stack) defined in config.py itself renders, and misusing a helper of
the tool (tracked() on something that is not a resource) is a one-line error, not a crash.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli

OWN_STACK = '''"""{name}: a stack of its own, defined right here."""

from dataclasses import dataclass

from generator.cdk import Construct, SqsQueue, tracked
from generator.environment import Environment


class Jobs(Construct):
    def __init__(self, scope: Construct, id_: str, *, name: str) -> None:
        super().__init__(scope, id_)
        {body}


@dataclass(frozen=True)
class Stack:
    def compose(self, scope: Construct, env: Environment) -> None:
        Jobs(scope, "jobs", name=env.prefix)


ENVIRONMENT = Environment(name="{name}", project="acme", region="us-east-1", state_bucket="acme-state-{name}",
                          stack=Stack())
'''


def _env(project: Path, name: str, body: str) -> Path:
    folder = project / "environments" / name
    folder.mkdir()
    path = folder / "config.py"
    path.write_text(OWN_STACK.format(name=name, body=body))
    return path


def _synth(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [*args], catch_exceptions=False)
    return result.exit_code, result.stderr


def test_a_construct_defined_in_config_renders(project: Path) -> None:
    _env(project, "own", 'tracked(SqsQueue(self, "jobs", name=f"{name}-jobs"))')
    code, err = _synth("synth", "own")
    assert code == 0, err
    text = (project / "environments" / "own" / "jobs.tf").read_text()
    assert 'resource "aws_sqs_queue" "jobs"' in text and "from environments/own/config.py" in text


def test_an_exception_in_user_code_is_one_line_with_its_file_and_line(project: Path) -> None:
    path = _env(project, "oops", 'raise KeyError("QUEUE_NAME")')
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "KeyError" in text)
    code, err = _synth("synth", "oops")
    assert code == 64
    assert err.strip() == f"error: environment 'oops': environments/oops/config.py:{line}: KeyError: 'QUEUE_NAME'"
    code, err = _synth("-v", "synth", "oops")
    assert "Traceback (most recent call last)" in err and err.strip().endswith("KeyError: 'QUEUE_NAME'")


def test_an_exception_in_a_module_names_the_module(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # This process may have imported another copy's `modules` package already: this copy's must load.
    for name in [m for m in sys.modules if m == "modules" or m.startswith("modules.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.syspath_prepend(str(project))
    module = project / "modules" / "broken_queue.py"
    module.write_text('"""A module with a bug."""\n\n\ndef make(scope: object) -> None:\n    return {}["name"]\n')
    _env(project, "mod", "__import__('modules.broken_queue').broken_queue.make(self)")
    code, err = _synth("synth", "mod")
    assert code == 64 and err.count("\n") == 1
    assert "modules/broken_queue.py:5: KeyError: 'name'" in err


@pytest.mark.parametrize("body", ['tracked("jobs")', "tracked(self)"])
def test_tracking_something_that_is_not_a_resource_is_one_line(project: Path, body: str) -> None:
    _env(project, "misuse", body)
    code, err = _synth("synth", "misuse")
    assert code == 64 and err.count("\n") == 1, err
    assert "config.py:" in err and "tracked() takes a resource, data source or output, not " in err
