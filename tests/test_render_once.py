"""One cdktf render per CI job, none in a later job that restores .hclgen/cache and .hclgen/sources.

Each step runs in its own process, as CI steps do; HCLGEN_RENDER_LOG counts the real renders.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from generator.render import pipeline
from generator.render.project import env_names
from scripts.projectcopy import copy_project

# The modules a render needs; a step that never imports them never starts node.
_HEAVY = ("jsii", "cdktf", "generator.cdk", "generator.render.synth")

_RUN_AND_LIST_MODULES = f"""
import json, sys
from generator.cli import cli
try:
    cli.main(args=sys.argv[1:], prog_name="main.py", standalone_mode=False)
except SystemExit as done:
    if done.code:
        raise
print(json.dumps(sorted(m for m in sys.modules if m.startswith({_HEAVY!r}))))
"""

_SOURCE_MAP_STEP = """
import sys
from pathlib import Path
from generator.render import pipeline
pipeline.ensure_sources(Path(sys.argv[1]), sys.argv[2:])
"""


def _step(root: Path, log: Path, code: str, *args: str) -> str:
    env = {**os.environ, "HCLGEN_ROOT": str(root), pipeline.RENDER_LOG_VAR: str(log)}
    env.pop("HCLGEN_NO_CACHE", None)
    done = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=root, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _renders(log: Path) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


def _job(root: Path, log: Path) -> list[str]:
    """What a CI plan job does before terraform: synth --check, then plan's source-map step.
    Returns the heavy modules the check imported."""
    loaded = json.loads(_step(root, log, _RUN_AND_LIST_MODULES, "synth", "--check").splitlines()[-1])
    _step(root, log, _SOURCE_MAP_STEP, str(root), *env_names(root))
    return list(loaded)


def test_a_cold_job_renders_once_and_the_next_job_not_at_all(tmp_path: Path) -> None:
    first = copy_project(tmp_path / "job1")
    first_log = tmp_path / "job1.renders"
    assert _job(first, first_log), "a cold checkout must render (nothing cached yet)"
    assert len(_renders(first_log)) == 1
    envs = env_names(first)
    for env in envs:
        assert json.loads(pipeline.sources_path(first, env).read_text()), env

    # Another job, another checkout path: restore only what actions/cache carries.
    second = copy_project(tmp_path / "job2")
    for part in ("cache", "sources"):
        shutil.copytree(first / ".hclgen" / part, second / ".hclgen" / part)
    second_log = tmp_path / "job2.renders"
    assert _job(second, second_log) == []  # no bindings, no jsii: node never started
    assert _renders(second_log) == []
    assert pipeline.sources_path(second, envs[0]).read_text() == pipeline.sources_path(first, envs[0]).read_text()

    # `synth` with nothing changed writes nothing and starts no node either.
    assert json.loads(_step(second, second_log, _RUN_AND_LIST_MODULES, "synth").splitlines()[-1]) == []
    assert _renders(second_log) == []


def test_a_failing_check_persists_nothing(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    rds = root / "environments" / "dev" / "rds.tf"
    rds.write_text(rds.read_text().replace("db.t4g.micro", "db.t4g.small"))
    assert pipeline.stale_paths(root) == ["environments/dev/rds.tf"]
    assert not (root / ".hclgen" / "cache").exists()
    assert not pipeline.sources_path(root, "dev").exists()


def test_synth_renders_again_when_source_maps_are_missing(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    assert pipeline.stale_paths(root) == []  # renders, passes, persists
    assert pipeline.unchanged(root)
    pipeline.sources_path(root, "dev").unlink()
    assert not pipeline.unchanged(root)  # synth must render to bring the map back
    assert pipeline.unchanged(root, ["prod"])
