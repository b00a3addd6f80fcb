"""scripts/refresh_plan_fixtures.py still produces the plans the golden tests are built on.

Runs the real terraform and AWS provider against a throwaway moto server (about a minute); the
--lifecycle mode applies environments/dev on the local AWS (about 3 minutes, marked e2e).
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from generator.plan.model import Counts, env_plan
from generator.plan.resource import Action

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "refresh_plan_fixtures.py"
LIFECYCLE = ROOT / "scripts" / "plan_lifecycle.py"
EXPECTED = {
    "create": ("dev", Counts(add=10)),
    "nochange": ("stage", Counts()),
    "mixed": ("prod", Counts(add=2, change=3, destroy=2, replace=3, imported=1, moved=1)),
}


@pytest.mark.terraform
def test_refresh_script_regenerates_the_three_scenarios(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(tmp_path)], capture_output=True, text=True, timeout=540
    )
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


def lifecycle_module() -> ModuleType:
    if "plan_lifecycle" not in sys.modules:  # registered first: its dataclasses look themselves up there
        spec = importlib.util.spec_from_file_location("plan_lifecycle", LIFECYCLE)
        assert spec and spec.loader
        sys.modules["plan_lifecycle"] = module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return sys.modules["plan_lifecycle"]


def test_scrubber_gives_each_made_up_value_one_stable_placeholder() -> None:
    scrub = lifecycle_module().Scrubber()
    first = scrub.value(
        {
            "id": "vpc-0f3a9c1e5b7d2a4c6",
            "arn": "arn:aws:ec2:r:1:vpc/vpc-0f3a9c1e5b7d2a4c6",
            "subnets": ["subnet-eeeeeeeeeeeeeeeee", "subnet-aaaaaaaaaaaaaaaaa"],
            "cidr": "10.0.0.0/18",
            "ip": "10.0.3.77",
            "dns": "ip-10-0-3-77.ec2.internal",
            "at": "2026-11-23T05:16:52Z",
            "db": "db-M5ENSHXFPU6XHZ4G4ZEI5QIO2U",
            "secret": "arn:aws:secretsmanager:r:1:secret:rds!db-85b9bc2d-9cda-4f49-9189-4f1919c96f7a-xwHcaq",
            "doc": '{"b":1,"a":"x"}',
            "text": "not {json",
        }
    )
    assert first == {
        "id": "vpc-00000000000000001",
        "arn": "arn:aws:ec2:r:1:vpc/vpc-00000000000000001",
        "subnets": ["subnet-00000000000000002", "subnet-00000000000000003"],  # kept in given order
        "cidr": "10.0.0.0/18",
        "ip": "192.0.2.1",
        "dns": "ip-192-0-2-1.ec2.internal",
        "at": "2000-01-01T00:00:00Z",
        "db": "db-00000000000000000000000001",
        "secret": "arn:aws:secretsmanager:r:1:secret:rds!db-00000000-0000-0000-0000-000000000001-000001",
        "doc": '{"a":"x","b":1}',
        "text": "not {json",
    }
    # A sorted list (terraform's order for a set) is sorted again after the values are replaced.
    assert scrub.value(["subnet-aaaaaaaaaaaaaaaaa", "subnet-eeeeeeeeeeeeeeeee"]) == [
        "subnet-00000000000000002",
        "subnet-00000000000000003",
    ]
    assert scrub.text(
        '  - "subnet-aaaaaaaaaaaaaaaaa",\n  - "subnet-eeeeeeeeeeeeeeeee",\n  id = "vpc-0f3a9c1e5b7d2a4c6"'
    ) == ('  - "subnet-00000000000000002",\n  - "subnet-00000000000000003",\n  id = "vpc-00000000000000001"')


def test_lifecycle_edits_fail_loudly_when_the_config_moved() -> None:
    module = lifecycle_module()
    committed = (ROOT / module.CONFIG).read_text()
    for scenario in module.EDITS:
        assert module.edited(committed, scenario) != committed
    with pytest.raises(RuntimeError, match="no longer has"):
        module.edited("ENVIRONMENT = None\n", "update")
    for edits in module.MODULE_EDITS.values():
        for rel, old, _ in edits:
            assert (ROOT / rel).read_text().count(old) == 1, f"{rel} no longer has {old!r}"


@pytest.mark.e2e
@pytest.mark.terraform
def test_lifecycle_plans_dev_through_create_noop_update_replace_destroy_move(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--lifecycle", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    expected = {
        "create": Counts(add=85),  # dev, with the ALB 4xx alarm
        "noop": Counts(),
        "update": Counts(change=2),
        "replace": Counts(change=2, replace=2),
        "destroy": Counts(destroy=1),
        "move": Counts(moved=3),
    }
    for scenario, counts in expected.items():
        folder = tmp_path / f"dev-{scenario}"
        assert sorted(p.name for p in folder.iterdir()) == ["meta.json", "plan.json", "plan.txt", "sources.json"]
        assert json.loads((folder / "meta.json").read_text())["fixture"] == f"dev-{scenario}"
        text = (folder / "plan.json").read_text()
        env = env_plan("dev", json.loads(text), json.loads((folder / "sources.json").read_text()))
        assert env.counts == counts, scenario
        made_up = re.findall(r"\b[a-z]+-(?=[0-9a-f]*[a-f])[0-9a-f]{17}\b", text + (folder / "plan.txt").read_text())
        assert made_up == [], f"{scenario}: IDs the local AWS made up were left in: {made_up[:5]}"
    replaced = env_plan("dev", json.loads((tmp_path / "dev-replace" / "plan.json").read_text()))
    assert [(c.action, c.address) for c in replaced.destructive][0] == (Action.REPLACE, "aws_db_instance.this")
    assert "aws_vpc_endpoint.s3" in (tmp_path / "dev-destroy" / "plan.txt").read_text()
