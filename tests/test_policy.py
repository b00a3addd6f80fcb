"""Policy findings: checkov's JSON -> the findings a change introduces or fixes, baseline respected.

The end-to-end test runs the real checkov from its own virtualenv (.hclgen/tools/checkov, created
on first use; never the project's): skipped with the reason when it cannot be installed, except
under CI=true, where it must run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.review.policy.findings import (
    Finding,
    PolicyReport,
    compare,
    from_json,
    parse_baseline,
    parse_findings,
    to_json,
)

FIXTURES = Path(__file__).parent / "fixtures" / "plans"


def checkov_report(*failed: tuple[str, str, str]) -> dict[str, Any]:
    """A report shaped like `checkov -o json` (one framework)."""
    return {
        "check_type": "terraform",
        "summary": {"failed": len(failed)},
        "results": {
            "failed_checks": [
                {
                    "check_id": check,
                    "check_name": f"name of {check}",
                    "resource": resource,
                    "file_path": f"/{file}",
                    "file_line_range": [3, 9],
                    "guideline": None,
                }
                for check, resource, file in failed
            ]
        },
    }


def test_parse_and_compare_match_by_check_and_resource_not_line() -> None:
    before = parse_findings(
        checkov_report(("CKV_AWS_1", "aws_lb.this", "alb.tf"), ("CKV_AWS_2", "aws_vpc.this", "vpc.tf")), "dev"
    )
    after = parse_findings(
        [checkov_report(("CKV_AWS_2", "aws_vpc.this", "vpc.tf"), ("CKV_AWS_3", "aws_db_instance.this", "rds.tf"))],
        "dev",
    )
    result = compare("dev", "origin/main", before, after, set())
    assert [f.key for f in result.introduced] == [("CKV_AWS_3", "aws_db_instance.this")]
    assert [f.key for f in result.fixed] == [("CKV_AWS_1", "aws_lb.this")]
    assert (result.unchanged, result.baselined) == (1, 0)
    assert result.introduced[0] == Finding("CKV_AWS_3", "name of CKV_AWS_3", "aws_db_instance.this", "rds.tf", 3)
    assert from_json(json.loads(to_json(result))) == result
    assert parse_findings({"passed": 3, "failed": 0}, "dev") == []  # checkov's shape with nothing to report


def test_baseline_hides_its_findings_on_both_sides_whatever_root_it_was_made_from() -> None:
    env_level = {
        "failed_checks": [
            {"file": "/rds.tf", "findings": [{"resource": "aws_db_instance.this", "check_ids": ["CKV_AWS_3"]}]}
        ]
    }
    root_level = {
        "failed_checks": [
            {"file": "/environments/dev/alb.tf", "findings": [{"resource": "aws_lb.this", "check_ids": ["CKV_AWS_1"]}]}
        ]
    }
    baseline = parse_baseline(env_level, "dev") | parse_baseline(root_level, "dev")
    assert baseline == {("rds.tf", "aws_db_instance.this", "CKV_AWS_3"), ("alb.tf", "aws_lb.this", "CKV_AWS_1")}
    before = parse_findings(checkov_report(("CKV_AWS_1", "aws_lb.this", "alb.tf")), "dev")
    after = parse_findings(checkov_report(("CKV_AWS_3", "aws_db_instance.this", "rds.tf")), "dev")
    result = compare("dev", "main", before, after, baseline)
    assert result.introduced == () and result.fixed == () and result.baselined == 1


def test_without_checkov_policy_says_how_to_enable_it_and_so_does_the_comment(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HCLGEN_CHECKOV", str(tmp_path / "no-checkov-here"))
    result = CliRunner().invoke(cli, ["policy", "dev", "--base", "HEAD"])
    assert result.exit_code == 64 and "checkov is not installed here" in result.output
    assert "python main.py policy --install" in result.output
    plan = plan_folder(tmp_path, "env-dev", "dev")
    comment = CliRunner().invoke(cli, ["comment", str(plan)], env={"GITHUB_STEP_SUMMARY": ""})
    assert comment.exit_code == 0, comment.output
    assert "### 🛡️ Policy checks (checkov)" in comment.output
    assert "> checkov is not installed here, so no policy findings are shown. To enable:" in comment.output


def plan_folder(tmp_path: Path, fixture: str, env: str) -> Path:
    folder = tmp_path / "plans" / env
    folder.mkdir(parents=True)
    shutil.copyfile(FIXTURES / fixture / "plan.json", folder / "plan.json")
    (folder / "meta.json").write_text(json.dumps({"env": env}))
    return folder


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(root), *args],
        check=True,
        capture_output=True,
        env={
            **os.environ,
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.com",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.com",
        },
    )


def test_a_config_change_that_weakens_prod_shows_its_new_finding_in_the_comment(
    project: Path, tmp_path: Path, checkov: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HCLGEN_CHECKOV", raising=False)
    monkeypatch.setenv("HCLGEN_CHECKOV", str(checkov))
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "base")
    config = project / "environments" / "prod" / "config.py"
    weakened = config.read_text().replace(
        "multi_az=True,\n            deletion_protection=True,",
        "multi_az=True,\n            deletion_protection=False,",
    )
    assert weakened != config.read_text()
    config.write_text(weakened)
    synth = CliRunner().invoke(cli, ["synth", "prod"])
    assert synth.exit_code == 0, synth.output
    assert re.search(r"deletion_protection +=\s+false", (project / "environments" / "prod" / "rds.tf").read_text())

    result = CliRunner().invoke(cli, ["policy", "prod", "--base", "main"])
    assert result.exit_code == 0, result.output
    assert (
        "prod: 1 introduced, 0 fixed since main" in result.output
        and "+ CKV_AWS_293 aws_db_instance.this" in result.output
    )
    saved = from_json(json.loads((project / ".hclgen" / "policy" / "prod.json").read_text()))
    assert [f.key for f in saved.introduced] == [("CKV_AWS_293", "aws_db_instance.this")] and saved.unchanged > 5

    comment = CliRunner().invoke(
        cli, ["comment", str(plan_folder(tmp_path, "env-prod", "prod"))], env={"GITHUB_STEP_SUMMARY": ""}
    )
    assert comment.exit_code == 0, comment.output
    assert "- `prod`: **1 introduced**, 0 fixed compared with `main`" in comment.output
    assert (
        "  - 🆕 `CKV_AWS_293` Ensure that AWS database instances have deletion protection enabled · "
        "`aws_db_instance.this` (`rds.tf:" in comment.output
    )

    # Accepted into the committed baseline (checkov's own format): no longer reported as new.
    (project / "environments" / "prod" / ".checkov.baseline").write_text(
        json.dumps(
            {
                "failed_checks": [
                    {
                        "file": "/rds.tf",
                        "findings": [{"resource": "aws_db_instance.this", "check_ids": ["CKV_AWS_293"]}],
                    }
                ]
            }
        )
    )
    again = CliRunner().invoke(cli, ["policy", "prod", "--base", "main"])
    assert again.exit_code == 0, again.output
    assert "prod: 0 introduced, 0 fixed since main" in again.output and "1 in the baseline" in again.output


def test_policy_report_counts() -> None:
    report = PolicyReport(
        envs=(compare("dev", "m", [], parse_findings(checkov_report(("A", "r", "f.tf")), "dev"), set()),)
    )
    assert (report.introduced, report.fixed) == (1, 0)
