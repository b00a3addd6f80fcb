"""docs/writing-a-module.md is executed step by step in a project copy, so the guide cannot rot.

`$` lines run as shown (python main.py ..., pytest ...); a block marked `file=PATH` replaces that
file; a block marked `edit=PATH after="TEXT"` is inserted after the first line holding TEXT.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from scripts.projectcopy import ROOT, copy_project

GUIDE = ROOT / "docs" / "writing-a-module.md"
_FENCE = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```$", re.S | re.M)
_OPTION = re.compile(r'(\w+)=("[^"]*"|\S+)')


@dataclass(frozen=True)
class Step:
    kind: str  # "run" | "file" | "edit"
    target: str  # the command line, or the path
    text: str = ""
    after: str = ""


def steps(markdown: str) -> list[Step]:
    found: list[Step] = []
    for language, info, body in _FENCE.findall(markdown):
        options = {key: value.strip('"') for key, value in _OPTION.findall(info)}
        if language == "sh":
            found += [Step("run", line[2:]) for line in body.splitlines() if line.startswith("$ ")]
        elif "file" in options:
            found.append(Step("file", options["file"], body))
        elif "edit" in options:
            found.append(Step("edit", options["edit"], body, options["after"]))
    return found


def _run(root: Path, line: str) -> None:
    words = shlex.split(line)
    if words[0] == "python":
        words[0] = sys.executable
    elif words[0] == "pytest":
        words = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *words[1:]]
    env = {key: value for key, value in os.environ.items() if key not in ("HCLGEN_ROOT", "PYTEST_CURRENT_TEST")}
    result = subprocess.run(words, cwd=root, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, f"$ {line}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"


def _edit(path: Path, after: str, text: str) -> None:
    lines = path.read_text().splitlines(keepends=True)
    index = next((n for n, line in enumerate(lines) if after in line), None)
    assert index is not None, f"{path}: no line holds {after!r} (the guide is out of date)"
    lines.insert(index + 1, text)
    path.write_text("".join(lines))


def test_the_guide_has_runnable_steps_of_every_kind() -> None:
    kinds = {step.kind for step in steps(GUIDE.read_text())}
    assert kinds == {"run", "file", "edit"}


@pytest.mark.e2e
def test_every_step_of_the_guide_works(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    shutil.copytree(ROOT / "tests", root / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    for step in steps(GUIDE.read_text()):
        if step.kind == "run":
            _run(root, step.target)
        elif step.kind == "file":
            (root / step.target).write_text(step.text)
        else:
            _edit(root / step.target, step.after, step.text)
    queue = (root / "environments" / "demo" / "queue.tf").read_text()
    assert 'resource "aws_sqs_queue" "jobs"' in queue
    plan = (root / ".hclgen" / "plans" / "demo" / "plan.txt").read_text()
    assert "aws_sqs_queue.jobs" in plan and "aws_sqs_queue.dead_letter" in plan
    _run(root, "python main.py local down")
