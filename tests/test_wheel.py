"""A non-editable install (a built wheel in a fresh virtualenv) carries its templates and data.

The comment template lives in templates/ at the top of the checkout and ships inside the wheel
as generator/templates/; this renders a real plan comment with the installed `hclgen`.
"""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

from tests.conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "plans" / "dev-create"
COMMENT_DEPENDENCIES = ("jinja2>=3.1,<4", "click>=8.1,<9", "httpx>=0.27,<1")


def test_wheel_installs_and_renders_the_comment(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels), str(ROOT)],
                   check=True, capture_output=True, cwd=tmp_path)
    (wheel,) = wheels.glob("hclgen-*.whl")
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
    result = subprocess.run([str(env_dir / "bin" / "hclgen"), "comment", str(FIXTURE)],
                            capture_output=True, text=True, cwd=outside)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("<!-- hclgen:plan-comment -->\n## Terraform plan")
    assert "`dev` 55 to add" in result.stdout
    installed = subprocess.run([str(env_dir / "bin" / "python"), "-c", "import generator; print(generator.__file__)"],
                               capture_output=True, text=True, cwd=outside, check=True).stdout
    assert str(env_dir) in installed and str(ROOT) not in installed
