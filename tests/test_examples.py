"""Every folder under examples/ is an environment config: it renders, and terraform validates it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.render import pipeline
from tests.conftest import ROOT
from tests.support import tf
from tests.support.tf import planned as _planned

EXAMPLES = sorted(p.name for p in (ROOT / "examples").iterdir() if (p / "config.py").exists())


@pytest.fixture
def example_project(project: Path) -> Path:
    for name in EXAMPLES:
        shutil.copytree(ROOT / "examples" / name, project / "environments" / name)
    return project


def test_https_example_redirects_http_and_scopes_permissions(example_project: Path) -> None:
    (item,) = pipeline.render(example_project, ["https-two-zones"])
    alb = item.files["alb.tf"]
    assert 'resource "aws_lb_listener" "https"' in alb and 'status_code = "HTTP_301"' in alb
    assert alb.count('resource "aws_vpc_security_group_ingress_rule"') == 4  # 80 and 443 from two CIDRs
    assert "aws_nat_gateway" not in item.files["vpc.tf"]
    iam = item.files["iam.tf"]
    assert '"arn:aws:secretsmanager:us-east-1:123456789012:secret:stripe-AbCdEf"' in iam
    assert "aws_ecr_repository.worker.arn" in iam
    assert 'resource "aws_iam_role_policy" "task"' in iam


@pytest.mark.terraform
@pytest.mark.parametrize("name", EXAMPLES)
def test_example_validates(name: str, example_project: Path, tmp_path: Path) -> None:
    (item,) = pipeline.render(example_project, [name])
    workdir = tmp_path / name
    workdir.mkdir()
    for file_name, text in item.files.items():
        (workdir / file_name).write_text(text)
    rc = tf.cli_config(tmp_path)
    tf.init(workdir, rc)
    report = json.loads(tf.terraform(workdir, "validate", "-json", "-no-color", rc=rc).stdout)
    assert report["valid"] is True and report["warning_count"] == 0, report
    assert tf.terraform(workdir, "fmt", "-check", "-list=true", "-no-color", rc=rc).stdout == ""


@pytest.mark.terraform
@pytest.mark.parametrize("name", EXAMPLES)
def test_example_hcl_plans_exactly_what_cdktf_synthesized(name: str, example_project: Path, tmp_path: Path) -> None:
    from generator.render.emit import emit
    from generator.render.project import load
    from generator.render.synth import synthesize

    (document,) = synthesize(load(example_project, [name]), example_project)
    rc = tf.cli_config(tmp_path)
    json_root, hcl_root = tmp_path / "cdktf", tmp_path / "hcl"
    json_root.mkdir()
    hcl_root.mkdir()
    (json_root / "cdk.tf.json").write_text(json.dumps(document.document, indent=2))
    for file_name, text in emit(document).items():
        (hcl_root / file_name).write_text(text)

    from_json = _planned(tf.offline_plan(json_root, rc))
    from_hcl = _planned(tf.offline_plan(hcl_root, rc))

    assert len(from_hcl["resources"]) >= 40
    assert from_hcl == from_json
