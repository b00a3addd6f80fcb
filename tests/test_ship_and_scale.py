"""Production layer, part 2: OIDC CI roles, the deploy parameter, scheduled scaling, Aurora, proxy, blue/green."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.errors import InputError
from generator.terraform.deploy import appspec
from modules import cron
from modules.aurora import AuroraInputs
from modules.aurora_alarms import AuroraAlarmInputs, default_max_connections
from modules.codedeploy import BlueGreenInputs
from modules.oidc import OidcInputs
from modules.params import ParamsInputs
from modules.scaling import ScalingInputs, ScheduledWindow
from scripts.projectcopy import copy_project
from tests.conftest import ROOT

EXAMPLE = "aurora-blue-green"
# env -> (repository, the `sub` the apply role must trust)
EXPECTED_APPLY = {
    "dev": ("acme/acme-api", "repo:acme/acme-api:environment:dev"),
    "prod": ("acme/acme-api", "repo:acme/acme-api:environment:prod"),
    EXAMPLE: ("meow-team/meow-infra", "repo:meow-team/meow-infra:ref:refs/heads/main"),
}
ISSUER = "token.actions.githubusercontent.com"


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """cdktf's JSON of dev, prod and the Aurora example (one synth)."""
    from generator.render.project import load
    from generator.render.synth import synthesize

    root = copy_project(tmp_path_factory.mktemp("production") / "project")
    shutil.copytree(ROOT / "examples" / EXAMPLE, root / "environments" / EXAMPLE)
    return {doc.env: doc.document for doc in synthesize(load(root, ["dev", "prod", EXAMPLE]), root)}


def _resources(document: dict[str, Any], kind: str) -> dict[str, Any]:
    return document["resource"].get(kind, {})  # type: ignore[no-any-return]


def _oidc_trusts(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    trusts = {}
    for name, role in _resources(document, "aws_iam_role").items():
        policy = json.loads(role["assume_role_policy"])
        if any("Federated" in s.get("Principal", {}) for s in policy["Statement"]):
            trusts[name] = policy
    return trusts


@pytest.mark.parametrize("env", sorted(EXPECTED_APPLY))
def test_every_oidc_trust_names_one_repository_and_the_intended_ref(env: str, documents: dict[str, Any]) -> None:
    repository, apply_subject = EXPECTED_APPLY[env]
    trusts = _oidc_trusts(documents[env])
    assert set(trusts) == {"plan", "apply"}
    # the plan role: pull requests, and the drift watch on main (drift.yml runs on the default branch)
    expected = {
        "plan": [f"repo:{repository}:pull_request", f"repo:{repository}:ref:refs/heads/main"],
        "apply": apply_subject,
    }
    for role, policy in trusts.items():
        (statement,) = policy["Statement"]
        assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
        assert statement["Principal"] == {"Federated": "${aws_iam_openid_connect_provider.github.arn}"}
        assert set(statement["Condition"]) == {"StringEquals"}  # exact match: no StringLike wildcards
        condition = statement["Condition"]["StringEquals"]
        assert condition == {f"{ISSUER}:aud": "sts.amazonaws.com", f"{ISSUER}:sub": expected[role]}
        subjects = condition[f"{ISSUER}:sub"]
        for subject in subjects if isinstance(subjects, list) else [subjects]:
            assert isinstance(subject, str) and "*" not in subject and "?" not in subject
            assert subject.split(":")[1] == repository  # one repository, named exactly


def test_plan_role_reads_state_and_writes_only_the_lock(documents: dict[str, Any]) -> None:
    policies = _resources(documents["dev"], "aws_iam_role_policy")
    plan_state = json.loads(policies["plan_state"]["policy"])["Statement"]
    by_sid = {s["Sid"]: s for s in plan_state}
    key = "arn:aws:s3:::acme-api-terraform-state-dev/acme-api/dev/terraform.tfstate"
    assert by_sid["State"] == {"Sid": "State", "Effect": "Allow", "Action": "s3:GetObject", "Resource": key}
    assert by_sid["Lock"]["Resource"] == f"{key}.tflock"
    read = json.loads(policies["plan_read"]["policy"])["Statement"][0]["Action"]
    assert all(any(verb in a.split(":")[1] for verb in ("Describe", "Get", "List")) for a in read), read
    apply_state = json.loads(policies["apply_state"]["policy"])["Statement"]
    assert next(s for s in apply_state if s["Sid"] == "State")["Action"] == ["s3:GetObject", "s3:PutObject"]
    iam = json.loads(policies["apply_iam"]["policy"])["Statement"]
    assert next(s for s in iam if s["Sid"] == "StackRoles")["Resource"] == "arn:aws:iam::*:role/acme-api-dev-*"


@pytest.mark.parametrize("bad", ["acme/*", "*/*", "acme", "acme/api:ref:refs/heads/main", "acme/api/x"])
def test_oidc_repository_must_be_one_exact_repository(bad: str) -> None:
    with pytest.raises(InputError) as caught:
        OidcInputs(repository=bad)
    assert caught.value.field == "repository" and "no wildcards" in caught.value.message


def test_oidc_branch_and_environment_refuse_wildcards() -> None:
    with pytest.raises(InputError, match="branch"):
        OidcInputs(repository="a/b", branch="release/*")
    with pytest.raises(InputError, match="github_environment"):
        OidcInputs(repository="a/b", github_environment="prod*")
    assert (
        OidcInputs(repository="a/b", github_environment="production").apply_subject("prod")
        == "repo:a/b:environment:production"
    )


def test_task_image_comes_from_the_deploy_parameter(documents: dict[str, Any]) -> None:
    for env in ("dev", "prod", EXAMPLE):
        document = documents[env]
        parameter = _resources(document, "aws_ssm_parameter")["image_tag"]
        assert parameter["lifecycle"] == {"ignore_changes": ["insecure_value"]}
        container = json.loads(_resources(document, "aws_ecs_task_definition")["this"]["container_definitions"])[0]
        assert container["image"].endswith(":${aws_ssm_parameter.image_tag.insecure_value}")
    assert _resources(documents["prod"], "aws_ssm_parameter")["image_tag"]["insecure_value"] == "1.0.0"


def test_app_settings_come_from_parameter_store(documents: dict[str, Any]) -> None:
    document = documents["dev"]
    assert _resources(document, "aws_ssm_parameter")["app_log_level"]["name"] == "/acme-api/dev/app/LOG_LEVEL"
    container = json.loads(_resources(document, "aws_ecs_task_definition")["this"]["container_definitions"])[0]
    assert {"name": "LOG_LEVEL", "valueFrom": "${aws_ssm_parameter.app_log_level.arn}"} in container["secrets"]
    read = json.loads(_resources(document, "aws_iam_role_policy")["execution_parameters"]["policy"])["Statement"][0]
    assert read["Action"] == "ssm:GetParameters" and read["Resource"] == ["${aws_ssm_parameter.app_log_level.arn}"]


@pytest.mark.parametrize(
    ("expression", "words"),
    [
        ("cron(0 0 L-3 * ? *)", "no 'L-n'"),
        ("cron(0 0 1 * * *)", "? in exactly one"),
        ("cron(0 0 1 * ?)", "6 fields"),
        ("cron(60 0 1 * ? *)", "minutes"),
        ("cron(0 0 1 13 ? *)", "month"),
        ("cron(0 0 ? * 8 *)", "day-of-week"),
        ("0 0 1 * *", "must be cron(...)"),
        ("rate(1 minutes)", "must be cron(...)"),
    ],
)
def test_schedule_expressions_aws_would_refuse_are_refused(expression: str, words: str) -> None:
    assert words in (cron.problem(expression) or "")
    with pytest.raises(InputError) as caught:
        ScheduledWindow(name="peak", starts=(expression,), end="cron(0 0 1 * ? *)", min_capacity=2, max_capacity=4)
    assert caught.value.field == "schedules[peak].starts" and words in caught.value.message


@pytest.mark.parametrize(
    "expression",
    [
        "cron(0 0 1 * ? *)",
        "cron(30 8 ? * MON-FRI *)",
        "cron(0/15 * * * ? *)",
        "cron(0 0 L * ? *)",
        "cron(0 0 ? * 6#3 *)",
        "cron(0 9 15W JAN,JUL ? 2027)",
        "rate(5 minutes)",
        "at(2026-12-28T00:00:00)",
    ],
)
def test_schedule_expressions_aws_accepts_pass(expression: str) -> None:
    assert cron.problem(expression) is None


def test_month_end_window_opens_three_days_before_each_months_last_day() -> None:
    window = ScheduledWindow.month_end(min_capacity=4, max_capacity=12, timezone="Asia/Seoul")
    assert window.starts == ("cron(0 0 28 1,3,5,7,8,10,12 ? *)", "cron(0 0 27 4,6,9,11 ? *)", "cron(0 0 25 2 ? *)")
    assert window.end == "cron(0 0 1 * ? *)"
    months = sorted(int(m) for start in window.starts for m in start.split()[3].split(","))
    assert months == list(range(1, 13))  # every month exactly once


def test_scaling_inputs_validate() -> None:
    with pytest.raises(InputError, match="timezone"):
        ScheduledWindow(
            name="x",
            starts=("cron(0 0 1 * ? *)",),
            end="cron(0 0 2 * ? *)",
            min_capacity=1,
            max_capacity=2,
            timezone="Mars/Olympus",
        )
    with pytest.raises(InputError, match="max_capacity"):
        ScheduledWindow(
            name="x", starts=("cron(0 0 1 * ? *)",), end="cron(0 0 2 * ? *)", min_capacity=5, max_capacity=2
        )
    window = ScheduledWindow.month_end(min_capacity=2, max_capacity=3)
    with pytest.raises(InputError, match="repeat"):
        ScalingInputs(schedules=(window, window))
    with pytest.raises(InputError, match="memory_target"):
        ScalingInputs(memory_target=99)


def test_scheduled_scaling_owns_the_capacity_bounds(documents: dict[str, Any]) -> None:
    document = documents["prod"]
    actions = _resources(document, "aws_appautoscaling_scheduled_action")
    assert sorted(actions) == ["month_end_end", "month_end_start_1", "month_end_start_2", "month_end_start_3"]
    assert actions["month_end_start_1"]["scalable_target_action"] == {"max_capacity": "12", "min_capacity": "4"}
    assert actions["month_end_end"]["scalable_target_action"] == {"max_capacity": "6", "min_capacity": "2"}
    assert {a["timezone"] for a in actions.values()} == {"Asia/Seoul"}
    target = _resources(document, "aws_appautoscaling_target")["service"]
    assert target["lifecycle"] == {"ignore_changes": ["min_capacity", "max_capacity"]}
    assert "service_memory" in _resources(document, "aws_appautoscaling_policy")


def test_aurora_example_wires_cluster_proxy_alarms_and_blue_green(documents: dict[str, Any]) -> None:
    document = documents[EXAMPLE]
    instances = _resources(document, "aws_rds_cluster_instance")
    assert sorted(instances) == ["reader_1", "reader_2", "writer"]
    assert sorted(i["availability_zone"] for i in instances.values()) == [
        "ap-northeast-2a",
        "ap-northeast-2b",
        "ap-northeast-2c",
    ]
    cluster = _resources(document, "aws_rds_cluster")["this"]
    assert cluster["storage_encrypted"] is True and cluster["manage_master_user_password"] is True
    assert "aws_db_instance" not in document["resource"]
    container = json.loads(_resources(document, "aws_ecs_task_definition")["this"]["container_definitions"])[0]
    assert {"name": "DB_HOST", "value": "${aws_db_proxy.this.endpoint}"} in container["environment"]
    alarms = _resources(document, "aws_cloudwatch_metric_alarm")
    assert len(alarms) == 3 * 3 + 2  # cpu, connections, local storage per instance; lag per reader
    assert alarms["writer_connections"]["threshold"] == 1802 * 90 // 100  # 90% of db.r7g.large's default
    assert alarms["writer_cpu"]["alarm_actions"] == ["arn:aws:sns:ap-northeast-2:123456789012:meow-api-alarms"]
    service = _resources(document, "aws_ecs_service")["this"]
    assert service["deployment_controller"] == {"type": "CODE_DEPLOY"}
    assert "deployment_circuit_breaker" not in service
    assert service["lifecycle"]["ignore_changes"] == ["desired_count", "task_definition", "load_balancer"]
    group = _resources(document, "aws_codedeploy_deployment_group")["this"]
    pair = group["load_balancer_info"]["target_group_pair_info"]
    assert [tg["name"] for tg in pair["target_group"]] == [
        "${aws_lb_target_group.this.name}",
        "${aws_lb_target_group.green.name}",
    ]
    assert _resources(document, "aws_lb_listener")["test"]["port"] == 8080
    ingress = _resources(document, "aws_vpc_security_group_ingress_rule")
    assert ingress["proxy_from_service"]["referenced_security_group_id"] == "${aws_security_group.service.id}"
    assert "database_from_service" not in ingress  # only the proxy reaches the database
    assert set(document["output"]) >= {
        "codedeploy_app_name",
        "codedeploy_deployment_group_name",
        "ecs_task_definition_arn",
        "db_proxy_endpoint",
        "db_reader_address",
    }


def test_aurora_and_friends_validate_inputs() -> None:
    with pytest.raises(InputError, match="engine_version"):
        AuroraInputs(engine_version="16")
    with pytest.raises(InputError, match="readers"):
        AuroraInputs(readers=16)
    with pytest.raises(InputError, match="unknown memory"):
        default_max_connections("db.x2g.16xlarge")
    with pytest.raises(InputError, match="topic_arn"):
        AuroraAlarmInputs(topic_arn="alarms")
    with pytest.raises(InputError, match="test_listener_port"):
        BlueGreenInputs(test_listener_port=443)
    with pytest.raises(InputError, match="values"):
        ParamsInputs(values={"bad-name": "x"})
    assert default_max_connections("db.r7g.large") == 1802 and default_max_connections("db.r6g.4xlarge") == 5000


def test_appspec_names_the_task_definition_and_the_container() -> None:
    spec = json.loads(appspec("arn:aws:ecs:r:1:task-definition/x:7", 8000))
    properties = spec["Resources"][0]["TargetService"]["Properties"]
    assert properties == {
        "TaskDefinition": "arn:aws:ecs:r:1:task-definition/x:7",
        "LoadBalancerInfo": {"ContainerName": "app", "ContainerPort": 8000},
    }


def test_deploy_refuses_a_bad_tag_in_one_line(project: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(project / "main.py"),
            "deploy",
            "dev",
            "--image-tag",
            "bad tag!",
            "--local",
            "--auto-approve",
        ],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 64
    assert result.stderr.strip().splitlines() == [
        "error: --image-tag 'bad tag!' is not an image tag (letters, digits, _ . -; max 128)"
    ]
    assert not (project / ".hclgen" / "local").exists()  # refused before the local AWS started
