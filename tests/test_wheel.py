"""A non-editable install (a built wheel in a fresh virtualenv) carries its templates and data.

Templates and data live inside the package (generator/templates/, */data/) and ship as they are;
the user's modules/ is never installed (it loads from the project). One wheel is built per run:
one test renders a real plan comment with the installed `hclgen` and only the comment's
dependencies; the other runs `hclgen --help` and renders an environment of a project copy,
borrowing the dev venv's installed libraries (cdktf's bindings) through a path entry.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from scripts.projectcopy import copy_project
from tests.conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "plans" / "dev-create"
COMMENT_DEPENDENCIES = ("jinja2>=3.1,<4", "click>=8.1,<9", "httpx>=0.27,<1")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    wheels = tmp_path_factory.mktemp("wheels")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels), str(ROOT)],
        check=True,
        capture_output=True,
        cwd=wheels,
    )
    (built,) = wheels.glob("hclgen-*.whl")
    return built


def test_the_wheel_holds_the_engine_and_its_data_but_not_the_users_modules(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert not [name for name in names if name.startswith(("modules/", "environments/", "tests/", "templates/"))]
    assert {
        "generator/templates/plan_comment.md.j2",
        "generator/plan/data/aws_sets.json.gz",
        "generator/review/cost/data/prices.json",
        "generator/render/data/aws_blocks.json.gz",
    } <= names


def test_wheel_installs_and_renders_the_comment(wheel: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:  # synth renders .github/workflows/ from these
        shipped = {name for name in archive.namelist() if name.startswith("generator/templates/workflows/")}
    assert {f"generator/templates/workflows/{name}.yml.j2" for name in ("plan", "apply", "drift", "deploy")} <= shipped
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    pip = [str(env_dir / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    # The comment path needs only these; the full set (cdktf's 34 MB bindings, moto) takes minutes
    # to install on 2 cores and adds nothing to what this test proves: the wheel's own contents.
    subprocess.run([*pip, "--no-deps", str(wheel)], check=True, capture_output=True, cwd=tmp_path)
    subprocess.run([*pip, *COMMENT_DEPENDENCIES], check=True, capture_output=True, cwd=tmp_path)
    outside = tmp_path / "elsewhere"  # no checkout around: everything must come from site-packages
    outside.mkdir()
    result = subprocess.run(
        [str(env_dir / "bin" / "hclgen"), "comment", str(FIXTURE)], capture_output=True, text=True, cwd=outside
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("<!-- hclgen:plan-comment -->\n## Terraform plan")
    assert "`dev` 85 to add" in result.stdout
    installed = subprocess.run(
        [str(env_dir / "bin" / "python"), "-c", "import generator; print(generator.__file__)"],
        capture_output=True,
        text=True,
        cwd=outside,
        check=True,
    ).stdout
    assert str(env_dir) in installed and str(ROOT) not in installed


def test_installed_hclgen_helps_and_renders_a_project_whose_modules_are_its_own(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)], check=True, capture_output=True
    )
    # The libraries (cdktf, jsii, the AWS bindings...) come from the dev venv as a plain path entry: its
    # .pth files are not processed there, so its editable `generator` stays out and the wheel's is used.
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (Path(site) / "dev-libraries.pth").write_text(sysconfig.get_path("purelib") + "\n")
    project = copy_project(tmp_path / "project")
    outside = {**os.environ, "HCLGEN_ROOT": str(project), "HCLGEN_NO_CACHE": "1"}
    helped = subprocess.run(
        [str(env_dir / "bin" / "hclgen"), "--help"], capture_output=True, text=True, cwd=tmp_path, env=outside
    )
    assert helped.returncode == 0 and "Exit codes:" in helped.stdout, helped.stderr
    found = subprocess.run(
        [
            str(python),
            "-c",
            "import generator, importlib.util; print(generator.__file__); print(importlib.util.find_spec('modules'))",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    ).stdout.splitlines()
    assert found[0].startswith(str(env_dir)) and found[1] == "None"  # no `modules` in site-packages:
    # so the render below can only have used the project's own modules/
    rendered = subprocess.run(
        [str(env_dir / "bin" / "hclgen"), "synth", "--check", "dev"],
        capture_output=True,
        text=True,
        cwd=project,
        env=outside,
    )
    assert rendered.returncode == 0, rendered.stdout[-2000:] + rendered.stderr[-2000:]
