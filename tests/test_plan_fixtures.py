"""scripts/refresh_plan_fixtures.py still produces the plans the golden tests are built on.

Runs the real terraform and AWS provider against a throwaway moto server (about a minute).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator.report import Counts, env_plan

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "refresh_plan_fixtures.py"
EXPECTED = {
    "create": ("dev", Counts(add=10)),
    "nochange": ("stage", Counts()),
    "mixed": ("prod", Counts(add=2, change=3, destroy=2, replace=3, imported=1, moved=1)),
}


@pytest.mark.terraform
def test_refresh_script_regenerates_the_three_scenarios(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, str(SCRIPT), "--out", str(tmp_path)], capture_output=True,
                            text=True, timeout=540)
    assert result.returncode == 0, result.stderr[-3000:]
    for name, (env, counts) in EXPECTED.items():
        folder = tmp_path / name
        assert json.loads((folder / "meta.json").read_text())["env"] == env
        plan = json.loads((folder / "plan.json").read_text())
        assert env_plan(env, plan).counts == counts
        assert "127.0.0.1:5000" in json.dumps(plan["configuration"])  # the moto port is scrubbed
        assert (folder / "plan.txt").read_text().strip()


def test_from_plans_copies_recorded_plans(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec_globals: dict[str, object] = {"__name__": "refresh", "__file__": str(SCRIPT)}
    exec(compile(SCRIPT.read_text(), str(SCRIPT), "exec"), spec_globals)
    work = tmp_path / ".hclgen"
    (work / "plans" / "dev").mkdir(parents=True)
    (work / "sources").mkdir()
    (work / "plans" / "dev" / "plan.json").write_text("{}")
    (work / "plans" / "dev" / "meta.json").write_text('{"env": "dev"}')
    (work / "sources" / "dev.json").write_text('{"aws_vpc.this": "modules/vpc.py:1"}')
    monkeypatch.setitem(spec_globals, "ROOT", tmp_path)
    spec_globals["from_plans"](["dev"], tmp_path / "out")  # type: ignore[operator]
    copied = sorted(p.name for p in (tmp_path / "out" / "env-dev").iterdir())
    assert copied == ["meta.json", "plan.json", "sources.json"]
