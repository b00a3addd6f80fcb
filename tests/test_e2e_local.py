"""End to end on environments/dev: real terraform, the mirror provider, a real local AWS (moto).

The tests share one project copy and run in file order (each builds on the state the one
before left): interrupted apply -> converge, clean second plan, outputs, concurrent applies,
stale lock, rails, destroy. About 5 minutes on 2 cores.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.localaws import server as local_aws
from generator.terraform import runlock
from scripts.projectcopy import env_names
from tests.conftest import copy_project
from tests.support.e2e import Project, ok

# In CI a missing terraform is a failure (tests/conftest.py), never a silent skip.
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.terraform,
    pytest.mark.skipif(
        shutil.which("terraform") is None and os.environ.get("CI") != "true", reason="terraform is not installed"
    ),
]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    root = copy_project(tmp_path_factory.mktemp("e2e") / "project")
    yield Project(root)
    local_aws.down(root)


def test_bootstrap_is_idempotent(project: Project) -> None:
    assert "created state bucket acme-api-terraform-state-dev" in ok(project.run("bootstrap", "dev", "--local"))
    assert "nothing to change" in ok(project.run("bootstrap", "dev", "--local"))
    assert local_aws.status(project.root) is not None


def test_interrupted_apply_then_rerun_converges(project: Project) -> None:
    proc = project.start("apply", "dev", "--local", "--auto-approve", "-v")  # -v: terraform's lines as they come
    assert proc.stdout is not None
    seen, completed = [], 0
    for line in proc.stdout:
        seen.append(line)
        completed += "Creation complete" in line
        if completed == 8:
            proc.send_signal(signal.SIGINT)
            break
    seen += proc.stdout.readlines()
    assert proc.wait(timeout=300) == 130
    text = "".join(seen)
    assert "passing the interrupt to terraform" in text and "was interrupted; terraform stopped cleanly" in text
    assert project.lock_object() is None, "the interrupted apply left its lock behind"
    # Creates in flight at the interrupt end tainted; which ones depends on timing, and a tainted
    # ECR repository or parameter group is stateful, so the rail (tested on its own below) would
    # refuse their replacement: the rerun says it may replace them.
    rerun = ok(project.run("apply", "dev", "--local", "--auto-approve", "--allow-stateful-replace"))
    assert "Apply complete!" in rerun


def test_second_plan_reports_no_changes(project: Project) -> None:
    result = project.run("plan", "dev", "--local", "--detailed-exitcode")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "dev: 0 to add, 0 to change, 0 to destroy, 0 to replace" in result.stdout
    folder = project.root / ".hclgen" / "plans" / "dev"
    assert json.loads((folder / "meta.json").read_text())["env"] == "dev"
    assert json.loads((folder / "plan.json").read_text())["format_version"]
    assert (folder / "plan.tfplan").is_file()
    text = (folder / "plan.txt").read_text()  # cut from plan's own output: what `terraform show` prints
    assert "No changes. Your infrastructure matches the configuration." in text
    # quiet by default: terraform's whole output (progress lines included) is in the log, not plan.txt
    log = (project.root / ".hclgen" / "logs" / "dev-plan.log").read_text()
    assert ".hclgen/logs/dev-plan.log" in result.stderr and "Refreshing state..." not in result.stdout
    assert "Refreshing state..." in log and "Refreshing state..." not in text


def test_drift_behind_terraforms_back_is_found_and_named(project: Project) -> None:
    reviewed = (project.root / ".hclgen" / "plans" / "dev" / "meta.json").read_text()
    clean = project.run("drift", "dev", "--local")
    assert clean.returncode == 0, clean.stdout[-3000:] + clean.stderr[-3000:]
    assert "dev: clean, no drift" in clean.stderr
    ecr = project.aws("ecr")
    repository = ecr.describe_repositories()["repositories"][0]
    ecr.tag_resource(resourceArn=repository["repositoryArn"], tags=[{"Key": "changed-by", "Value": "console"}])
    try:
        drifted = project.run("drift", "dev", "--local")
    finally:
        ecr.untag_resource(resourceArn=repository["repositoryArn"], tagKeys=["changed-by"])
    assert drifted.returncode == 2, drifted.stdout[-3000:] + drifted.stderr[-3000:]
    assert "dev: 1 resource drifted: aws_ecr_repository.app (tags.changed-by, tags_all.changed-by)" in drifted.stderr
    assert "changed outside Terraform in `dev`" in drifted.stdout
    assert '! tags.changed-by = null -> "console"' in drifted.stdout
    assert "`aws_ecr_repository.app` · defined in `modules/ecr.py:" in drifted.stdout
    saved = json.loads((project.root / ".hclgen" / "drift" / "dev" / "plan.json").read_text())
    assert "aws_ecr_repository" in [d["type"] for d in saved["resource_drift"]]  # terraform's, with the noise
    assert project.run("drift", "dev", "--local").returncode == 0  # put back: clean again
    assert (project.root / ".hclgen" / "plans" / "dev" / "meta.json").read_text() == reviewed  # its own folder


def test_outputs_as_json(project: Project) -> None:
    outputs = json.loads(ok(project.run("output", "dev", "--local", "--json")))
    assert outputs["vpc_id"]["value"].startswith("vpc-")
    assert outputs["ecs_cluster_name"]["value"] == "acme-api-dev"


def _running_image(project: Project) -> str:
    ecs = project.aws("ecs")
    service = ecs.describe_services(cluster="acme-api-dev", services=["acme-api-dev"])["services"][0]
    task = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])["taskDefinition"]
    return str(task["containerDefinitions"][0]["image"])


def test_deploy_rolls_the_image_and_the_next_apply_keeps_it(project: Project) -> None:
    assert _running_image(project).endswith("/acme-api-dev-app:latest")
    out = ok(project.run("deploy", "dev", "--image-tag", "abc1234", "--local", "--auto-approve"))
    assert "replace  aws_ecs_task_definition.this" in out and "change   aws_ecs_service.this" in out
    assert "dev: deployed image tag abc1234 (was latest)" in out
    assert _running_image(project).endswith("/acme-api-dev-app:abc1234")
    parameter = project.aws("ssm").get_parameter(Name="/acme-api/dev/deploy/image_tag")["Parameter"]
    assert parameter["Value"] == "abc1234"
    # The committed HCL still says "latest"; the next apply plans no change and keeps what CI deployed.
    applied = ok(project.run("apply", "dev", "--local", "--auto-approve"))
    assert "dev: 0 to add, 0 to change, 0 to destroy, 0 to replace" in applied
    assert "dev: no changes; nothing to apply" in applied
    assert _running_image(project).endswith("/acme-api-dev-app:abc1234")


def test_deploy_refuses_unapplied_changes_and_puts_the_tag_back(project: Project) -> None:
    repository = project.aws("ecr").describe_repositories()["repositories"][0]["repositoryName"]
    project.aws("ecr").delete_lifecycle_policy(repositoryName=repository)  # drift: the plan would do more
    refused = project.run("deploy", "dev", "--image-tag", "def5678", "--local", "--auto-approve")
    assert refused.returncode == 3, refused.stdout[-2000:] + refused.stderr[-2000:]
    assert "deploy rolls only the image" in refused.stderr and "aws_ecr_lifecycle_policy" in refused.stderr
    parameter = project.aws("ssm").get_parameter(Name="/acme-api/dev/deploy/image_tag")["Parameter"]
    assert parameter["Value"] == "abc1234"
    assert _running_image(project).endswith("/acme-api-dev-app:abc1234")
    ok(project.run("apply", "dev", "--local", "--auto-approve"))  # heal the drift for the tests below


def test_plan_all_runs_in_parallel_and_feeds_the_comment(project: Project) -> None:
    result = project.run("plan", "--all", "--local", "--detailed-exitcode")
    assert result.returncode == 2, result.stdout[-3000:] + result.stderr[-3000:]  # prod is not applied
    envs = env_names(project.root)
    assert f"planning all environments: {', '.join(envs)}" in result.stderr
    assert f"planning {len(envs)} environments, " in result.stderr
    assert "dev: 0 to add, 0 to change, 0 to destroy, 0 to replace" in result.stdout
    plans = project.root / ".hclgen" / "plans"
    for env in ("dev", "prod"):
        assert json.loads((plans / env / "meta.json").read_text())["env"] == env
    prod_text = (plans / "prod" / "plan.txt").read_text()
    assert prod_text.startswith("\nTerraform used the selected providers") and "\nPlan: " in prod_text
    sources = json.loads((project.root / ".hclgen" / "sources" / "prod.json").read_text())
    assert sources["aws_db_instance.this"].startswith("modules/rds.py:")
    comment = ok(project.run("comment", str(plans / "dev" / "plan.json"), str(plans / "prod" / "plan.json")))
    assert "<!-- hclgen:plan-comment -->" in comment
    assert "No changes: `dev` (1)" in comment  # a no-op env shares the one collapsed line
    assert "`aws_db_instance.this`" in comment and "modules/rds.py:" in comment


def test_second_apply_of_one_env_is_refused_at_once(project: Project) -> None:
    repository = project.aws("ecr").describe_repositories()["repositories"][0]["repositoryName"]
    project.aws("ecr").delete_lifecycle_policy(repositoryName=repository)  # drift: one resource to create
    before = project.state()
    lock_file = project.root / ".hclgen" / "locks" / "dev.lock"
    first = project.start("apply", "dev", "--local", "--auto-approve")
    deadline = time.monotonic() + 120
    while not (lock_file.exists() and lock_file.read_text().startswith(f"pid {first.pid}")):
        assert time.monotonic() < deadline and first.poll() is None, "the first apply never took the run lock"
        time.sleep(0.05)
    second = project.run("apply", "dev", "--local", "--auto-approve", timeout=10)  # refused before any terraform
    assert second.returncode == 3, second.stderr
    assert f"another hclgen run is working on dev (pid {first.pid}, `apply dev`" in second.stderr
    assert "Traceback" not in second.stderr and len(second.stderr.strip().splitlines()) == 1
    output = first.communicate(timeout=600)[0]
    assert first.returncode == 0, output[-3000:]
    meta = json.loads((project.root / ".hclgen" / "plans" / "dev" / "meta.json").read_text())
    assert meta["plan_id"] == f"plan.{first.pid}.tfplan" and meta["applied"] is True and not meta["failed"]
    assert (project.root / ".hclgen" / "plans" / "dev" / "plan.tfplan").is_file()
    after = project.state()
    assert after["lineage"] == before["lineage"] and after["serial"] == before["serial"] + 1
    assert project.aws("ecr").get_lifecycle_policy(repositoryName=repository)["lifecyclePolicyText"]
    assert project.run("plan", "dev", "--local", "--detailed-exitcode").returncode == 0


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def test_stale_lock_names_its_id_and_the_release_command(project: Project) -> None:
    proc = project.start("plan", "dev", "--local")
    deadline = time.monotonic() + 120
    while project.lock_object() is None:
        assert time.monotonic() < deadline and proc.poll() is None, "plan never took the lock"
        time.sleep(0.05)
    for pid in [*_children(proc.pid), proc.pid]:  # a crash: nobody releases the lock
        os.kill(pid, signal.SIGKILL)
    proc.communicate()
    lock = project.lock_object()
    assert lock is not None
    blocked = project.run("plan", "dev", "--local")
    assert blocked.returncode == 1
    assert f"python main.py unlock dev {lock['ID']} --local" in blocked.stderr
    meta = json.loads((project.root / ".hclgen" / "plans" / "dev" / "meta.json").read_text())
    assert meta["failed"] is True and lock["ID"] in meta["error"]
    comment = ok(project.run("comment", str(project.root / ".hclgen" / "plans" / "dev")))
    assert "❌ **The plan failed for `dev`**" in comment
    ok(project.run("unlock", "dev", lock["ID"], "--local"))
    assert project.lock_object() is None
    assert project.run("plan", "dev", "--local", "--detailed-exitcode").returncode == 0


def test_apply_refuses_stale_hcl(project: Project) -> None:
    path = project.root / "environments" / "dev" / "vpc.tf"
    original = path.read_text()
    path.write_text(
        original.replace("10.0.0.0/18", "10.0.0.0/16", 1) if "10.0.0.0/18" in original else original + "\n# edited\n"
    )
    try:
        result = project.run("apply", "dev", "--local", "--auto-approve")
        planned = project.run("plan", "dev", "--local")
    finally:
        path.write_text(original)
    assert result.returncode == 3
    assert "environments/dev/vpc.tf" in result.stderr and "python main.py synth" in result.stderr
    assert planned.returncode == 0, planned.stderr[-2000:]
    assert "WARNING: dev: this plan is of committed HCL that is NOT what the Python renders" in planned.stderr
    assert "plan saved in .hclgen/plans/dev/" in planned.stderr
    meta = json.loads((project.root / ".hclgen" / "plans" / "dev" / "meta.json").read_text())
    assert meta["stale"] == ["environments/dev/vpc.tf"]
    comment = ok(project.run("comment", str(project.root / ".hclgen" / "plans" / "dev")))
    assert "the committed HCL is not what the Python renders** (`environments/dev/vpc.tf`)" in comment


def test_replacing_a_tainted_database_needs_its_own_flag(project: Project) -> None:
    from generator.terraform import operations

    operations.open_workspace(project.root, "dev", local=True).run("taint", "aws_db_instance.this")
    refused = project.run("apply", "dev", "--local", "--auto-approve")
    assert refused.returncode == 3, refused.stderr[-2000:]
    assert "aws_db_instance.this (replace)" in refused.stderr and "--allow-stateful-replace" in refused.stderr
    assert "python main.py untaint dev aws_db_instance.this" in refused.stderr
    ok(project.run("untaint", "dev", "aws_db_instance.this", "--local"))
    assert project.run("plan", "dev", "--local", "--detailed-exitcode").returncode == 0


def test_prod_refuses_off_main(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    (root / ".gitignore").write_text(".hclgen/\n.terraform.lock.hcl\n__pycache__/\n")
    git = ["git", "-C", str(root), "-c", "user.email=t@t", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q", "-b", "feature"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "copy"], check=True)
    other = Project(root)
    refused = other.run("apply", "prod", "--local", "--auto-approve")
    assert refused.returncode == 3
    assert "prod is protected: the checkout is on branch 'feature', not 'main'" in refused.stderr
    assert "--override-branch-check" in refused.stderr
    assert local_aws.status(root) is None  # refused before anything ran


def test_ctrl_c_during_parallel_plans_exits_130_and_releases_every_lock(project: Project) -> None:
    proc = project.start("plan", "--all", "--local", "--jobs", "2")
    assert proc.stdout is not None
    seen = []
    for line in proc.stdout:
        seen.append(line)
        if "planning 2 environments" in line:
            break
    deadline = time.monotonic() + 120
    while len([pid for pid in _descendants(proc.pid) if _name(pid) == "terraform"]) < 2:
        assert time.monotonic() < deadline and proc.poll() is None, "".join(seen)
        time.sleep(0.1)
    proc.send_signal(signal.SIGINT)
    seen += proc.stdout.readlines()
    assert proc.wait(timeout=300) == 130, "".join(seen)[-3000:]
    assert "Traceback" not in "".join(seen)
    assert project.lock_object() is None, "the state lock of dev was left behind"
    with runlock.hold(project.root, ["dev", "prod"], "test"):  # the run locks are free again
        pass
    assert project.run("plan", "dev", "--local", "--detailed-exitcode").returncode == 0


def _descendants(pid: int) -> list[int]:
    found = _children(pid)
    for child in list(found):
        found += _descendants(child)
    return found


def _name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def _ids(state: dict[str, Any], kind: str) -> list[str]:
    return [i["attributes"]["id"] for r in state["resources"] if r["type"] == kind for i in r["instances"]]


def test_destroy_removes_everything(project: Project) -> None:
    assert project.run("destroy", "dev", "--local").returncode == 3  # no terminal to type the name
    before = project.state()
    vpcs, subnets, nats = (_ids(before, kind) for kind in ("aws_vpc", "aws_subnet", "aws_nat_gateway"))
    assert vpcs and subnets and nats
    ok(project.run("destroy", "dev", "--local", "--auto-approve"))
    assert project.state()["resources"] == []
    ec2 = project.aws("ec2")
    # By ID: an apply interrupted mid-call (the test above) can leave an unnamed VPC terraform
    # never learnt about, on moto as on AWS; destroy answers for what the state recorded.
    assert ec2.describe_vpcs(Filters=[{"Name": "vpc-id", "Values": vpcs}])["Vpcs"] == []
    assert ec2.describe_subnets(Filters=[{"Name": "subnet-id", "Values": subnets}])["Subnets"] == []
    gateways = ec2.describe_nat_gateways(Filters=[{"Name": "nat-gateway-id", "Values": nats}])["NatGateways"]
    assert all(n["State"] == "deleted" for n in gateways)
    assert project.aws("elbv2").describe_load_balancers()["LoadBalancers"] == []
    assert project.aws("rds").describe_db_instances()["DBInstances"] == []
    assert project.aws("ecr").describe_repositories()["repositories"] == []
    clusters = project.aws("ecs").describe_clusters(clusters=project.aws("ecs").list_clusters()["clusterArns"])
    assert all(c["status"] != "ACTIVE" for c in clusters["clusters"])
    assert not [r for r in project.aws("iam").list_roles()["Roles"] if r["RoleName"].startswith("acme-api-dev")]
