"""The comment goldens and every ARCHITECTURE.md, rendered as GitHub shows them (tests/githubrender:
GFM + Mermaid in headless Chromium, light and dark theme): every diagram renders, fits GitHub's
900 px column at its natural size, and all its text contrasts >= 4.5:1 with what it sits on.

Skipped with the reason where Chromium or npm is missing, except under CI=true (.ci/run installs both)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.support import githubrender

DOCUMENTS = sorted(
    [
        *ROOT.glob("environments/*/ARCHITECTURE.md"),
        *ROOT.glob("examples/*/ARCHITECTURE.md"),
        *(p for p in (ROOT / "tests" / "golden" / "comment").glob("*.md") if "```mermaid" in p.read_text()),
    ]
)
MIN_CONTRAST = 4.5
# Documents whose pictures are known to be wider than GitHub's column: an expected failure, and one
# that starts to fit must leave this list. Empty since issue 26 (stand-ins share a box, egress is a line).
KNOWN_WIDE: set[str] = set()


@pytest.fixture(scope="module")
def browser() -> None:
    try:
        githubrender.chromium()
        githubrender.scripts()
    except githubrender.Unavailable as err:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the GitHub rendering test: {err}")
        print(f"skipping the GitHub rendering test: {err}")
        pytest.skip(str(err))


def test_there_are_diagrams_to_check() -> None:
    assert any("ARCHITECTURE" in p.name for p in DOCUMENTS) and any("golden" in str(p) for p in DOCUMENTS)


@pytest.mark.parametrize("theme", sorted(githubrender.THEMES))
@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(Path(p).relative_to(ROOT)))
def test_diagrams_render_fit_the_column_and_read_in_both_themes(browser: None, path: Path, theme: str) -> None:
    text = path.read_text(encoding="utf-8")
    figures = githubrender.measure(text, theme)
    assert len(figures) == text.count("```mermaid") > 0
    relative = path.relative_to(ROOT).as_posix()
    wide = []
    for number, figure in enumerate(figures, 1):
        where = f"{relative} diagram {number} ({theme})"
        assert figure.rendered, f"{where}: Mermaid failed: {figure.error}"
        assert figure.min_contrast >= MIN_CONTRAST, f"{where}: contrast {figure.min_contrast:.2f} at {figure.worst}"
        assert figure.width > 0, f"{where}: nothing drawn"
        if figure.width > githubrender.COLUMN_PX:
            wide.append(f"{where}: {figure.width:.0f} px wide")
    if relative in KNOWN_WIDE:
        assert wide, f"{relative} fits the column now: take it out of KNOWN_WIDE"
        pytest.xfail("; ".join(wide))
    assert not wide, "; ".join(wide)
