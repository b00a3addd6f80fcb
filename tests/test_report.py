"""Plan JSON -> review model: actions, counts, masking, unknowns, sources (generator/report.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.plan.attrdiff import SENSITIVE, UNKNOWN, AttributeChange, attribute_changes, display, format_path
from generator.plan.model import Counts, env_plan
from generator.plan.resource import Action, classify

FIXTURES = Path(__file__).parent / "fixtures" / "plans"


def fixture(name: str) -> dict[str, Any]:
    plan: dict[str, Any] = json.loads((FIXTURES / name / "plan.json").read_text())
    return plan


def sources(name: str) -> dict[str, str]:
    mapping: dict[str, str] = json.loads((FIXTURES / name / "sources.json").read_text())
    return mapping


@pytest.mark.parametrize(
    ("actions", "expected"),
    [
        (["create"], Action.CREATE),
        (["update"], Action.UPDATE),
        (["delete"], Action.DESTROY),
        (["delete", "create"], Action.REPLACE),
        (["create", "delete"], Action.REPLACE),
        (["no-op"], Action.NOOP),
        (["read"], Action.NOOP),
        (["forget"], Action.FORGET),
    ],
)
def test_classify(actions: list[str], expected: Action) -> None:
    assert classify(actions) is expected


def test_format_path() -> None:
    assert format_path(("tags", "Team")) == "tags.Team"
    assert format_path(("ingress", 0, "cidr_blocks", 1)) == "ingress[0].cidr_blocks[1]"
    assert format_path(("tags", "kubernetes.io/role")) == 'tags["kubernetes.io/role"]'


def test_sensitive_values_never_appear_only_the_mask() -> None:
    change = {
        "actions": ["update"],
        "before": {"password": "old-secret", "nested": {"key": "k1"}, "n": 1},
        "after": {"password": "new-secret", "nested": {"key": "k2"}, "n": 2},
        "before_sensitive": {"password": True, "nested": True},
        "after_sensitive": {"password": True, "nested": True},
        "after_unknown": {},
    }
    attrs = attribute_changes(change, creating=False)
    assert attrs == [
        AttributeChange("n", "1", "2"),
        AttributeChange("nested", SENSITIVE, SENSITIVE),
        AttributeChange("password", SENSITIVE, SENSITIVE),
    ]
    assert "secret" not in repr(attrs) and "k1" not in repr(attrs)


def test_whole_object_sensitive_is_masked_keys_and_all() -> None:
    change = {"before": None, "after": {"a": "x"}, "after_sensitive": True, "after_unknown": {}}
    assert attribute_changes(change, creating=True) == [AttributeChange("(whole resource)", None, SENSITIVE)]


def test_unknown_values_are_known_after_apply_and_computed_noise_is_dropped_on_create() -> None:
    change = {
        "before": None,
        "after": {"name": "x", "id": None, "vpc_id": None},
        "after_unknown": {"id": True, "vpc_id": True},
        "after_sensitive": {},
    }
    attrs = attribute_changes(change, creating=True, configured=frozenset({"name", "vpc_id"}))
    assert attrs == [AttributeChange("name", None, '"x"'), AttributeChange("vpc_id", None, UNKNOWN)]


def test_provider_noise_between_empty_values_is_not_a_change() -> None:
    change = {
        "before": {"tags": None, "kms": "", "list": []},
        "after": {"tags": {}, "kms": None, "list": None},
        "after_unknown": {},
        "before_sensitive": {},
        "after_sensitive": {},
    }
    assert attribute_changes(change, creating=False) == []


def test_replace_paths_mark_forcing_attributes() -> None:
    change = {
        "before": {"name": "a", "size": 1},
        "after": {"name": "b", "size": 2},
        "after_unknown": {},
        "replace_paths": [["name"]],
    }
    attrs = attribute_changes(change, creating=False)
    assert [a.forces_replacement for a in attrs] == [True, False]


def test_mixed_fixture_counts_and_order() -> None:
    plan = env_plan("prod", fixture("mixed"), sources("mixed"))
    assert plan.counts == Counts(add=2, change=3, destroy=2, replace=3, imported=1, moved=1)
    destructive = [(c.action, c.address, c.stateful) for c in plan.destructive]
    assert destructive == [
        (Action.DESTROY, "aws_dynamodb_table.locks", True),
        (Action.DESTROY, "aws_s3_bucket.logs", True),
        (Action.REPLACE, "aws_ecr_repository.app", True),
        (Action.REPLACE, "aws_secretsmanager_secret_version.db", True),
        (Action.REPLACE, "terraform_data.release", False),
    ]
    assert plan.changes[: len(destructive)] == plan.destructive
    assert not plan.no_changes


def test_mixed_fixture_details() -> None:
    plan = env_plan("prod", fixture("mixed"), sources("mixed"))
    by = {c.address: c for c in plan.changes}
    assert by["aws_s3_bucket.static"].moved_from == "aws_s3_bucket.assets"
    assert by["aws_s3_bucket.imported"].imported and by["aws_s3_bucket.imported"].action is Action.NOOP
    assert by["aws_dynamodb_table.locks"].reason == "removed from the configuration"
    assert by["aws_vpc.this"].source == "modules/vpc.py:31"
    assert by["aws_dynamodb_table.locks"].source is None  # gone from the code, so from the map
    secret = {a.path: a for a in by["aws_secretsmanager_secret_version.db"].attributes}
    assert secret["secret_string"] == AttributeChange("secret_string", SENSITIVE, SENSITIVE, True)
    db = {a.path: a.after for a in by["aws_db_instance.main"].attributes}
    assert db["password"] == SENSITIVE and db["vpc_security_group_ids"] == UNKNOWN
    assert "arn" not in db  # computed, not configured
    text = json.dumps([c.attributes for c in plan.changes], default=repr)
    for secret_value in ("hunter2", "hunter3", "correct-horse-battery"):
        assert secret_value not in text


def test_nochange_and_create_fixtures() -> None:
    assert env_plan("stage", fixture("nochange")).no_changes
    created = env_plan("dev", fixture("create"))
    assert created.counts == Counts(add=10)
    assert all(c.action is Action.CREATE for c in created.changes)


def test_source_lookup_ignores_instance_keys() -> None:
    plan = {
        "format_version": "1.2",
        "resource_changes": [
            {
                "address": 'aws_subnet.private["a"]',
                "mode": "managed",
                "type": "aws_subnet",
                "name": "private",
                "change": {"actions": ["create"], "before": None, "after": {}, "after_unknown": {}},
            },
            {
                "address": "data.aws_region.current",
                "mode": "data",
                "type": "aws_region",
                "name": "current",
                "change": {"actions": ["read"]},
            },
        ],
    }
    env = env_plan("dev", plan, {"aws_subnet.private": "modules/vpc.py:9"})
    assert [(c.address, c.source) for c in env.changes] == [('aws_subnet.private["a"]', "modules/vpc.py:9")]


def test_errored_plan_and_output_changes() -> None:
    plan = {
        "format_version": "1.2",
        "errored": True,
        "resource_changes": [],
        "output_changes": {"url": {"actions": ["update"]}, "same": {"actions": ["no-op"]}},
    }
    env = env_plan("dev", plan)
    assert env.errored and env.outputs_changed == 1 and not env.no_changes


def test_replace_keeps_what_forces_it_first_and_drops_computed_noise() -> None:
    change = {
        "before": {"name": "a", "size": 1, "arn": "arn:x", "port": 5432, "tags_all": {"A": "1"}},
        "after": {"name": "b", "size": 2, "arn": None, "port": None, "tags_all": {"A": "1", "B": "2"}},
        "after_unknown": {"arn": True},
        "replace_paths": [["size"]],
    }
    attrs = attribute_changes(change, creating=False, replacing=True, configured=frozenset({"name", "size"}))
    assert attrs == [AttributeChange("size", "1", "2", True), AttributeChange("name", '"a"', '"b"')]
    unconfigured = attribute_changes(change, creating=False, replacing=True)  # no configuration known
    assert [a.path for a in unconfigured] == ["size", "arn", "name", "port"]
    updated = attribute_changes(change, creating=False, configured=frozenset({"name", "size"}))
    assert [a.path for a in updated] == ["size", "arn", "name", "port", "tags_all.B"]  # an update hides nothing


def test_json_documents_in_strings_read_as_jsonencode() -> None:
    assert (
        display('{"Version":"2012-10-17","Statement":[]}') == 'jsonencode({"Statement": [], "Version": "2012-10-17"})'
    )
    assert display("[1, 2]") == "jsonencode([1, 2])"
    for plain in ("42", "[not json", "", "null"):
        assert display(plain) == json.dumps(plain)
    assert display('{"k": "' + "x" * 200 + '"}').endswith("…") and len(display('{"k": "' + "x" * 200 + '"}')) == 160
