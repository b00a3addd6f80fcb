"""Issue 21 item 5: `synth --check` is a proof, not a cache lookup.

(a) A fresh clone (no .hclgen/) still reports a generated file that should no longer exist; (b) a
Python helper a config imports from outside modules/ (the repo root, through a symlink) is an input
of the cache; (c) CRLF line endings get the same verdict with a warm cache, a cold cache and
--no-cache. Real renders on project copies; (b) through the real CLI, one process per step, as a
user runs it (a process keeps imported helpers loaded).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from generator.render import cache, pipeline

ROOT = Path(__file__).resolve().parent.parent


def _switch_off_dashboard(project: Path) -> None:
    config = project / "environments" / "dev" / "config.py"
    text = config.read_text()
    assert "        dashboard=DashboardInputs(),\n" in text
    config.write_text(text.replace("        dashboard=DashboardInputs(),\n", ""))


def test_fresh_clone_reports_and_removes_a_switched_off_module(project: Path) -> None:
    assert not (project / ".hclgen").exists()  # a fresh clone: no manifest, no cache
    _switch_off_dashboard(project)
    stale = pipeline.stale_paths(project, ["dev"])
    assert "environments/dev/dashboard.tf" in stale
    copy = project / "environments" / "dev" / "dashboard_copy.tf"  # a user's copy keeps the header: not ours
    copy.write_text((project / "environments" / "dev" / "dashboard.tf").read_text())
    pipeline.write(project, pipeline.render(project, ["dev"]))
    assert not (project / "environments" / "dev" / "dashboard.tf").exists() and copy.exists()
    assert pipeline.stale_paths(project, ["dev"]) == [] == pipeline.stale_paths(project, ["dev"], use_cache=False)


def test_crlf_and_non_utf8_get_the_same_verdict_warm_cold_and_uncached(project: Path) -> None:
    pipeline.write(project, pipeline.render(project, ["dev"]))
    path = project / "environments" / "dev" / "vpc.tf"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    broken = project / "environments" / "dev" / "alb.tf"  # not UTF-8: stale, not a traceback
    broken.write_bytes(broken.read_bytes() + b"\xff\xfe\n")
    expected = ["environments/dev/alb.tf", "environments/dev/vpc.tf"]
    assert pipeline.stale_paths(project, ["dev"]) == expected  # warm cache
    assert pipeline.stale_paths(project, ["dev"], use_cache=False) == expected
    shutil.rmtree(project / ".hclgen" / "cache")
    assert pipeline.stale_paths(project, ["dev"]) == expected  # cold cache
    pipeline.write(project, pipeline.render(project, ["dev"]))
    assert b"\r\n" not in path.read_bytes()


def _cli(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HCLGEN_ROOT": str(project)}
    env.pop(cache.DISABLE_VAR, None)
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _use_helper(project: Path, module: str) -> None:
    config = project / "environments" / "dev" / "config.py"
    text = config.read_text().replace('values={"LOG_LEVEL": "debug"}', 'values={"LOG_LEVEL": LEVEL}')
    config.write_text(f"from {module} import LEVEL\n" + text)


def test_root_helper_and_symlinked_helper_are_inputs(project: Path) -> None:
    shared = project.parent / "shared"  # outside the checkout, reached through a symlink
    shared.mkdir()
    (shared / "levels.py").write_text('LEVEL = "debug"\n')
    (project / "levels.py").symlink_to(shared / "levels.py")
    (project / "settings.py").write_text("from levels import LEVEL as LEVEL\n")  # a helper at the repo root
    _use_helper(project, "settings")
    done = _cli(project, "synth", "dev")
    assert done.returncode == 0, done.stderr
    assert _cli(project, "synth", "--check", "dev").returncode == 0
    recorded = cache.recorded_imports(project)
    assert "settings.py" in recorded and (shared / "levels.py").resolve().as_posix() in recorded
    (shared / "levels.py").write_text('LEVEL = "info"\n')  # the symlink's target changes
    done = _cli(project, "synth", "--check", "dev")
    assert done.returncode == 1 and "environments/dev/params.tf" in done.stderr, done.stderr
    (shared / "levels.py").write_text('LEVEL = "debug"\n')
    assert _cli(project, "synth", "--check", "dev").returncode == 0
    (project / "settings.py").write_text('LEVEL = "warning"\n')  # the root helper itself changes
    done = _cli(project, "synth", "--check", "dev")
    assert done.returncode == 1 and "environments/dev/params.tf" in done.stderr, done.stderr


def test_fresh_clone_reports_a_workflow_whose_template_is_gone(tmp_path: Path) -> None:
    from generator.render import workflows

    flows = tmp_path / ".github" / "workflows"
    flows.mkdir(parents=True)
    (flows / "old.yml").write_text(f"# {workflows.MARK} from templates/workflows/old.yml.j2.\nname: old\n")
    (flows / "mine.yml").write_text(f"# {workflows.MARK} from templates/workflows/other.yml.j2.\nname: mine\n")
    (flows / "lint.yml").write_text("name: lint\n")
    assert workflows.difference(tmp_path, {}).removed == [".github/workflows/old.yml"]  # no manifest: headers
    workflows.manifest_path(tmp_path).parent.mkdir(parents=True)
    workflows.manifest_path(tmp_path).write_text("[]\n")
    assert workflows.difference(tmp_path, {}).removed == []  # a manifest says what synth wrote
