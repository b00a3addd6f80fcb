"""Issue 21 item 6: every action Terraform emits is shown truthfully; what is not understood is refused.

tests/fixtures/planjson/*.json are real `terraform show -json` plans (terraform 1.11.4, builtin
terraform_data / terraform_remote_state, no provider download): `every-action.json` has no-op,
create, read, update, delete, both replace orders and forget (a removed block with destroy = false);
`deposed.json` a deposed object left by a failed create_before_destroy. The live test makes both
again with the real binary. Older format versions are derived from them by removing the keys
those versions did not have (terraform 1.11 only writes 1.2).
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.plan import digest, planjson
from generator.plan.model import PlanReport, env_plan
from generator.plan.resource import Action
from generator.plan.summary import lines
from generator.review.comment.render import render_comment
from generator.review.cost.estimate import plan_sides

FIXTURES = Path(__file__).parent / "fixtures" / "planjson"
ROOT = Path(__file__).resolve().parent.parent


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text())
    return data


def actions_of(plan: dict[str, Any]) -> dict[str, Action]:
    return {c.address: c.action for c in env_plan("dev", plan).changes}


def test_every_action_terraform_emits_is_modelled() -> None:
    found = actions_of(fixture("every-action"))
    assert found == {
        "terraform_data.gone[0]": Action.DESTROY,
        "terraform_data.rep": Action.REPLACE,
        "terraform_data.cbd": Action.REPLACE,
        "terraform_data.upd": Action.UPDATE,
        "terraform_data.new": Action.CREATE,
        "terraform_data.forgot": Action.FORGET,
    }
    counts = env_plan("dev", fixture("every-action")).counts
    assert (counts.add, counts.change, counts.destroy, counts.replace, counts.forget) == (1, 1, 1, 2, 1)


def test_forget_is_in_comment_table_summary_digest_and_console() -> None:
    plan = env_plan("dev", fixture("every-action"))
    body = render_comment(PlanReport((plan,)))
    assert "| Forget |" in body and "1 to forget" in body
    assert "No changes" not in body
    assert "- terraform_data.forgot forget" in digest.digest_lines(plan)
    assert any("forget" in line and "terraform_data.forgot" in line for line in lines(plan))


def test_only_a_forget_is_still_a_change() -> None:
    plan = fixture("every-action")
    plan["resource_changes"] = [
        rc for rc in plan["resource_changes"] if rc["change"]["actions"] in (["forget"], ["no-op"])
    ]
    model = env_plan("dev", plan)
    assert model.has_changes and not model.no_changes
    assert "No changes" not in render_comment(PlanReport((model,)))


def test_forgotten_resource_still_costs() -> None:
    before, after = plan_sides(fixture("every-action"))
    assert "terraform_data.forgot" in before and "terraform_data.forgot" in after  # it stays in the account
    assert "terraform_data.gone[0]" in before and "terraform_data.gone[0]" not in after


def test_create_then_forget_keeps_the_old_object() -> None:
    plan = fixture("every-action")
    rc = next(rc for rc in plan["resource_changes"] if rc["address"] == "terraform_data.cbd")
    rc["change"]["actions"] = ["create", "forget"]
    model = env_plan("dev", plan)
    change = next(c for c in model.changes if c.address == "terraform_data.cbd")
    assert change.action is Action.CREATE_FORGET and not change.destructive
    _, after = plan_sides(plan)
    assert {"terraform_data.cbd", "terraform_data.cbd (forgotten)"} <= set(after)


def test_deposed_object_is_shown_destroyed_and_priced_until_then() -> None:
    model = env_plan("dev", fixture("deposed"))
    deposed = [c for c in model.changes if "deposed" in c.address]
    assert len(deposed) == 1 and deposed[0].action is Action.DESTROY
    assert "deposed" in render_comment(PlanReport((model,)))
    before, after = plan_sides(fixture("deposed"))
    assert any("deposed" in a for a in before) and not any("deposed" in a for a in after)


def _older(plan: dict[str, Any], version: str) -> dict[str, Any]:
    """The plan as an older format wrote it: optional keys of later versions removed."""
    out = copy.deepcopy(plan)
    out["format_version"] = version
    later = {
        "0.1": (
            "resource_drift",
            "relevant_attributes",
            "checks",
            "timestamp",
            "errored",
            "applyable",
            "complete",
            "output_changes",
        ),
        "0.2": ("relevant_attributes", "checks", "timestamp", "errored", "applyable", "complete"),
        "1.0": ("relevant_attributes", "checks", "timestamp", "errored", "applyable", "complete"),
        "1.1": ("checks", "timestamp", "errored", "applyable", "complete"),
    }[version]
    for key in later:
        out.pop(key, None)
    for rc in out["resource_changes"]:
        if version in ("0.1", "0.2", "1.0"):
            rc.pop("previous_address", None)
            rc.pop("action_reason", None)
        if version == "0.1":
            rc.pop("address", None)
    return out


@pytest.mark.parametrize("version", ["0.1", "0.2", "1.0", "1.1", "1.2"])
def test_every_format_version_reads_the_same(version: str) -> None:
    plan = fixture("every-action") if version == "1.2" else _older(fixture("every-action"), version)
    assert actions_of(plan) == actions_of(fixture("every-action"))
    assert "terraform_data.gone[0]" in plan_sides(plan)[0]  # 0.1 had no address: built from type/name/index


def test_format_0_1_module_and_string_index_addresses() -> None:
    rc = {
        "module_address": "module.app",
        "mode": "managed",
        "type": "aws_s3_bucket",
        "name": "b",
        "index": "blue",
        "change": {"actions": ["delete"], "before": {}, "after": None},
    }
    plan = {"format_version": "0.1", "resource_changes": [rc]}
    (change,) = env_plan("dev", plan).changes
    assert change.address == 'module.app.aws_s3_bucket.b["blue"]' and change.stateful and change.destructive


BAD_DOCUMENTS: dict[str, Any] = {
    "unknown action": {
        "format_version": "1.2",
        "resource_changes": [{"address": "a.b", "type": "a", "name": "b", "change": {"actions": ["obliterate"]}}],
    },
    "empty actions": {
        "format_version": "1.2",
        "resource_changes": [{"address": "a.b", "type": "a", "name": "b", "change": {"actions": []}}],
    },
    "actions a string": {
        "format_version": "1.2",
        "resource_changes": [{"address": "a.b", "type": "a", "name": "b", "change": {"actions": "delete"}}],
    },
    "change missing": {"format_version": "1.2", "resource_changes": [{"address": "a.b"}]},
    "resource_changes an object": {"format_version": "1.2", "resource_changes": {"a.b": {}}},
    "entry a string": {"format_version": "1.2", "resource_changes": ["aws_db_instance.main"]},
    "no address nor type": {"format_version": "0.1", "resource_changes": [{"change": {"actions": ["create"]}}]},
    "format 2.0": {"format_version": "2.0", "resource_changes": []},
    "no format_version": {"resource_changes": []},
    "a list": [{"format_version": "1.2"}],
    "unknown output action": {"format_version": "1.2", "output_changes": {"x": {"actions": ["explode"]}}},
    "unknown drift action": {
        "format_version": "1.2",
        "resource_drift": [{"address": "a.b", "type": "a", "name": "b", "change": {"actions": ["vanish"]}}],
    },
    "bool index": {
        "format_version": "0.1",
        "resource_changes": [{"type": "a", "name": "b", "index": True, "change": {"actions": ["create"]}}],
    },
    "unknown mode": {
        "format_version": "1.2",
        "resource_changes": [
            {"address": "a.b", "mode": "ephemeral-ish", "type": "a", "name": "b", "change": {"actions": ["create"]}}
        ],
    },
}


@pytest.mark.parametrize("name", sorted(BAD_DOCUMENTS))
def test_not_understood_is_refused_in_one_line(name: str) -> None:
    with pytest.raises(planjson.PlanFormatError) as caught:
        planjson.parse(json.dumps(BAD_DOCUMENTS[name]))  # as read from a file or terraform
    assert "\n" not in str(caught.value)
    if name not in ("no format_version", "a list"):  # a dict built in code is checked the same
        with pytest.raises(planjson.PlanFormatError):
            env_plan("dev", BAD_DOCUMENTS[name])


def test_trailing_garbage_is_refused_but_the_wrapper_stays_accepted() -> None:
    text = json.dumps(fixture("every-action"))
    wrapped = f"[command]/usr/bin/terraform-bin show -json plan\n{text}\n::debug::exitcode: 0\n::set-output name=x::y\n"
    assert planjson.parse(wrapped)["format_version"] == "1.2"
    for tail in ("garbage", '{"format_version": "1.2"}', "\nNo changes.", "\n]"):
        with pytest.raises(planjson.PlanFormatError):
            planjson.parse(text + tail)
        with pytest.raises(planjson.PlanFormatError):
            planjson.parse(f"[command]terraform show -json\n{text}{tail}\n")


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HCLGEN_ROOT": str(cwd)}
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("name", ["unknown action", "format 2.0", "a list"])
def test_cli_comment_and_cost_refuse_in_one_line(tmp_path: Path, name: str) -> None:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(BAD_DOCUMENTS[name]))
    for command in (["comment", str(path), "--env", "dev", "--no-diagram"], ["cost", str(path)]):
        done = _run(*command, cwd=tmp_path)
        assert done.returncode == 64, (command, done.stderr)
        assert "Traceback" not in done.stderr and "No changes" not in done.stdout
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_stateful_rail_fails_closed_on_a_plan_it_cannot_read() -> None:
    """A stateful delete hidden behind an unknown action never reaches the rail as "nothing risky":
    building the model (what apply decides from) refuses first."""
    rc = {
        "address": "aws_db_instance.main",
        "type": "aws_db_instance",
        "name": "main",
        "change": {"actions": ["delete", "obliterate"]},
    }
    with pytest.raises(planjson.PlanFormatError):
        env_plan("dev", {"format_version": "1.2", "resource_changes": [rc]})


TF_FIRST = """
resource "terraform_data" "keep" { input = "same" }
resource "terraform_data" "upd" { input = var.v }
resource "terraform_data" "rep" { triggers_replace = [var.v] }
resource "terraform_data" "forgot" {}
variable "v" {}
"""
TF_SECOND = """
resource "terraform_data" "keep" { input = "same" }
resource "terraform_data" "upd" { input = var.v }
resource "terraform_data" "rep" { triggers_replace = [var.v] }
removed {
  from = terraform_data.forgot
  lifecycle { destroy = false }
}
variable "v" {}
"""


@pytest.mark.terraform
@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not on PATH")
def test_real_terraform_forget_and_replace(tmp_path: Path) -> None:
    env = {**os.environ, "TF_CLI_CONFIG_FILE": os.devnull, "TF_IN_AUTOMATION": "1"}

    def tf(*args: str) -> str:
        done = subprocess.run(["terraform", *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    (tmp_path / "main.tf").write_text(TF_FIRST)
    tf("init", "-input=false")
    tf("apply", "-auto-approve", "-input=false", "-var", "v=1")
    (tmp_path / "main.tf").write_text(TF_SECOND)
    tf("plan", "-input=false", "-var", "v=2", "-out=p.tfplan")
    plan = planjson.parse(tf("show", "-json", "p.tfplan"))
    assert actions_of(plan) == {
        "terraform_data.upd": Action.UPDATE,
        "terraform_data.rep": Action.REPLACE,
        "terraform_data.forgot": Action.FORGET,
    }
    assert "terraform_data.forgot" in plan_sides(plan)[1]


def test_utf16_plan_file_from_powershell_is_read(tmp_path: Path) -> None:
    from generator.plan.source import read_plan_json

    path = tmp_path / "plan.json"
    path.write_bytes(b"\xff\xfe" + (FIXTURES / "every-action.json").read_text().encode("utf-16-le"))
    assert actions_of(read_plan_json(path)) == actions_of(fixture("every-action"))


def test_absurdly_deep_json_is_refused_in_one_line() -> None:
    with pytest.raises(planjson.PlanFormatError, match="nests deeper"):
        planjson.parse("[" * 100_000 + "]" * 100_000)


@pytest.mark.parametrize("seed", [1, 2])
def test_any_value_of_the_wrong_shape_is_refused_never_a_traceback(seed: int) -> None:
    """Every key of two real plans replaced in turn by values of other shapes: each document is
    read or refused with PlanFormatError; the comment, digest, cost, diagram and artifact never crash."""
    import random

    from generator.diagram.plan import plan_diagram
    from generator.errors import HclgenError
    from generator.plan.redact import strip_plan

    weird: list[Any] = ["x", 7, None, [], {}, [1, "a"], {"a": 1}, True]
    rng = random.Random(seed)
    for original in (fixture("every-action"), json.loads((ROOT / "tests/fixtures/review/update.json").read_text())):
        paths = list(_paths(original))
        for _ in range(400):
            plan = copy.deepcopy(original)
            path = rng.choice(paths)
            node = plan
            for part in path[:-1]:
                node = node[part]
            node[path[-1]] = rng.choice(weird)
            try:
                model = env_plan("dev", planjson.checked(plan))
                render_comment(PlanReport((model,)))
                digest.digest_lines(model)
                plan_sides(plan)
                plan_diagram("dev", planjson.checked(plan))
                strip_plan(planjson.checked(plan))  # the artifact: what it cannot walk it refuses
            except HclgenError:
                pass


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> Any:
    if prefix:
        yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node[:3]):
            yield from _paths(value, prefix + (index,))
