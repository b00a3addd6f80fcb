"""Terraform is the oracle: fmt, validate, and plan-equivalence of the HCL with cdktf's JSON."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from scripts.projectcopy import env_names
from tests.conftest import ROOT
from tests.support import tf
from tests.support.tf import planned as _planned

pytestmark = pytest.mark.terraform
ENVS = env_names()  # every env of the project, discovered


@pytest.fixture(scope="module")
def rc(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tf.cli_config(tmp_path_factory.mktemp("tfrc"))


def _copy_env(env: str, target: Path) -> Path:
    target.mkdir(parents=True)
    for path in (ROOT / "environments" / env).glob("*.tf"):
        shutil.copy2(path, target / path.name)
    return target


def test_generated_files_are_terraform_fmt_clean(rc: Path) -> None:
    result = tf.terraform(ROOT / "environments", "fmt", "-check", "-recursive", "-list=true", "-no-color", rc=rc)
    assert result.stdout.strip() == ""


@pytest.mark.parametrize("env", ENVS)
def test_terraform_validate_passes(env: str, tmp_path: Path, rc: Path) -> None:
    workdir = _copy_env(env, tmp_path / env)
    tf.init(workdir, rc)
    result = tf.terraform(workdir, "validate", "-json", "-no-color", rc=rc)
    report = json.loads(result.stdout)
    assert report["valid"] is True, report
    assert report["warning_count"] == 0, report["diagnostics"]


@pytest.mark.parametrize("env", ENVS)
def test_hcl_plans_exactly_what_cdktf_synthesized(env: str, tmp_path: Path, rc: Path, rendered: list) -> None:
    document = next(item for item in _documents(rendered) if item["env"] == env)["document"]
    json_root = tmp_path / "cdktf"
    json_root.mkdir()
    (json_root / "cdk.tf.json").write_text(json.dumps(document, indent=2))
    hcl_root = _copy_env(env, tmp_path / "hcl")

    from_json = _planned(tf.offline_plan(json_root, rc))
    from_hcl = _planned(tf.offline_plan(hcl_root, rc))

    assert from_hcl["resources"]
    assert set(from_hcl["resources"]) == set(from_json["resources"])
    for address, change in from_json["resources"].items():
        assert from_hcl["resources"][address] == change, address
    assert from_hcl["outputs"] == from_json["outputs"]


_DOCUMENTS: dict[str, Any] = {}


def _documents(rendered: list) -> list[dict[str, Any]]:
    """cdktf's own JSON for every env (synthesized once per session)."""
    if not _DOCUMENTS:
        from generator.render.project import load
        from generator.render.synth import synthesize

        for doc in synthesize(load(ROOT), ROOT):
            _DOCUMENTS[doc.env] = doc.document
    return [{"env": env, "document": document} for env, document in _DOCUMENTS.items()]


def test_writer_output_for_every_construct_is_fmt_clean(tmp_path: Path, rc: Path) -> None:
    from generator.hcl.syntax import Attr, Blank, Block, Call, render_file

    body = [
        Attr("count", 2),
        Blank(),
        Attr("a", 1),
        Attr("long_name", "x"),
        Attr("list", ["a", "${b.c}"]),
        Attr("map", {"k": "v", "longer-key": True, "nested": {"x": [{"y": 1}]}}),
        Attr("b", None),
        Attr("policy", Call("jsonencode", {"Statement": [{"Action": ["s3:*"], "Effect": "Allow"}]})),
        Blank(),
        Block("inner", (), [Attr("x", [1, 2]), Block("deeper", (), [])]),
        Attr("depends_on", []),
    ]
    text = render_file(["header"], [Block("locals", (), body[2:6]), Block("resource", ("t", "n"), body[:3])])
    (tmp_path / "sample.tf").write_text(text)
    result = tf.terraform(tmp_path, "fmt", "-check", "-list=true", "-no-color", ".", rc=rc)
    assert result.stdout.strip() == ""
