"""Terraform is the oracle of `convert`: cdktf's JSON and the converted HCL must plan the same.

The corpus (tests/convert_corpus/app.py) is synthesized by cdktf once; `convert` turns every stack
into HCL; real terraform with the real AWS provider validates both and plans both offline, and
`terraform show -json` of the plans (configuration and planned values) must be equal. One init
serves every folder (a shared TF_DATA_DIR), so the test stays within a few minutes on two cores.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests import tf
from tests.conftest import ROOT

pytestmark = pytest.mark.terraform
CORPUS = Path(__file__).parent / "convert_corpus"
# Import blocks make the provider read the real object: those stacks are validated, not planned.
VALIDATE_ONLY = {"imports"}
MODULE = 'variable "prefix" {\n  type = string\n}\n\noutput "name" {\n  value = "${var.prefix}-queue"\n}\n'
BASE = ('terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n'
        '      version = "~> 5.99"\n    }\n  }\n}\n\nmodule "naming" {\n  source = "./mod"\n  prefix = "x"\n}\n')


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """cdktf's JSON and the converted HCL of every stack, plus one initialized data dir."""
    work = tmp_path_factory.mktemp("convert-oracle")
    env = {**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"}
    subprocess.run([sys.executable, str(CORPUS / "app.py"), str(work / "cdktf.out")], cwd=work, env=env,
                   check=True, capture_output=True)
    stacks = work / "cdktf.out" / "stacks"
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "convert", str(stacks), "--out", str(work / "hcl")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    rc = tf.cli_config(work)
    base = work / "base"
    _prepare(base, BASE)
    tf.terraform(base, "init", "-input=false", "-no-color", rc=rc)
    return {"work": work, "stacks": sorted(p.name for p in stacks.iterdir()), "rc": rc, "base": base}


def _prepare(folder: Path, config: str | None = None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mod").mkdir(exist_ok=True)
    (folder / "mod" / "main.tf").write_text(MODULE)
    (folder / "offline_override.tf").write_text(tf.OFFLINE_PROVIDER)
    if config is not None:
        (folder / "main.tf").write_text(config)


def _terraform(folder: Path, corpus: dict[str, Any], *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TF_CLI_CONFIG_FILE": str(corpus["rc"]), "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1",
           "TF_DATA_DIR": str(corpus["base"] / ".terraform")}
    return subprocess.run(["terraform", *args], cwd=folder, env=env, capture_output=True, text=True)


def _plan(folder: Path, corpus: dict[str, Any], validate_only: bool) -> dict[str, Any]:
    shutil.copy2(corpus["base"] / ".terraform.lock.hcl", folder / ".terraform.lock.hcl")
    validated = _terraform(folder, corpus, "validate", "-json", "-no-color")
    report = json.loads(validated.stdout)
    assert report["valid"] is True, f"{folder}: {report['diagnostics']}"
    if validate_only:
        return {}
    planned = _terraform(folder, corpus, "plan", "-refresh=false", "-input=false", "-no-color", "-lock=false",
                         "-out=tfplan")
    assert planned.returncode == 0, f"{folder}: {planned.stderr[-3000:]}"
    shown = _terraform(folder, corpus, "show", "-json", "tfplan")
    plan: dict[str, Any] = json.loads(shown.stdout)
    return {"configuration": _normalised(plan["configuration"]), "planned_values": plan["planned_values"]}


def _normalised(node: Any) -> Any:
    """The configuration without what only restates JSON syntax.

    For a JSON template string with references, `show -json` also records the raw template as a
    `constant_value` (`"acme-${each.value}"`); HCL records only the references, which both have."""
    if isinstance(node, dict):
        return {key: _normalised(value) for key, value in node.items()
                if not (key == "constant_value" and _has_template(value) and "references" in node)}
    if isinstance(node, list):
        return [_normalised(item) for item in node]
    return node


def _has_template(value: Any) -> bool:
    if isinstance(value, str):
        return "${" in value or "%{" in value
    if isinstance(value, dict):
        return any(_has_template(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_template(item) for item in value)
    return False


def _differences(left: Any, right: Any, path: str = "") -> list[str]:
    if type(left) is not type(right):
        return [f"{path}: {left!r} != {right!r}"]
    if isinstance(left, dict):
        return [line for key in sorted(set(left) | set(right))
                for line in _differences(left.get(key), right.get(key), f"{path}.{key}")]
    if isinstance(left, list) and len(left) == len(right):
        return [line for index, (a, b) in enumerate(zip(left, right)) for line in _differences(a, b, f"{path}[{index}]")]
    return [] if left == right else [f"{path}: {left!r} != {right!r}"]


def test_every_stack_plans_the_same_from_json_and_from_hcl(corpus: dict[str, Any]) -> None:
    work = corpus["work"]
    assert len(corpus["stacks"]) >= 15
    fmt = tf.terraform(work / "hcl", "fmt", "-check", "-recursive", "-list=true", "-no-color", rc=corpus["rc"])
    assert fmt.stdout.strip() == ""
    planned = 0
    failures: list[str] = []
    for name in corpus["stacks"]:
        json_dir, hcl_dir = work / "json" / name, work / "hcl-plan" / name
        _prepare(json_dir)
        shutil.copy2(work / "cdktf.out" / "stacks" / name / "cdk.tf.json", json_dir / "cdk.tf.json")
        shutil.copytree(work / "hcl" / name, hcl_dir)
        _prepare(hcl_dir)
        from_json = _plan(json_dir, corpus, name in VALIDATE_ONLY)
        from_hcl = _plan(hcl_dir, corpus, name in VALIDATE_ONLY)
        failures += [f"{name}{line}" for line in _differences(from_json, from_hcl)]
        planned += name not in VALIDATE_ONLY
    assert not failures, "\n".join(failures)
    assert planned == len(corpus["stacks"]) - len(VALIDATE_ONLY)
