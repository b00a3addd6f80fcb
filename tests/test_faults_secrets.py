"""Issue 21 item 13: plain values that look like secrets never reach the committed HCL.

Unit cases for the name and value tests (generator/secrets.py), and the real CLI on a project copy:
a DATABASE_URL with a password in ecs environment stops synth with one line, and ecs.tf is untouched.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator import secrets
from generator.errors import InputError
from modules.ecs import EcsInputs
from modules.params import ParamsInputs

SECRET_NAMES = [
    "DB_PASSWORD",
    "DB_PASS",
    "PASS",
    "SMTP_PASSWD",
    "APP_SECRET",
    "GITHUB_TOKEN",
    "STRIPE_KEY",
    "AWS_SK",
    "SENTRY_DSN",
    "DSN",
    "API_KEY",
    "APIKEY",
    "PRIVATE_KEY",
    "AWS_ACCESS_KEY",
    "GCP_CREDENTIALS",
    "db_password",
]
PLAIN_NAMES = ["APP_ENV", "LOG_LEVEL", "PASSTHROUGH_MODE", "KEYBOARD_LAYOUT", "COMPASS_URL", "PORT", "BUCKET"]
SECRET_VALUES = {
    "postgres://app:hunter2@db.internal:5432/app": "URL with a password",
    "https://user:p%40ss@example.com/": "URL with a password",
    "sk_live_51HxYzAbCdEfGhIjKl": "Stripe",
    "AKIAIOSFODNN7EXAMPLE": "AWS access key",
    "ghp_0123456789abcdefghijABCDEFGHIJ012345": "GitHub token",
    "xoxb-123456789012-abcdefABCDEF": "Slack token",
    "-----BEGIN RSA PRIVATE KEY-----\nMIIE...": "private key",
}
PLAIN_VALUES = [
    "dev",
    "https://api.example.com/v1",
    "postgres://db.internal:5432/app",
    "platform@acme.example.com",
    "arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:db-AbCdEf",
    "AKIA",
    "sk_live",
]
ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("name", SECRET_NAMES)
def test_secret_names_are_refused_in_ecs_environment(name: str) -> None:
    with pytest.raises(InputError, match=rf"environment\.{name}: looks like a secret .*not_secret="):
        EcsInputs(environment={name: "x"})


@pytest.mark.parametrize("name", PLAIN_NAMES)
def test_plain_names_pass(name: str) -> None:
    assert EcsInputs(environment={name: "x"}).environment == {name: "x"}


@pytest.mark.parametrize("value", sorted(SECRET_VALUES))
def test_secret_values_are_refused_whatever_the_name(value: str) -> None:
    with pytest.raises(InputError, match="looks like a secret"):
        EcsInputs(environment={"DATABASE_URL": value})
    with pytest.raises(InputError, match="looks like a secret"):
        ParamsInputs(values={"SETTING": value})
    assert secrets.secret_value(value) is not None


@pytest.mark.parametrize("value", PLAIN_VALUES)
def test_plain_values_pass(value: str) -> None:
    assert secrets.secret_value(value) is None
    assert ParamsInputs(values={"SETTING": value}).values == {"SETTING": value}


def test_opt_out_is_per_key_and_explicit() -> None:
    inputs = EcsInputs(environment={"SORT_KEY": "name", "APP_ENV": "dev"}, not_secret=("SORT_KEY",))
    assert inputs.environment["SORT_KEY"] == "name"
    with pytest.raises(InputError, match="OTHER_KEY"):  # the opt-out names one key, not all
        EcsInputs(environment={"SORT_KEY": "name", "OTHER_KEY": "x"}, not_secret=("SORT_KEY",))
    assert ParamsInputs(values={"CACHE_KEY": "v1"}, not_secret=("CACHE_KEY",)).values == {"CACHE_KEY": "v1"}


def test_tags_and_any_string_are_checked_by_value() -> None:
    with pytest.raises(InputError, match=r"tags\.Build: looks like a secret"):
        secrets.check_strings({"Build": "ghp_0123456789abcdefghijABCDEFGHIJ012345"}, (), "tags")
    secrets.check_strings({"Build": "ghp_0123456789abcdefghijABCDEFGHIJ012345"}, ("tags.Build",), "tags")


def _synth(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HCLGEN_ROOT": str(project)}
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "synth", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize(
    ("old", "new", "named"),
    [
        (
            'environment={"APP_ENV": "dev"}',
            'environment={"APP_ENV": "dev", "DATABASE_URL": "postgres://app:pw@db/app"}',
            "ecs.environment.DATABASE_URL",
        ),
        (
            'values={"LOG_LEVEL": "debug"}',
            'values={"LOG_LEVEL": "debug", "STRIPE": "sk_live_51HxYzAbCdEfGhIjKl"}',
            "params.values.STRIPE",
        ),
        (
            'tags={"Owner": "platform-team"',
            'tags={"Token": "xoxb-123456789012-abcdefABCDEF", "Owner": "platform-team"',
            "tags.Token",
        ),
    ],
)
def test_synth_refuses_and_writes_nothing(project: Path, old: str, new: str, named: str) -> None:
    config = project / "environments" / "dev" / "config.py"
    config.write_text(config.read_text().replace(old, new))
    assert new in config.read_text()
    before = {p.name: p.read_bytes() for p in (project / "environments" / "dev").glob("*.tf")}
    done = _synth(project, "dev")
    assert done.returncode == 64, done.stderr
    assert "Traceback" not in done.stderr and named in done.stderr and "not_secret" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert {p.name: p.read_bytes() for p in (project / "environments" / "dev").glob("*.tf")} == before
    assert b"pw@" not in (project / "environments" / "dev" / "ecs.tf").read_bytes()
