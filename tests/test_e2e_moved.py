"""A refactor never destroys: dev applied on the local AWS, constructs renamed in Python, moved blocks.

One project copy, one apply of dev (about 2 minutes), then cheap steps in order: rename the
database, its parameter group and the VPC (`this` -> `primary` / `main`) in the module code,
synth (moved.tf appears), plan (0 to destroy, 3 to move), apply, plan clean, prune, plan clean.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator

import pytest

from generator.localaws import server as local_aws
from scripts.plan_lifecycle import MODULE_EDITS
from scripts.projectcopy import copy_project
from tests.support.e2e import Project, ok

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.terraform,
    pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not installed"),
]

# The refactor: (file, committed text, renamed text), module code, not config: no input renames
# these. The same edits make the "move" plan fixture, so both come from one table.
RENAMES = MODULE_EDITS["move"]
MOVES = {
    "aws_db_instance.this": "aws_db_instance.primary",
    "aws_db_parameter_group.this": "aws_db_parameter_group.primary",
    "aws_vpc.this": "aws_vpc.main",
}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    root = copy_project(tmp_path_factory.mktemp("e2e-moved") / "project")
    yield Project(root)
    local_aws.down(root)


def _ids(project: Project) -> dict[str, str]:
    return {
        f"{r['type']}.{r['name']}": r["instances"][0]["attributes"]["id"]
        for r in project.state()["resources"]
        if r["mode"] == "managed"
    }


def _plan(project: Project) -> tuple[int, str, dict[str, object]]:
    result = project.run("plan", "dev", "--local", "--detailed-exitcode")
    assert result.returncode in (0, 2), result.stdout[-3000:] + result.stderr[-3000:]
    plan = json.loads((project.root / ".hclgen" / "plans" / "dev" / "plan.json").read_text())
    return result.returncode, result.stdout, plan


def test_apply_dev(project: Project) -> None:
    assert "Apply complete!" in ok(project.run("apply", "dev", "--local", "--auto-approve"))


def test_rename_in_python_synthesizes_moved_blocks(project: Project) -> None:
    for rel, old, new in RENAMES:
        path = project.root / rel
        assert path.read_text().count(old) == 1, f"{rel} no longer has {old!r}: update plan_lifecycle.MODULE_EDITS"
        path.write_text(path.read_text().replace(old, new))
    result = project.run("synth", "dev")
    assert "created environments/dev/moved.tf" in ok(result)
    moved = (project.root / "environments" / "dev" / "moved.tf").read_text()
    for source, target in MOVES.items():
        assert f"moved {{\n  from = {source}\n  to   = {target}\n}}" in moved
    assert re.search(
        r'# rds: aws_db_instance "this" renamed to "primary" \(modules/rds\.py:\d+\), same identifier', moved
    )
    assert 'resource "aws_db_instance" "primary"' in (project.root / "environments" / "dev" / "rds.tf").read_text()
    ok(project.run("synth", "--check", "dev"))


def test_plan_moves_and_destroys_nothing(project: Project) -> None:
    code, out, plan = _plan(project)
    assert code == 2  # moves are changes to the state
    assert "dev: 0 to add, 0 to change, 0 to destroy, 0 to replace, 3 to move" in out
    changes = plan["resource_changes"]  # type: ignore[index]
    moved = {rc["previous_address"]: rc["address"] for rc in changes if rc.get("previous_address")}
    assert moved == MOVES
    assert {tuple(rc["change"]["actions"]) for rc in changes} == {("no-op",)}
    comment = ok(project.run("comment", str(project.root / ".hclgen" / "plans" / "dev")))
    assert "| `dev` | 0 | 0 | 0 | 0 | 0 | 3 |" in comment and "Destroyed or replaced" not in comment
    assert "**move** `aws_db_instance.primary`" in comment and "`aws_db_instance.this`" in comment


def test_apply_keeps_every_object(project: Project) -> None:
    before = _ids(project)
    assert "Apply complete!" in ok(project.run("apply", "dev", "--local", "--auto-approve"))
    after = _ids(project)
    for source, target in MOVES.items():
        assert after[target] == before[source] and source not in after
    assert sorted(after.values()) == sorted(before.values())  # the same objects, nothing recreated
    code, out, _ = _plan(project)
    assert code == 0 and "dev: 0 to add, 0 to change, 0 to destroy, 0 to replace\n" in out


def test_prune_then_plan_stays_clean(project: Project) -> None:
    listed = ok(project.run("moved", "dev"))
    assert all(f"{source} -> {target}" in listed for source, target in MOVES.items())
    pruned = project.run("moved", "dev", "--prune", "--local")
    assert "moved: dev: 3 pruned, 0 kept" in ok(pruned) + pruned.stderr
    assert not (project.root / "environments" / "dev" / "moved.tf").exists()
    ok(project.run("synth", "--check", "dev"))  # the cache vouches for the other files
    ok(project.run("synth", "--check", "--no-cache", "dev"))  # and a full render agrees
    code, out, _ = _plan(project)
    assert code == 0 and "dev: 0 to add, 0 to change, 0 to destroy, 0 to replace\n" in out
