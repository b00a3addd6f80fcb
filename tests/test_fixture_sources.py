"""The plan fixtures' source maps (address -> "modules/x.py:LINE") must match today's code.

They feed the comment goldens' `#L` links; an edit to a module shifts lines, and a fixture
compared only by counts would keep pointing at the wrong line. Rewrite with
HCLGEN_UPDATE_GOLDENS=1, then rewrite the comment goldens the same way and review both diffs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.render.pipeline import render
from tests.support import goldens

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "plans"


@pytest.fixture(scope="module")
def current() -> dict[str, dict[str, str]]:
    return {item.env: item.sources for item in render(ROOT, ["dev", "prod"])}


def _env_of(folder: Path) -> str | None:
    """Fixtures planned from a real env (dev-*, env-dev, env-prod); the others are hand-made roots."""
    name = folder.name
    return "prod" if name == "env-prod" else "dev" if name.startswith("dev-") or name == "env-dev" else None


FOLDERS = [f for f in sorted(FIXTURES.iterdir()) if (f / "sources.json").is_file() and _env_of(f)]


def test_fixtures_from_real_envs_exist() -> None:
    assert len(FOLDERS) >= 8


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_fixture_source_map_matches_the_code(folder: Path, current: dict[str, dict[str, str]]) -> None:
    env = _env_of(folder)
    assert env is not None
    recorded: dict[str, str] = json.loads((folder / "sources.json").read_text())
    fresh = {address: current[env].get(address, source) for address, source in recorded.items()}
    goldens.check(folder / "sources.json", json.dumps(fresh, indent=2, sort_keys=True) + "\n")
