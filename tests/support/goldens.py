"""The one gate for rewriting goldens: HCLGEN_UPDATE_GOLDENS=1 exactly, never in CI.

A rewrite fails the test that made it, so a run that rewrites can never read as green:
review the diff (git diff tests/), then rerun without the variable."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

VAR = "HCLGEN_UPDATE_GOLDENS"


def updating() -> bool:
    value = os.environ.get(VAR)
    if value is None or value == "":
        return False
    if value != "1":
        pytest.fail(f"{VAR}={value!r}: set it to 1 to rewrite goldens, or unset it")
    if os.environ.get("CI") == "true":
        pytest.fail(f"{VAR} is refused under CI=true: goldens are rewritten locally and the diff reviewed")
    return True


def check(path: Path, text: str) -> None:
    """Compare text with the golden file, or (when updating) rewrite it and fail if it changed."""
    if updating():
        old = path.read_text() if path.is_file() else None
        if old != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            pytest.fail(f"rewrote {path.name}: review the diff (git diff {path.parent}), then rerun without {VAR}")
    assert path.is_file(), f"missing golden {path}: run with {VAR}=1 and review the diff"
    assert text == path.read_text(), f"{path.name} differs from the golden ({VAR}=1 to rewrite, then review the diff)"


COMMENT_GOLDENS = Path(__file__).resolve().parent.parent / "golden" / "comment"


def check_comment_golden(name: str, text: str) -> None:
    """The plan-comment goldens (tests/golden/comment/), shared by the comment and review-part tests."""
    check(COMMENT_GOLDENS / name, text)
