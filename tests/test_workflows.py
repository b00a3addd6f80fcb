"""The GitHub Actions workflows: actionlint passes, and triggers/permissions/concurrency are as meant."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.review.reports import applysummary
from scripts.projectcopy import env_names
from tests.support.actionlint import actionlint

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"


def workflow(name: str) -> dict[str, Any]:
    doc: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text())
    doc["on"] = doc.pop(True, doc.get("on"))  # YAML 1.1 reads the bare key `on` as true
    return doc


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job["steps"])


def runs(job: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in steps(job))


def uses(job: dict[str, Any], action: str) -> dict[str, Any]:
    matches = [step for step in steps(job) if step.get("uses", "").startswith(action + "@")]
    assert len(matches) == 1, f"{action} used {len(matches)} times"
    return matches[0]


def test_actionlint_passes_on_every_workflow(tmp_path: Path) -> None:
    files = sorted(str(p) for p in WORKFLOWS.glob("*.y*ml"))
    assert len(files) >= 2
    command, env = actionlint(tmp_path)
    result = subprocess.run([*command, *files], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_plan_workflow() -> None:
    doc = workflow("plan.yml")
    assert set(doc["on"]) == {"pull_request"}
    assert doc["permissions"] == {"contents": "read", "pull-requests": "write", "id-token": "write"}
    assert doc["concurrency"]["cancel-in-progress"] is True  # a newer push supersedes the plan
    assert "github.event.pull_request.number" in doc["concurrency"]["group"]
    jobs = doc["jobs"]
    assert all("permissions" not in job for job in jobs.values())
    check = jobs["check"]
    assert uses(check, "actions/checkout")["with"]["fetch-depth"] == 0
    script = runs(check)
    order = [
        "make venv",
        "python main.py synth --check",
        "terraform fmt -check -recursive environments",
        "-lockfile=readonly",
        "validate",
        'python main.py affected --base "origin/$BASE_REF" --github-output',
        "python main.py ci-record --job check",
    ]
    positions = [script.index(part) for part in order]
    assert positions == sorted(positions)
    assert check["outputs"] == {
        "envs": "${{ steps.affected.outputs.envs }}",
        "matrix": "${{ steps.affected.outputs.matrix }}",
    }


def test_each_env_plans_on_its_own_runner_with_its_own_read_only_role() -> None:
    jobs = workflow("plan.yml")["jobs"]
    plan = jobs["plan"]
    assert plan["needs"] == "check" and plan["strategy"]["matrix"] == "${{ fromJSON(needs.check.outputs.matrix) }}"
    assert plan["strategy"]["fail-fast"] is False  # one env's failure must not hide the others' plans
    assert uses(plan, "hashicorp/setup-terraform")["with"]["terraform_version"] == "1.11.x"
    role = uses(plan, "aws-actions/configure-aws-credentials")["with"]["role-to-assume"]
    assert "fromJSON(vars.AWS_PLAN_ROLE_ARNS || '{}')[matrix.env]" in role
    script = runs(plan)
    order = [
        'python main.py plan "$ENV_NAME"',
        'python main.py policy "$ENV_NAME" --install --base "origin/$BASE_REF"',
        'python main.py artifact "$ENV_NAME" "$@"',
        'python main.py ci-record --job plan --env "$ENV_NAME"',
    ]
    positions = [script.index(part) for part in order]
    assert positions == sorted(positions)
    assert uses(plan, "actions/checkout")["with"]["fetch-depth"] == 0  # the base branch, for policy
    artifact = next(s for s in steps(plan) if "main.py artifact" in s.get("run", ""))
    assert artifact["env"]["UPLOAD_TFPLAN"] == "${{ vars.HCLGEN_UPLOAD_TFPLAN }}"  # the raw .tfplan: opt-in
    assert 'if [ "$UPLOAD_TFPLAN" = true ]; then set -- --include-tfplan; fi' in artifact["run"]
    uploads = {s["with"]["path"]: s for s in steps(plan) if s.get("uses", "").startswith("actions/upload-artifact@")}
    assert set(uploads) == {".hclgen/artifacts/", ".hclgen/policy/", ".hclgen/status/"}
    assert all(step["if"] == "always()" for step in uploads.values())  # a failed plan is uploaded as failed
    assert ".hclgen/plans" not in yaml.safe_dump(plan)  # never the raw plan folder


def test_one_comment_always_collects_every_plan_and_every_step_record() -> None:
    comment_job = workflow("plan.yml")["jobs"]["comment"]
    assert comment_job["needs"] == ["check", "plan"]
    assert comment_job["if"] == "always()"  # also when the checks or some plans failed
    downloads = {
        s["with"]["path"]: s["with"]
        for s in steps(comment_job)
        if s.get("uses", "").startswith("actions/download-artifact@")
    }
    assert set(downloads) == {".hclgen/artifacts", ".hclgen/policy", ".hclgen/status"}
    assert all(
        d["merge-multiple"] is True and "attempt${{ github.run_attempt }}" in d["pattern"] for d in downloads.values()
    )
    post = next(s for s in steps(comment_job) if "--post" in s.get("run", ""))
    assert "python main.py comment .hclgen/artifacts/*/ --status-dir .hclgen/status --post" in post["run"]
    assert post["env"]["GITHUB_TOKEN"] == "${{ github.token }}"


def test_every_rendering_job_restores_the_render_cache_before_rendering() -> None:
    key = "hashFiles('environments/**', 'modules/**', 'generator/**', 'templates/**', 'pyproject.toml')"
    for name in ("plan.yml", "apply.yml", "drift.yml", "deploy.yml"):
        for job_id, job in workflow(name)["jobs"].items():
            script = runs(job)
            if "python main.py" not in script or job_id in ("comment", "summary"):
                continue
            cache = uses(job, "actions/cache")
            assert cache["with"]["path"].split() == [".hclgen/cache", ".hclgen/sources"]
            assert key in cache["with"]["key"], (name, job_id)
            first_run = next(i for i, s in enumerate(steps(job)) if "python main.py" in s.get("run", ""))
            assert steps(job).index(cache) < first_run, (name, job_id)


def test_every_job_records_its_steps_last() -> None:
    for name in ("plan.yml", "apply.yml", "drift.yml"):
        for job_id, job in workflow(name)["jobs"].items():
            if job_id in ("comment", "summary"):
                continue
            records = [s for s in steps(job) if "main.py ci-record" in s.get("run", "")]
            assert len(records) == 1, (name, job_id)
            record = records[0]
            assert record["if"] == "always()" and record["env"]["HCLGEN_STEPS_JSON"] == "${{ toJSON(steps) }}"
            after = steps(job)[steps(job).index(record) + 1 :]
            assert all(s.get("uses", "").startswith("actions/upload-artifact@") for s in after), (name, job_id)
            named = [s for s in steps(job) if "run" in s and s is not record and "make venv" not in s["run"]]
            assert all("id" in s for s in named), (name, job_id)  # the record names steps by id


def test_deploy_workflow_rolls_the_image_through_the_deploy_command() -> None:
    doc = workflow("deploy.yml")
    assert doc["on"]["repository_dispatch"] == {"types": ["deploy"]}
    inputs = doc["on"]["workflow_dispatch"]["inputs"]
    assert inputs["environment"]["options"] == env_names() and inputs["image_tag"]["required"] is True
    assert doc["permissions"] == {"contents": "read", "id-token": "write"}
    job = doc["jobs"]["deploy"]
    chosen = "inputs.environment || github.event.client_payload.environment"
    assert job["environment"] == "${{ " + chosen + " }}"
    # The apply jobs' group: a deploy never runs beside an apply of the same env.
    assert job["concurrency"] == {"group": "apply-${{ " + chosen + " }}", "cancel-in-progress": False}
    assert (
        uses(job, "aws-actions/configure-aws-credentials")["with"]["role-to-assume"] == "${{ vars.AWS_APPLY_ROLE_ARN }}"
    )
    step = next(s for s in steps(job) if "main.py deploy" in s.get("run", ""))
    assert step["run"] == 'python main.py deploy "$ENV_NAME" --image-tag "$IMAGE_TAG" --auto-approve'
    assert "client_payload.image_tag" in step["env"]["IMAGE_TAG"]  # via env, never spliced into the script


def test_apply_workflow_triggers_and_permissions() -> None:
    doc = workflow("apply.yml")
    assert doc["on"]["push"] == {"branches": ["main"]}
    inputs = doc["on"]["workflow_dispatch"]["inputs"]
    choice = inputs["environment"]
    assert choice["type"] == "choice" and choice["options"] == env_names() and choice["required"] is True
    assert inputs["reapproved"] == {
        "description": inputs["reapproved"]["description"],
        "required": False,
        "type": "boolean",
        "default": False,
    }
    # pull requests: find the reviewed plan, comment a failure; issues: one per failing env
    assert doc["permissions"] == {"contents": "read", "id-token": "write", "pull-requests": "write", "issues": "write"}
    assert doc["env"]["HCLGEN_PROTECTED_ENVS"] == "${{ vars.HCLGEN_PROTECTED_ENVS || 'prod' }}"
    assert "concurrency" not in doc  # per env, on the apply jobs
    check = runs(doc["jobs"]["check"])
    for part in (
        "python main.py synth --check",
        "terraform fmt -check -recursive environments",
        "validate",
        "python main.py affected",
    ):
        assert part in check


@pytest.mark.parametrize("env", env_names())
def test_apply_jobs_never_cancel_and_apply_the_reviewed_plan(env: str) -> None:
    job = workflow("apply.yml")["jobs"][f"apply-{env}"]
    assert job["concurrency"] == {"group": f"apply-{env}", "cancel-in-progress": False}
    assert job["environment"] == env
    assert f"contains(fromJSON(needs.check.outputs.envs || '[]'), '{env}')" in job["if"]
    apply = next(s for s in steps(job) if s.get("id") == "apply")
    assert apply["env"]["ENV_NAME"] == env and apply["env"]["REAPPROVED"] == "${{ inputs.reapproved }}"
    assert 'python main.py apply "$ENV_NAME" --auto-approve --verify-reviewed "$@"' in apply["run"]
    assert 'if [ "$REAPPROVED" = true ]; then set -- --reapproved; fi' in apply["run"]
    report = next(s for s in steps(job) if s.get("id") == "report")
    assert report["if"] == "always()" and report["env"]["OUTCOME"] == "${{ job.status }}"
    assert report["run"] == 'python main.py report-apply "$ENV_NAME" --outcome "$OUTCOME" --post'
    role = uses(job, "aws-actions/configure-aws-credentials")["with"]["role-to-assume"]
    assert role == "${{ vars.AWS_APPLY_ROLE_ARN }}"  # set per GitHub environment


def test_prod_waits_for_dev_and_never_follows_a_dev_failure() -> None:
    prod = workflow("apply.yml")["jobs"]["apply-prod"]
    assert prod["needs"] == ["check", "apply-dev"]
    condition = " ".join(prod["if"].split())
    assert condition.startswith("always() && needs.check.result == 'success'")
    assert "(needs.apply-dev.result == 'success' || needs.apply-dev.result == 'skipped')" in condition


def test_the_apply_summary_always_runs_with_every_env_result() -> None:
    summary = workflow("apply.yml")["jobs"]["summary"]
    assert summary["if"] == "always()" and summary["needs"][0] == "check"
    assert sorted(summary["needs"][1:]) == [f"apply-{env}" for env in env_names()]
    step = next(s for s in steps(summary) if "report-apply --summary" in s.get("run", ""))
    assert step["run"] == 'python main.py report-apply --summary --envs "$ENVS" --results "$RESULTS"'
    assert step["env"]["RESULTS"] == "${{ toJSON(needs) }}"
    # what report-apply reads: every env in promotion order, and GitHub's needs object
    needs = {
        "check": {"result": "success", "outputs": {}},
        "apply-dev": {"result": "failure", "outputs": {}},
        "apply-prod": {"result": "skipped", "outputs": {}},
    }
    envs, results = applysummary.parse(step["env"]["ENVS"], json.dumps(needs))
    assert sorted(envs) == env_names() and envs.index("dev") < envs.index("prod")
    statuses = {row.env: row.status for row in applysummary.rows(envs, results)}
    assert statuses["dev"] == "failed" and statuses["prod"] == "pending"


def test_drift_runs_daily_over_every_env_with_the_plan_role() -> None:
    doc = workflow("drift.yml")
    assert set(doc["on"]) == {"schedule", "workflow_dispatch"} and doc["on"]["schedule"][0]["cron"]
    assert doc["permissions"] == {"contents": "read", "id-token": "write", "issues": "write"}
    job = doc["jobs"]["drift"]
    assert job["strategy"] == {"fail-fast": False, "matrix": {"env": env_names()}}
    role = uses(job, "aws-actions/configure-aws-credentials")["with"]["role-to-assume"]
    assert "fromJSON(vars.AWS_PLAN_ROLE_ARNS || '{}')[matrix.env]" in role  # read-only
    assert 'python main.py drift "$ENV_NAME" --post' in runs(job)


def test_actions_are_pinned_to_a_release() -> None:
    for path in WORKFLOWS.glob("*.y*ml"):
        for job in yaml.safe_load(path.read_text())["jobs"].values():
            for step in steps(job):
                if "uses" in step:
                    ref = step["uses"].rpartition("@")[2]
                    assert ref.startswith("v") and ref not in ("main", "master"), step["uses"]
