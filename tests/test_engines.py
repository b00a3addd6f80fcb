"""Both engines render every env and example; the HCL is compared byte for byte.

cdktf (default) and CDK Terrain (HCLGEN_ENGINE=cdktn, in its own virtualenv .hclgen/tools/cdktn)
each render a project copy holding the envs and the examples, in two processes at once (the
engine is chosen when generator.cdk is imported). Every differing line must be explained by
EXPLAINED below; the full list is printed (pytest -s) with its reason. Under CI=true the cdktn
virtualenv is made (PyPI); elsewhere the test skips, saying why, when it cannot be.
"""

from __future__ import annotations

import difflib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator import enginevenv
from generator.errors import HclgenError
from scripts.projectcopy import ROOT, with_examples

# Renders, then records which engine really ran (its core and bindings packages imported, the other not).
_RENDER = (
    "import json, sys; from pathlib import Path; from generator.render import pipeline; "
    "out = {r.env: r.files for r in pipeline.render(Path.cwd())}; "
    "ran = sorted(m for m in sys.modules if m.split('.')[0] in "
    "('cdktf', 'cdktn', 'cdktf_cdktf_provider_aws', 'cdktn_provider_aws') and '.' not in m); "
    "Path(sys.argv[1]).write_text(json.dumps({'files': out, 'ran': ran}, sort_keys=True))"
)
_PACKAGES = {"cdktf": ["cdktf", "cdktf_cdktf_provider_aws"], "cdktn": ["cdktn", "cdktn_provider_aws"]}

# (file, a text the differing line holds) -> why the engines disagree there. Empty: none found yet.
EXPLAINED: dict[tuple[str, str], str] = {}


def _cdktn_site() -> Path:
    site = enginevenv.site_packages(ROOT)
    if site is not None:
        return site
    if os.environ.get("CI") != "true":
        pytest.skip("the cdktn virtualenv .hclgen/tools/cdktn is not made (python -m generator.enginevenv)")
    try:
        return enginevenv.install(ROOT)
    except HclgenError as err:
        pytest.fail(f"CI must test both engines, but the cdktn virtualenv could not be made: {err}")


def _start(project: Path, engine: str, out: Path) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "HCLGEN_ENGINE": engine,
        "HCLGEN_ROOT": str(project),
        "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "18,20",
    }
    return subprocess.Popen(
        [sys.executable, "-c", _RENDER, str(out)],
        cwd=project,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _differences(ours: dict[str, dict[str, str]], theirs: dict[str, dict[str, str]]) -> list[tuple[str, str]]:
    """(env/file, one differing line as '-cdktf' or '+cdktn') for every line that differs."""
    found: list[tuple[str, str]] = []
    for env in sorted(set(ours) | set(theirs)):
        a, b = ours.get(env, {}), theirs.get(env, {})
        for name in sorted(set(a) | set(b)):
            if a.get(name) == b.get(name):
                continue
            diff = difflib.unified_diff(a.get(name, "").splitlines(), b.get(name, "").splitlines(), n=0, lineterm="")
            found += [
                (f"{env}/{name}", line) for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))
            ]
    return found


def _reason(where: str, line: str) -> str | None:
    name = where.rsplit("/", 1)[-1]
    return next((why for (file, text), why in EXPLAINED.items() if file in (name, "*") and text in line), None)


def test_cdktf_and_cdktn_render_the_same_hcl(tmp_path: Path) -> None:
    site = _cdktn_site()
    project = with_examples(tmp_path / "project")
    (project / ".hclgen" / "tools").mkdir(parents=True)
    (project / ".hclgen" / "tools" / "cdktn").symlink_to(site.parents[2], target_is_directory=True)
    outputs = {engine: tmp_path / f"{engine}.json" for engine in ("cdktf", "cdktn")}
    procs = {engine: _start(project, engine, out) for engine, out in outputs.items()}
    for engine, proc in procs.items():
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, f"{engine} render failed: {err[-2000:]}"
    results = {engine: json.loads(out.read_text()) for engine, out in outputs.items()}
    for engine, result in results.items():
        assert result["ran"] == _PACKAGES[engine], f"HCLGEN_ENGINE={engine} ran {result['ran']}"
    ours, theirs = results["cdktf"]["files"], results["cdktn"]["files"]
    assert sorted(ours) == sorted(theirs) and ours, "both engines render the same envs"
    differences = _differences(ours, theirs)
    files = sum(len(by_file) for by_file in ours.values())
    print(f"cdktf and cdktn: {files} files of {len(ours)} envs, {len(differences)} differing lines")
    for where, line in differences:
        print(f"{where}: {line}   [{_reason(where, line) or 'UNEXPLAINED'}]")
    unexplained = [(where, line) for where, line in differences if _reason(where, line) is None]
    assert not unexplained, f"{len(unexplained)} differing lines have no known reason: {unexplained[:20]}"


def test_an_unknown_engine_is_one_line(tmp_path: Path) -> None:
    project = with_examples(tmp_path / "project")
    env = {**os.environ, "HCLGEN_ENGINE": "cdk9", "HCLGEN_ROOT": str(project)}
    done = subprocess.run(
        [sys.executable, "main.py", "synth", "--no-cache"],
        cwd=project,
        env=env,
        text=True,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 64 and done.stderr.count("\n") == 1, done.stderr
    assert "HCLGEN_ENGINE=cdk9: unknown engine (choose one of cdktf, cdktn)" in done.stderr
