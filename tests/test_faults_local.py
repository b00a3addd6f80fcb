"""Issue 21 items 2, 3 and 7 against a real local AWS (moto) and real terraform.

One project copy, in file order: drift of a never-applied env (its own exit code); an apply
whose local AWS is SIGKILLed mid-run leaves environments/dev/errored.tfstate, and plan, apply,
destroy, drift and deploy refuse naming it until `state-push`; then a real apply, and a deploy
whose terraform is killed (and one interrupted with Ctrl-C) puts the image tag back."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import runner
from generator.localaws import server as local_aws
from scripts.projectcopy import copy_project
from tests.support import e2e

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.terraform,
    pytest.mark.skipif(
        shutil.which("terraform") is None and os.environ.get("CI") != "true", reason="terraform is not installed"
    ),
]
PARAMETER = "/acme-api/dev/deploy/image_tag"


class Project(e2e.Project):
    def __init__(self, root: Path) -> None:
        # Few SDK retries: with the local AWS killed, each call fails in seconds instead of minutes.
        super().__init__(root, env={"AWS_MAX_ATTEMPTS": "2"}, timeout=900)

    def tag(self) -> str:
        return str(self.aws("ssm").get_parameter(Name=PARAMETER)["Parameter"]["Value"])


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    root = copy_project(tmp_path_factory.mktemp("faults-local") / "project")
    yield Project(root)
    local_aws.down(root)
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):  # provider plugins a SIGKILLed terraform orphaned
        try:
            if str(root) in cmdline.read_bytes().decode(errors="replace"):
                os.kill(int(cmdline.parent.name), signal.SIGKILL)
        except (OSError, ValueError):
            continue


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


def test_drift_of_a_never_applied_env_is_not_no_drift(project: Project) -> None:
    ok(project.run("bootstrap", "dev", "--local"))
    result = project.run("drift", "dev", "--local")
    assert result.returncode == 5, result.stdout[-2000:] + result.stderr[-2000:]
    assert "dev: never applied" in result.stderr and "Traceback" not in result.stderr
    assert "no drift" not in result.stdout.replace('not "no drift"', "")


def _kill_local_aws_mid_apply(project: Project) -> subprocess.Popen[str]:
    proc = project.start("apply", "dev", "--local", "--auto-approve", "-v")
    assert proc.stdout is not None
    completed = 0
    for line in proc.stdout:
        completed += "Creation complete" in line
        if completed == 6:
            server = local_aws.status(project.root)
            assert server is not None
            os.kill(server.pid, signal.SIGKILL)  # the local AWS dies mid-apply, state upload included
            break
    return proc


def test_killed_local_aws_leaves_errored_state_and_every_command_refuses(project: Project) -> None:
    proc = _kill_local_aws_mid_apply(project)
    out = proc.stdout.read() if proc.stdout is not None else ""
    assert proc.wait(timeout=900) != 0, out[-3000:]
    errored = project.root / "environments" / "dev" / "errored.tfstate"
    assert errored.is_file(), out[-3000:]
    saved = json.loads(errored.read_text())
    assert saved["resources"], "terraform saved what it created"
    for args in (
        ("plan", "dev", "--local"),
        ("apply", "dev", "--local", "--auto-approve"),
        ("destroy", "dev", "--local", "--auto-approve"),
        ("drift", "dev", "--local"),
        ("deploy", "dev", "--image-tag", "v2", "--local", "--auto-approve"),
        ("output", "dev", "--local"),
    ):
        result = project.run(*args)
        lines = result.stderr.strip().splitlines()
        assert result.returncode in (1, 3) and "Traceback" not in result.stderr, (args, result.stderr)
        assert any("environments/dev/errored.tfstate" in line and "state-push dev --local" in line for line in lines), (
            args,
            result.stderr,
        )
        assert "to add" not in result.stdout, "planned against the state as if nothing existed"
    assert local_aws.status(project.root) is None, "a refused command started a new local AWS"
    assert errored.is_file()
    pushed = ok(project.run("state-push", "dev", "--local"))
    assert "pushed errored.tfstate" in pushed and not errored.exists()
    assert list((project.root / ".hclgen" / "recovered").glob("dev-*.tfstate"))
    body = project.aws("s3").get_object(Bucket=project.backend.bucket, Key=project.backend.key)["Body"].read()
    state = json.loads(body)
    names = sorted(f"{r['type']}.{r['name']}" for r in saved["resources"])
    assert sorted(f"{r['type']}.{r['name']}" for r in state["resources"]) == names


def test_state_push_without_errored_state_is_one_line(project: Project) -> None:
    result = project.run("state-push", "dev", "--local")
    assert result.returncode == 1 and "does not exist" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def _children(pid: int, name: str) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            comm = stat.read_text().split("(", 1)[1].rsplit(")", 1)[0]
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid and comm == name:
            found.append(int(stat.parent.name))
    return found


APPLYING = ("Destroying...", "Creating...", "Modifying...")  # terraform apply's first line of work


def _deploy_interrupted(project: Project, tag: str, when: tuple[str, ...], how: str) -> tuple[int, str]:
    proc = project.start("deploy", "dev", "--image-tag", tag, "--local", "--auto-approve")
    assert proc.stdout is not None
    seen = []
    for line in proc.stdout:
        seen.append(line)
        if any(marker in line for marker in when):
            if how == "kill-terraform":
                deadline = time.monotonic() + 10
                while not (pids := _children(proc.pid, "terraform")) and time.monotonic() < deadline:
                    time.sleep(0.05)
                for pid in pids:
                    os.kill(pid, signal.SIGKILL)
            else:
                orphans = _children(proc.pid, "terraform")
                proc.send_signal(signal.SIGKILL if how == "kill-deploy" else signal.SIGINT)
                if how == "kill-deploy":  # terraform (own process group) finishes its apply on its own
                    deadline = time.monotonic() + 600
                    while any(runner.process_alive(pid) for pid in orphans) and time.monotonic() < deadline:
                        time.sleep(0.2)
            break
    seen += proc.stdout.readlines()
    return proc.wait(timeout=600), "".join(seen)


def _release_stale_lock(project: Project) -> None:
    """What a user does after a killed terraform (the lock error names the command)."""
    from botocore.exceptions import ClientError

    try:
        lock = project.aws("s3").get_object(Bucket=project.backend.bucket, Key=f"{project.backend.key}.tflock")
    except ClientError as err:  # only "no such key" means terraform released it after all
        assert err.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"), err
        return
    ok(project.run("unlock", "dev", json.loads(lock["Body"].read())["ID"], "--local"))


def test_a_failed_deploy_puts_the_image_tag_back(project: Project) -> None:
    ok(project.run("apply", "dev", "--local", "--auto-approve", "--allow-stateful-replace"))
    assert project.tag() == "latest"
    code, out = _deploy_interrupted(project, "untested1", ("Refreshing state",), "kill-terraform")  # during plan
    assert code != 0 and "Traceback" not in out, out[-3000:]
    assert "is back at latest" in out, out[-3000:]
    assert project.tag() == "latest"
    # The SIGKILLed terraform could not release the state lock: the next deploy's plan fails on it,
    # and that deploy puts the tag back too.
    locked = project.run("deploy", "dev", "--image-tag", "untested2", "--local", "--auto-approve")
    assert locked.returncode != 0 and "is locked" in locked.stderr, locked.stderr[-2000:]
    assert "is back at latest" in locked.stderr and project.tag() == "latest"
    _release_stale_lock(project)
    code, out = _deploy_interrupted(project, "untested2", APPLYING, "ctrl-c")  # during apply
    assert code == 130 and "is back at latest" in out, out[-3000:]
    assert project.tag() == "latest"
    result = project.run("plan", "dev", "--local")  # the next ordinary apply rolls no untested image
    assert "untested" not in result.stdout + result.stderr


def test_a_killed_deploy_stops_the_next_apply_until_the_tag_is_settled(project: Project) -> None:
    code, out = _deploy_interrupted(project, "untested3", APPLYING, "kill-deploy")
    assert code == -signal.SIGKILL
    assert project.tag() == "untested3"  # nobody was left to put it back...
    refused = project.run("apply", "dev", "--local", "--auto-approve")
    assert refused.returncode == 3 and "Traceback" not in refused.stderr, refused.stderr[-2000:]
    assert "deploy dev --image-tag latest --local" in refused.stderr  # ...so apply will not roll it
    assert "Apply complete" not in refused.stdout
    _release_stale_lock(project)  # the orphaned terraform died on its closed output pipe, lock held
    settled = ok(project.run("deploy", "dev", "--image-tag", "latest", "--local", "--auto-approve"))
    assert "dev: deployed image tag latest (was latest)" in settled
    assert project.tag() == "latest"
    ok(project.run("apply", "dev", "--local", "--auto-approve"))
