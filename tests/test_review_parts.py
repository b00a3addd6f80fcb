"""Issue 12: the comment tells the whole truth on real plans (tests/fixtures/review/README.md).

JSON-string and set diffs, drift, outputs, checks, errored / refresh-only plans, Terraform 1.14
actions and deferred changes, and plan files captured through setup-terraform's wrapper.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.errors import UsageError
from generator.plan.attrdiff import SENSITIVE, attribute_changes
from generator.plan.model import EnvPlan, PlanReport, env_plan, failed_plan
from generator.plan.resource import Action
from generator.plan.schema import SETS_FILE, set_paths
from generator.plan.source import load_env_plan, unwrap
from generator.plan.summary import lines
from generator.review.comment.markup import size
from generator.review.comment.parts import plan_text
from generator.review.comment.render import render_comment
from tests.support.goldens import check_comment_golden as check_golden

REVIEW = Path(__file__).parent / "fixtures" / "review"
SECRETS = ("first-secret", "second-secret")


def document(name: str) -> dict[str, object]:
    data: dict[str, object] = json.loads((REVIEW / f"{name}.json").read_text())
    return data


def plan(name: str) -> EnvPlan:
    return env_plan("dev", document(name))


def change(env: EnvPlan, address: str) -> tuple[tuple[str, str | None, str | None, bool], ...]:
    found = next(c for c in env.changes if c.address == address)
    return tuple((a.path, a.before, a.after, a.element) for a in found.attributes)


@pytest.mark.parametrize("name", ["update", "refresh-only", "errored", "tf114-actions-deferred"])
def test_golden_comment(name: str) -> None:
    text = render_comment(PlanReport((plan(name),)))
    assert not any(secret in text for secret in SECRETS)
    check_golden(f"review_{name.replace('-', '_')}.md", text)


def test_container_definitions_diffed_by_key_not_cut() -> None:
    env = plan("update")
    task = next(c for c in env.changes if c.address == "aws_ecs_task_definition.app")
    assert task.action is Action.REPLACE
    # the env var is matched by its name, the provider's [] vs null normalisation is not a change
    assert [(a.path, a.before, a.after, a.forces_replacement) for a in task.attributes] == [
        ('container_definitions » ["app"].environment["LOG_LEVEL"].value', '"info"', '"debug"', True)
    ]


def test_iam_policy_widening_is_visible() -> None:
    assert change(plan("update"), "aws_iam_policy.read") == (
        ("policy » Statement[0].Action", '"s3:*"', None, True),
        ("policy » Statement[0].Action", None, '"s3:ListBucket"', True),
        ("policy » Statement[0].Resource", '"*"', '"arn:aws:s3:::review/*"', False),
    )


def test_long_json_string_change_is_shown_past_160_characters() -> None:
    statements = [
        {"Sid": f"S{i}", "Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::b{i}/*"}
        for i in range(20)
    ]
    after = [*statements[:-1], {**statements[-1], "Action": ["s3:GetObject", "s3:PutObject"]}]
    attrs = attribute_changes(
        {
            "before": {"policy": json.dumps({"Statement": statements})},
            "after": {"policy": json.dumps({"Statement": after})},
        },
        creating=False,
    )
    assert [(a.path, a.before, a.after) for a in attrs] == [
        ('policy » Statement["S19"].Action', '"s3:GetObject"', '["s3:GetObject", "s3:PutObject"]')
    ]


def test_sensitive_json_string_stays_masked() -> None:
    assert change(plan("update"), "aws_ssm_parameter.db")[1] == ("value", SENSITIVE, SENSITIVE, False)
    attrs = attribute_changes(
        {
            "before": {"doc": '{"password": "a"}'},
            "after": {"doc": '{"password": "b"}'},
            "before_sensitive": {"doc": True},
            "after_sensitive": {"doc": True},
        },
        creating=False,
    )
    assert [(a.path, a.before, a.after) for a in attrs] == [("doc", SENSITIVE, SENSITIVE)]


def test_sets_are_diffed_as_sets() -> None:
    ingress = change(plan("update"), "aws_security_group.web")
    assert [(path, element) for path, _, _, element in ingress] == [("ingress", True)] * 3
    assert '"to_port": 22' in (ingress[0][1] or "")  # the rule added outside terraform goes
    assert "10.1.0.0/16" in (ingress[1][1] or "") and ingress[1][2] is None
    assert "10.2.0.0/16" in (ingress[2][2] or "") and ingress[2][1] is None
    assert not any('"from_port": 80' in (before or after or "") for _, before, after, _ in ingress)  # unchanged


def test_set_table_is_package_data_from_the_schema() -> None:
    assert SETS_FILE.is_file() and SETS_FILE.parent.name == "data"
    assert {"ingress", "egress"} <= set_paths("aws_security_group")
    assert {"network_configuration.subnets", "network_configuration.security_groups", "load_balancer"} <= set_paths(
        "aws_ecs_service"
    )
    assert set_paths("aws_no_such_type") == frozenset()


def test_lists_that_are_not_sets_stay_positional() -> None:
    attrs = attribute_changes({"before": {"ids": ["a", "b"]}, "after": {"ids": ["b", "c"]}}, creating=False)
    assert [(a.path, a.element) for a in attrs] == [("ids[0]", False), ("ids[1]", False)]
    attrs = attribute_changes(
        {"before": {"ids": ["a", "b"]}, "after": {"ids": ["b", "c"]}}, creating=False, sets=frozenset({"ids"})
    )
    assert [(a.before, a.after, a.element) for a in attrs] == [('"a"', None, True), (None, '"c"', True)]


def test_refresh_only_drift_is_never_no_changes() -> None:
    env = plan("refresh-only")
    assert env.refresh_only and not env.no_changes and env.has_changes
    assert [c.address for c in env.drift] == ["aws_iam_policy.read", "aws_security_group.web"]
    text = render_comment(PlanReport((env,)))
    assert "No changes" not in text
    assert "🔀 **2 resources changed outside Terraform in `dev`**" in text
    assert "| `dev` (refresh-only) | 0 | 0 | 0 | 0 | 0 | 0 | 2 | 2 |" in text  # outputs: greeting, policy


def test_drift_in_a_normal_plan_shows_what_the_plan_relies_on() -> None:
    env = plan("update")
    assert not env.refresh_only
    drifted = {c.address: [a.path for a in c.attributes] for c in env.drift}
    assert drifted == {"aws_iam_policy.read": ["policy » Statement[0].Action", "policy » Statement[0].Resource"]}
    noop = env_plan("dev", json.loads((REVIEW.parent / "plans" / "dev-noop" / "plan.json").read_text()))
    assert noop.drift == () and noop.no_changes  # the provider catching up after apply is not drift


def test_outputs_are_named_and_masked() -> None:
    env = plan("update")
    shown = {o.name: (o.action, o.before, o.after) for o in env.outputs}
    assert shown["db_password"] == ("update", SENSITIVE, SENSITIVE)
    assert shown["greeting"] == ("update", '"hello"', '"hello, world"')
    assert shown["task_arn"] == ("create", None, "(known after apply)")
    text = render_comment(PlanReport((env,)))
    assert "- output `db_password`: (sensitive value) -> (sensitive value)" in text
    assert "- output `task_arn`: added, (known after apply)" in text


def test_failed_checks_reach_the_verdict() -> None:
    env = plan("update")
    assert [(c.address, c.kind, c.status) for c in env.failed_checks] == [("check.greeting_short", "check", "fail")]
    text = render_comment(PlanReport((env,)))
    verdict = text.split("| Environment |")[0]
    assert "❌ **1 check failed in `dev`**: `check.greeting_short`" in verdict
    errored = plan("errored")
    assert errored.errored and "terraform_data.gate" in [c.address for c in errored.failed_checks]
    assert "Errors are not allowed here." in render_comment(PlanReport((errored,)))


def test_errored_plan_never_says_no_changes() -> None:
    assert plan_text(failed_plan("dev", "Error: Invalid provider configuration")).startswith(
        "The plan failed: Error: Invalid provider configuration; terraform recorded no complete plan."
    )
    text = render_comment(PlanReport((failed_plan("dev", None),)))
    assert "No changes" not in text
    assert plan_text(plan("errored")).startswith("The plan failed; terraform recorded no complete plan, the changes")


def test_terraform_114_actions_and_deferred_are_shown() -> None:
    env = plan("tf114-actions-deferred")
    assert env.has_changes and not env.no_changes
    assert [(a.address, a.event, a.resource) for a in env.actions] == [
        ("action.aws_lambda_invoke.notify", "after update", "aws_instance.web"),
        ("action.aws_ec2_stop_instance.maintenance", None, None),
    ]
    assert [(d.address, d.action) for d in env.deferred] == [('aws_instance.workers["*"]', "create")]
    text = render_comment(PlanReport((env,)))
    assert "No changes" not in text and "⏸️ **1 change deferred in `dev`**" in text
    assert "runs after update of `aws_instance.web`" in text


def test_setup_terraform_wrapper_output_is_accepted(tmp_path: Path) -> None:
    wrapped = (REVIEW / "wrapped-update.txt").read_text()
    assert wrapped.startswith("[command]/home/runner/")
    assert unwrap(wrapped) == document("update")
    path = tmp_path / "plan.json"
    path.write_text(wrapped)
    assert load_env_plan(path, "dev", None) == plan("update")
    legacy = (
        "[command]/home/runner/work/_temp/x/terraform-bin show -json plan\n::debug::Terraform exited with code 0.\n"
        + json.dumps(document("update"))
        + "\n::set-output name=stdout::{}\n::set-output name=exitcode::0\n"
    )
    assert unwrap(legacy) == document("update")
    path.write_text("[command]/usr/bin/terraform-bin show -json plan\n::debug::exitcode: 1\n")
    with pytest.raises(UsageError, match=r"cannot read plan .*no JSON object found"):
        load_env_plan(path, "dev", None)


def test_console_summary_names_drift_and_failed_checks() -> None:
    printed = lines(plan("update"))
    assert printed[0].startswith("dev: 0 to add, 4 to change, 0 to destroy, 1 to replace, 4 output change(s)")
    assert printed[1] == "  drift    1 resource(s) changed outside Terraform: aws_iam_policy.read"
    assert printed[2] == "  checks   1 failed: check.greeting_short (The greeting is longer than 7 characters.)"
    assert lines(plan("refresh-only"))[0].endswith("(refresh-only)")


def test_drift_outputs_and_checks_outlast_destroy_detail() -> None:
    env = plan("update")
    limit = size(render_comment(PlanReport((env,))))
    while "```diff" in (text := render_comment(PlanReport((env,)), limit=limit)):
        limit -= 100
    assert "the attribute changes of each resource" in text  # destroy detail went
    for line in (
        "❌ **1 check failed in `dev`**",
        "🔀 **1 resource changed outside Terraform in `dev`**",
        "- output `greeting`",
        "- ❌ **failed** `check.greeting_short`",
        "`aws_ecs_task_definition.app`",
    ):
        assert line in text


def test_checks_unknown_until_apply_are_counted_not_listed() -> None:
    data = document("update")
    data["checks"] = [
        *data["checks"],
        {
            "address": {"kind": "resource", "to_display": "aws_instance.web"},  # type: ignore[list-item]
            "status": "unknown",
            "instances": [],
        },
    ]
    env = env_plan("dev", data)
    assert [c.address for c in env.checks] == ["check.greeting_short", "aws_instance.web"]
    text = render_comment(PlanReport((env,)))
    assert "- `dev`: 1 more check can only be evaluated during apply." in text
    assert "`aws_instance.web`" not in text


def test_named_set_elements_are_diffed_inside() -> None:
    def role(actions: list[str]) -> list[dict[str, str]]:
        document = {"Statement": [{"Sid": "Read", "Effect": "Allow", "Action": actions, "Resource": "*"}]}
        return [
            {"name": "logs", "policy": json.dumps({"Statement": []})},
            {"name": "read", "policy": json.dumps(document)},
        ]

    attrs = attribute_changes(
        {
            "before": {"inline_policy": role(["s3:GetObject"])},
            "after": {"inline_policy": list(reversed(role(["s3:GetObject", "s3:*"])))},
        },
        creating=False,
        sets=set_paths("aws_iam_role"),
    )
    assert [(a.path, a.before, a.after, a.element) for a in attrs] == [
        ('inline_policy[name="read"].policy » Statement["Read"].Action', None, '"s3:*"', True)
    ]
