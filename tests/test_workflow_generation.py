"""The CI workflows are rendered from the environments by synth and checked by synth --check.

A project copy with three environments (dev -> staging -> prod) is the golden case: its workflows
must be byte-identical to tests/fixtures/workflows/three-envs/ and actionlint-clean.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.errors import ConfigError
from generator.render import promotion, workflows
from generator.render.project import load
from scripts.projectcopy import copy_project
from tests.support import goldens
from tests.support.actionlint import actionlint

GOLDEN = Path(__file__).parent / "fixtures" / "workflows" / "three-envs"
FLOWS = Path(".github") / "workflows"
HAND_WRITTEN = "# lint: written by hand, not by synth\nname: lint\non: push\njobs: {}\n"
LOCK_TEXT = "# a lock file synth must never touch\n"


def hclgen(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HCLGEN_ROOT": str(root)}
    return subprocess.run(
        [sys.executable, "main.py", *args], cwd=root, env=env, capture_output=True, text=True, timeout=600
    )


def add_env(root: Path, name: str, after: tuple[str, ...]) -> Path:
    """A new environments/<name>/ holding only a config.py (dev's, renamed), as a user adds one."""
    text = (root / "environments" / "dev" / "config.py").read_text()
    text = text.replace('name="dev"', f'name="{name}"').replace("state-dev", f"state-{name}")
    text = text.replace("    tags={", f"    after={after!r},\n    tags={{", 1)
    folder = root / "environments" / name
    folder.mkdir()
    (folder / "config.py").write_text(text)
    return folder


def set_after(root: Path, env: str, after: tuple[str, ...]) -> None:
    path = root / "environments" / env / "config.py"
    text = path.read_text()
    start = text.index("    after=")
    end = text.index("\n", start)
    path.write_text(text[:start] + f"    after={after!r}," + text[end:])


def only_dev_and_prod(root: Path) -> Path:
    """This file's cases are about the envs they build: drop any other env the project has."""
    for folder in (root / "environments").iterdir():
        if folder.is_dir() and folder.name not in ("dev", "prod"):
            shutil.rmtree(folder)
    return root


@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """dev -> staging -> prod, synthesized once; a hand-written workflow and a lock file beside."""
    root = only_dev_and_prod(copy_project(tmp_path_factory.mktemp("three") / "project"))
    add_env(root, "staging", ("dev",))
    set_after(root, "prod", ("staging",))
    shutil.rmtree(root / FLOWS)  # as before the first synth: the workflows are created
    (root / FLOWS).mkdir(parents=True)
    (root / FLOWS / "lint.yml").write_text(HAND_WRITTEN)
    (root / "environments" / "prod" / ".terraform.lock.hcl").write_text(LOCK_TEXT)
    result = hclgen(root, "synth")
    assert result.returncode == 0, result.stderr
    for name in ("apply.yml", "deploy.yml", "drift.yml", "plan.yml"):
        assert f"  created .github/workflows/{name}" in result.stdout
    yield root


def load_flow(root: Path, name: str) -> dict[str, Any]:
    doc: dict[Any, Any] = yaml.safe_load((root / FLOWS / name).read_text())
    doc["on"] = doc.pop(True, doc.get("on"))
    return doc


def test_three_env_workflows_match_the_golden_files(three: Path) -> None:
    rendered = sorted(p.name for p in (three / FLOWS).glob("*.yml"))
    assert rendered == ["apply.yml", "deploy.yml", "drift.yml", "lint.yml", "plan.yml"]
    for name in ("apply.yml", "deploy.yml", "drift.yml", "plan.yml"):
        goldens.check(GOLDEN / name, (three / FLOWS / name).read_text())
    assert sorted(p.name for p in GOLDEN.glob("*.yml")) == ["apply.yml", "deploy.yml", "drift.yml", "plan.yml"]


def test_generated_workflows_pass_actionlint(three: Path, tmp_path: Path) -> None:
    command, env = actionlint(tmp_path)
    files = [str(p) for p in sorted((three / FLOWS).glob("*.yml")) if p.name != "lint.yml"]
    result = subprocess.run([*command, *files], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_new_env_is_in_apply_drift_and_deploy_without_a_hand_edit(three: Path) -> None:
    apply = load_flow(three, "apply.yml")
    assert apply["on"]["workflow_dispatch"]["inputs"]["environment"]["options"] == ["dev", "prod", "staging"]
    assert [job for job in apply["jobs"]] == ["check", "apply-dev", "apply-staging", "apply-prod", "summary"]
    staging = apply["jobs"]["apply-staging"]
    assert staging["environment"] == "staging"
    assert staging["concurrency"] == {"group": "apply-staging", "cancel-in-progress": False}
    assert apply["jobs"]["summary"]["steps"][-1]["env"]["ENVS"] == '["dev", "staging", "prod"]'
    assert "apply-staging" in apply["jobs"]["summary"]["needs"]
    assert load_flow(three, "drift.yml")["jobs"]["drift"]["strategy"]["matrix"]["env"] == ["dev", "prod", "staging"]
    deploy = load_flow(three, "deploy.yml")
    assert deploy["on"]["workflow_dispatch"]["inputs"]["environment"]["options"] == ["dev", "prod", "staging"]
    # plan.yml lists no env at all: its matrix comes from `affected`, which reads environments/.
    assert "staging" not in (three / FLOWS / "plan.yml").read_text()


def test_promotion_order_gives_needs_and_conditions(three: Path) -> None:
    jobs = load_flow(three, "apply.yml")["jobs"]
    assert jobs["apply-dev"]["needs"] == ["check"]
    assert jobs["apply-staging"]["needs"] == ["check", "apply-dev"]
    # prod waits for staging and, through it, dev: a dev failure skips staging, and prod must
    # not read that "skipped" as "nothing to apply".
    assert jobs["apply-prod"]["needs"] == ["check", "apply-dev", "apply-staging"]
    condition = " ".join(jobs["apply-prod"]["if"].split())
    for upstream in ("apply-dev", "apply-staging"):
        assert f"(needs.{upstream}.result == 'success' || needs.{upstream}.result == 'skipped')" in condition
    assert condition.startswith("always() && needs.check.result == 'success'")
    assert condition.endswith("contains(fromJSON(needs.check.outputs.envs || '[]'), 'prod')")


def test_synth_keeps_lock_files_and_hand_written_workflows(three: Path) -> None:
    assert (three / "environments" / "prod" / ".terraform.lock.hcl").read_text() == LOCK_TEXT
    assert (three / FLOWS / "lint.yml").read_text() == HAND_WRITTEN
    check = hclgen(three, "synth", "--check")
    assert check.returncode == 0, check.stderr


@pytest.mark.parametrize("cache", [True, False])
def test_synth_check_fails_on_a_hand_edited_workflow(three: Path, cache: bool) -> None:
    path = three / FLOWS / "apply.yml"
    original = path.read_text()
    path.write_text(original.replace("timeout-minutes: 60", "timeout-minutes: 61", 1))
    try:
        result = hclgen(three, "synth", "--check", *([] if cache else ["--no-cache"]))
    finally:
        path.write_text(original)
    assert result.returncode == 1
    assert "  stale .github/workflows/apply.yml" in result.stderr.splitlines()
    assert "1 generated file(s) differ from the Python" in result.stderr


def test_synth_with_unchanged_inputs_still_restores_a_hand_edited_workflow(three: Path) -> None:
    """The cache lets synth skip node when nothing changed, never when a workflow was edited."""
    assert "no changes (inputs unchanged" in hclgen(three, "synth").stderr  # the cache vouches
    path = three / FLOWS / "drift.yml"
    original = path.read_text()
    path.write_text(original + "# edited by hand\n")
    result = hclgen(three, "synth")
    assert result.returncode == 0, result.stderr
    assert "  updated .github/workflows/drift.yml" in result.stdout
    assert path.read_text() == original


def test_synth_check_fails_on_a_new_env_folder_until_synth(three: Path) -> None:
    folder = add_env(three, "qa", ())
    before = {p.name: p.read_text() for p in (three / FLOWS).glob("*.yml")}
    try:
        result = hclgen(three, "synth", "--check")
        assert result.returncode == 1
        stale = [line.split()[-1] for line in result.stderr.splitlines() if line.startswith("  stale ")]
        for name in ("apply.yml", "deploy.yml", "drift.yml"):
            assert f".github/workflows/{name}" in stale
        assert ".github/workflows/plan.yml" not in stale
        assert {p.name: p.read_text() for p in (three / FLOWS).glob("*.yml")} == before  # --check writes nothing
    finally:
        shutil.rmtree(folder)


def test_an_unknown_after_is_a_one_line_error_and_nothing_is_written(three: Path) -> None:
    set_after(three, "staging", ("qa",))
    before = {p.name: p.read_text() for p in (three / FLOWS).glob("*.yml")}
    try:
        result = hclgen(three, "synth")
    finally:
        set_after(three, "staging", ("dev",))
    assert result.returncode == 64
    assert result.stderr.strip().splitlines()[-1] == (
        "error: environments/staging/config.py: after: 'qa' is not an environment (known: dev, prod, staging)"
    )
    assert {p.name: p.read_text() for p in (three / FLOWS).glob("*.yml")} == before


def test_a_cycle_names_the_config_and_the_loop() -> None:
    with pytest.raises(ConfigError) as caught:
        promotion.check({"dev": ("prod",), "staging": ("dev",), "prod": ("staging",)})
    assert str(caught.value) == (
        "environments/dev/config.py: after: the promotion order has a cycle: dev -> prod -> staging -> dev"
    )


def test_stages_come_in_apply_order_with_every_upstream_env() -> None:
    stages = promotion.stages({"prod": ("eu", "us"), "eu": ("dev",), "us": ("dev",), "dev": (), "sandbox": ()})
    assert [s.env for s in stages] == ["dev", "sandbox", "eu", "us", "prod"]
    assert stages[-1].upstream == ("dev", "eu", "us") and stages[-1].after == ("eu", "us")


@pytest.mark.parametrize(
    ("after", "message"),
    [
        ('"dev"', "after: 'dev' is str, expected"),
        ('("staging",)', "after: staging cannot be promoted after itself"),
        ('("dev", "dev")', "after: ['dev', 'dev'] names an environment twice"),
    ],
)
def test_a_bad_after_in_a_config_is_one_line(project: Path, after: str, message: str) -> None:
    add_env(only_dev_and_prod(project), "staging", ())
    path = project / "environments" / "staging" / "config.py"
    path.write_text(path.read_text().replace("after=(),", f"after={after},"))
    with pytest.raises(ConfigError) as caught:
        load(project, ["staging"])
    assert "\n" not in str(caught.value) and message in str(caught.value), str(caught.value)


def test_a_workflow_synth_no_longer_renders_is_removed_only_if_synth_wrote_it(three: Path) -> None:
    extra = three / FLOWS / "old.yml"
    extra.write_text(f"# {workflows.MARK} from templates/workflows/old.yml.j2.\nname: old\n")
    current = {p.name: p.read_text() for p in (three / FLOWS).glob("*.yml") if p.name not in ("lint.yml", "old.yml")}
    manifest = workflows.manifest_path(three)
    saved = manifest.read_text()
    try:
        assert workflows.difference(three, current).paths == []  # not in the manifest: a user's file
        manifest.write_text('["old.yml", "lint.yml"]\n')
        assert workflows.difference(three, current).removed == [".github/workflows/old.yml"]  # lint.yml: no mark
    finally:
        manifest.write_text(saved)
        extra.unlink()
