"""plan.txt is cut out of what `terraform plan -out` prints: it must equal `terraform show PLANFILE`.

Real terraform on a provider-free configuration (terraform_data, terraform_remote_state): refresh
and read progress lines, a warning box, colour codes, the no-changes case and the trailer terraform
prints outside automation.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from generator.plan import files as planfiles

pytestmark = pytest.mark.terraform

CONFIG = """
variable "v" { default = "a" }
data "terraform_remote_state" "other" {
  backend  = "local"
  config   = { path = "${path.module}/other.tfstate" }
  defaults = { x = 1 }
}
resource "terraform_data" "kept" { input = "same" }
resource "terraform_data" "changed" { input = var.v }
output "o" { value = var.v }
"""
EMPTY_STATE = '{"version":4,"terraform_version":"1.11.4","serial":1,"lineage":"x","outputs":{},"resources":[]}'


def _tf(workdir: Path, *args: str, automation: bool = True) -> str:
    env = {key: value for key, value in os.environ.items() if not key.startswith("TF_")}
    if automation:
        env["TF_IN_AUTOMATION"] = "1"
    done = subprocess.run(["terraform", *args], cwd=workdir, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode in (0, 2), done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def applied(tmp_path_factory: pytest.TempPathFactory) -> Path:
    workdir = tmp_path_factory.mktemp("plantext")
    (workdir / "main.tf").write_text(CONFIG)
    (workdir / "other.tfstate").write_text(EMPTY_STATE)
    (workdir / "warns.tfvars").write_text('undeclared = "x"\n')  # a warning printed after the plan
    _tf(workdir, "init", "-input=false")
    _tf(workdir, "apply", "-auto-approve", "-input=false")
    return workdir


@pytest.mark.parametrize(
    ("args", "automation"),
    [
        (["-var", "v=b", "-var-file=warns.tfvars"], True),  # coloured, refresh lines, warning box
        (["-var", "v=b", "-no-color"], False),  # "Saved the plan to" trailer
        (["-no-color"], True),  # no changes
        (["-destroy", "-no-color"], True),
    ],
)
def test_plan_text_equals_terraform_show(applied: Path, args: list[str], automation: bool) -> None:
    printed = _tf(applied, "plan", "-input=false", "-out=p.tfplan", *args, automation=automation)
    assert "Refreshing state..." in printed
    shown = _tf(applied, "show", "-no-color", "p.tfplan")
    assert planfiles.plan_text(printed) == shown


def test_nothing_plan_like_means_none() -> None:
    assert planfiles.plan_text("aws_vpc.this: Refreshing state... [id=vpc-1]\n\n") is None
