"""Table of bad configs and CLI misuses: each is one line, non-zero, named, and writes nothing.

Each case runs the real CLI in a subprocess on a git-committed project copy, so a traceback,
a sys.exit() in a config or a stray write cannot hide behind an in-process runner."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from scripts.projectcopy import copy_project

DEV = "environments/dev/config.py"


@dataclass(frozen=True)
class Case:
    id: str
    args: tuple[str, ...]
    expect: str  # the field, file:line or flag the message must name
    edit: tuple[str, str] | None = None  # (old, new) replaced in the dev config
    body: str | None = None  # the whole dev config


def _swap(old: str, new: str) -> tuple[str, str]:
    return (old, new)


IMPORTS = (
    "from generator.environment import Environment\nfrom modules.ecs import EcsInputs, SecretRef\n"
    "from modules.iam import IamInputs\nfrom modules.stack import StackInputs\n"
)


def _stack(inner: str) -> str:
    return (
        IMPORTS + "ENVIRONMENT = Environment(name='dev', project='acme-api', region='ap-northeast-2',\n"
        f"    state_bucket='acme-api-terraform-state-dev', stack=StackInputs({inner}))\n"
    )


SYNTH = ("synth",)
CHECK = ("synth", "--check", "--no-cache")
CASES = [
    # a config that raises or exits: file:line
    Case("sys-exit-0", CHECK, "config.py:2:", body="import sys\nsys.exit(0)\n"),
    Case("sys-exit-0-synth", SYNTH, "config.py:2:", body="import sys\nsys.exit(0)\n"),
    Case("sys-exit-str", CHECK, "config.py:1:", body="raise SystemExit('bye')\n"),
    Case("name-error", SYNTH, "config.py:3: NameError", body="x = 1\n\ny = undefined_name\n"),
    Case("import-error", CHECK, "config.py:1: ModuleNotFoundError", body="import modules.nothere\n"),
    Case("syntax-error", CHECK, "config.py:2: SyntaxError", body="x = 1\ndef (:\n"),
    Case("runtime-error", SYNTH, "config.py:1: RuntimeError: boom", body="raise RuntimeError('boom')\n"),
    Case("zero-division", CHECK, "config.py:1: ZeroDivisionError", body="x = 1 / 0\n"),
    Case("keyboard-free-base", CHECK, "must define ENVIRONMENT", body="X = 1\n"),
    Case("wrong-object", CHECK, "must define ENVIRONMENT", body="ENVIRONMENT = {'name': 'dev'}\n"),
    Case("unknown-kwarg", SYNTH, "config.py:", edit=_swap("az_count=3,", "az_count=3, zones=3,")),
    # wrong types, named by dotted field
    Case(
        "bool-given-yes",
        SYNTH,
        "ecs.container_insights",
        edit=_swap("log_retention_days=14,", "log_retention_days=14, container_insights='yes',"),
    ),
    Case("tag-value-int", SYNTH, "tags.Owner", edit=_swap('"Owner": "platform-team"', '"Owner": 5')),
    Case(
        "module-tag-int",
        SYNTH,
        "rds.tags.Team",
        edit=_swap("backup_retention_days=1", "backup_retention_days=1, tags={'Team': 7}"),
    ),
    Case(
        "module-none",
        SYNTH,
        "vpc: None",
        edit=_swap('vpc=VpcInputs(cidr="10.0.0.0/18", az_count=3, nat="single")', "vpc=None"),
    ),
    Case("stack-module-none", SYNTH, "ecs: None", body=_stack("ecs=None")),
    Case("env-var-int", SYNTH, "ecs.environment.PORT", edit=_swap('{"APP_ENV": "dev"}', '{"PORT": 8000}')),
    Case("cpu-string", SYNTH, "ecs.cpu", edit=_swap("cpu=256", "cpu='256'")),
    Case("cpu-bool", SYNTH, "ecs.cpu", edit=_swap("cpu=256", "cpu=True")),
    Case("multi-az-int", SYNTH, "rds.multi_az", edit=_swap("multi_az=False", "multi_az=0")),
    Case("azs-list", SYNTH, "vpc.azs", edit=_swap("az_count=3,", "azs=['ap-northeast-2a'],")),
    Case("nat-literal", SYNTH, "vpc.nat", edit=_swap('nat="single"', 'nat="double"')),
    Case(
        "secret-wrong-type", SYNTH, "ecs.secrets.TOKEN_REF", body=_stack("ecs=EcsInputs(secrets={'TOKEN_REF': 'arn'})")
    ),
    Case("statements-not-tuple", SYNTH, "iam.task_statements", body=_stack("iam=IamInputs(task_statements={})")),
    Case("moves-int", SYNTH, "moves", edit=_swap("tags={", "moves={'aws_s3_bucket.a': 1}, tags={")),
    Case("project-int", SYNTH, "project", edit=_swap('project="acme-api"', "project=7")),
    # accepted nonsense
    Case("fake-region", SYNTH, "region: 'xx-fake-1'", edit=_swap('region="ap-northeast-2"', 'region="xx-fake-1"')),
    Case("fake-instance-class", SYNTH, "rds.instance_class", edit=_swap('"db.t4g.micro"', '"db.fake.huge"')),
    Case("tag-300-chars", SYNTH, "tags.Owner", edit=_swap('"platform-team"', '"' + "x" * 300 + '"')),
    Case("tag-key-long", SYNTH, "tags", edit=_swap('"Owner"', '"' + "k" * 200 + '"')),
    # misleading vpc messages
    Case("cidr-int", SYNTH, "vpc.cidr", edit=_swap('cidr="10.0.0.0/18"', "cidr=10")),
    Case("cidr-28", SYNTH, "vpc.cidr", edit=_swap('cidr="10.0.0.0/18"', 'cidr="10.0.0.0/28"')),
    Case("cidr-24", SYNTH, "vpc.cidr", edit=_swap('cidr="10.0.0.0/18"', 'cidr="10.0.0.0/24"')),
    # secrets and wildcards
    Case(
        "plain-password",
        SYNTH,
        "ecs.environment.DB_PASSWORD",
        edit=_swap('{"APP_ENV": "dev"}', '{"DB_PASSWORD": "hunter2"}'),
    ),
    Case(
        "plain-api-key",
        SYNTH,
        "ecs.environment.STRIPE_API_KEY",
        edit=_swap('{"APP_ENV": "dev"}', '{"STRIPE_API_KEY": "sk"}'),
    ),
    Case(
        "plain-token", SYNTH, "ecs.environment.github_token", edit=_swap('{"APP_ENV": "dev"}', '{"github_token": "x"}')
    ),
    Case(
        "iam-action-star",
        SYNTH,
        "iam.task_statements[0].Action",
        body=_stack(
            "iam=IamInputs(task_statements=({'Effect': 'Allow', 'Action': '*', 'Resource': 'arn:aws:s3:::b'},))"
        ),
    ),
    Case(
        "iam-resource-star",
        SYNTH,
        "iam.task_statements[0].Resource",
        body=_stack(
            "iam=IamInputs(task_statements=({'Effect': 'Allow', 'Action': 's3:GetObject', 'Resource': ['*']},))"
        ),
    ),
    Case(
        "iam-service-star",
        SYNTH,
        "iam.task_statements[0].Action",
        body=_stack(
            "iam=IamInputs(task_statements=({'Effect': 'Allow', 'Action': ['s3:*'], 'Resource': 'arn:aws:s3:::b'},))"
        ),
    ),
    # CLI misuses
    Case("unknown-env", ("synth", "no-such-env"), "unknown environment 'no-such-env'"),
    Case("plan-unknown-env", ("plan", "no-such-env"), "unknown environment 'no-such-env'"),
    Case("apply-no-terminal", ("apply", "dev"), "--auto-approve"),
    Case("destroy-no-terminal", ("destroy", "dev"), "--auto-approve"),
    Case("unknown-command", ("deploy", "dev"), "deploy"),
    Case("unknown-flag", ("plan", "dev", "--force"), "--force"),
    Case("jobs-zero", ("plan", "dev", "--jobs", "0"), "--jobs"),
    Case("apply-missing-env", ("apply",), "ENV"),
    Case("moved-dry-run-alone", ("moved", "dev", "--dry-run"), "--prune"),
]


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("bad") / "project")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "-c", "user.email=t@t", "-c", "user.name=t", "add", "-A")
    _git(root, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "base")
    return root


def _state(root: Path) -> tuple[str, dict[str, str]]:
    files = {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file() and ".git" not in p.parts and "__pycache__" not in p.parts and ".hclgen" not in p.parts
    }
    return _git(root, "status", "--porcelain"), files


def test_the_table_is_big_enough() -> None:
    assert len(CASES) >= 40
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input_is_one_named_line_and_writes_nothing(repo: Path, case: Case) -> None:
    _git(repo, "checkout", "-q", "--", ".")
    config = repo / DEV
    if case.body is not None:
        config.write_text(case.body)
    elif case.edit is not None:
        old, new = case.edit
        text = config.read_text()
        assert old in text, f"the case's edit no longer applies: {old!r}"
        config.write_text(text.replace(old, new, 1))
    before = _state(repo)
    env = {**os.environ, "HCLGEN_ROOT": str(repo), "CI": "", "NO_COLOR": "1"}
    env.pop("HCLGEN_UPDATE_GOLDENS", None)
    done = subprocess.run(
        [sys.executable, "main.py", *case.args],
        cwd=repo,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode != 0, f"exit 0 for {case.id}: {done.stdout[-500:]}"
    assert "Traceback" not in done.stderr + done.stdout
    assert 1 <= len(lines) <= 2, done.stderr
    assert case.expect in done.stderr, done.stderr
    assert _state(repo) == before, "a bad input must not write anything"


def test_main_py_without_the_dependencies_prints_one_line_with_the_fix(repo: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-S", "main.py", "envs"],
        cwd=repo,
        capture_output=True,
        text=True,
        env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": ""},
    )  # -S: no site-packages
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "No module named" in done.stderr and ".venv/bin/python main.py" in done.stderr
