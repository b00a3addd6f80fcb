"""Terraform is the oracle of `convert`: cdktf's JSON and the converted HCL must plan the same.

The corpus (tests/convert_corpus/app.py) is synthesized by cdktf once; `convert` turns every stack
into HCL; real terraform with the real AWS provider validates both and plans both offline, and
`terraform show -json` of the plans (configuration and planned values) must be equal. One
root calls every stack as a module (one init, validate and plan per side), so the test stays within
a few minutes on two cores.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.support import tf

pytestmark = pytest.mark.terraform
CORPUS = Path(__file__).parent / "convert_corpus"
# Import blocks make the provider read the real object: those stacks are validated, not planned.
VALIDATE_ONLY = {"imports"}
MODULE = 'variable "prefix" {\n  type = string\n}\n\noutput "name" {\n  value = "${var.prefix}-queue"\n}\n'


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """cdktf's JSON and the converted HCL of every stack."""
    work = tmp_path_factory.mktemp("convert-oracle")
    env = {**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"}
    subprocess.run(
        [sys.executable, str(CORPUS / "app.py"), str(work / "cdktf.out")],
        cwd=work,
        env=env,
        check=True,
        capture_output=True,
    )
    stacks = work / "cdktf.out" / "stacks"
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "convert", str(stacks), "--out", str(work / "hcl")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return {"work": work, "stacks": sorted(p.name for p in stacks.iterdir()), "rc": tf.cli_config(work)}


def _root(folder: Path, stacks: list[str], source: Callable[[str], Path]) -> Path:
    """One root calling every stack as a module: one init, one validate, one plan for the whole corpus.

    A stack's outputs come back as root outputs, so their planned values are compared too."""
    folder.mkdir(parents=True)
    calls = []
    for name in stacks:
        shutil.copytree(source(name), folder / name)
        (folder / name / "mod").mkdir(exist_ok=True)
        (folder / name / "mod" / "main.tf").write_text(MODULE)
        label = name.replace("-", "_")
        calls.append(
            f'module "{label}" {{\n  source = "./{name}"\n}}\n\n'
            f'output "{label}" {{\n  value     = module.{label}\n  sensitive = true\n}}\n'
        )
    (folder / "main.tf").write_text("\n".join(calls))
    (folder / "offline_override.tf").write_text(tf.OFFLINE_PROVIDER)
    return folder


def _validate_and_plan(folder: Path, rc: Path, plan: bool = True) -> dict[str, Any]:
    tf.terraform(folder, "init", "-input=false", "-no-color", rc=rc)
    report = json.loads(tf.terraform(folder, "validate", "-json", "-no-color", rc=rc).stdout)
    assert report["valid"] is True, f"{folder}: {report['diagnostics']}"
    if not plan:
        return {}
    tf.terraform(folder, "plan", "-refresh=false", "-input=false", "-no-color", "-lock=false", "-out=tfplan", rc=rc)
    shown: dict[str, Any] = json.loads(tf.terraform(folder, "show", "-json", "tfplan", rc=rc).stdout)
    return {"configuration": _normalised(shown["configuration"]), "planned_values": shown["planned_values"]}


def _repaired(document: dict[str, Any]) -> dict[str, Any]:
    """cdktf 0.20 writes references in `replace_triggered_by` and an output's `depends_on` as
    `"${aws_sqs_queue.jobs}"`, which terraform rejects ("A single static variable reference is
    required"); convert renders the reference meant. The JSON side gets the same repair, by hand,
    so the two can be compared at all."""

    def bare(items: list[str]) -> list[str]:
        return [item[2:-1] if item.startswith("${") and item.endswith("}") else item for item in items]

    for named in document.get("resource", {}).values():
        for spec in named.values():
            lifecycle = spec.get("lifecycle", {})
            if "replace_triggered_by" in lifecycle:
                lifecycle["replace_triggered_by"] = bare(lifecycle["replace_triggered_by"])
    for spec in document.get("output", {}).values():
        if "depends_on" in spec:
            spec["depends_on"] = bare(spec["depends_on"])
    return document


def _normalised(node: Any) -> Any:
    """The configuration without what only restates JSON syntax.

    For a JSON template string with references, `show -json` also records the raw template as a
    `constant_value` (`"acme-${each.value}"`); HCL records only the references, which both have."""
    if isinstance(node, dict):
        return {
            key: _normalised(value)
            for key, value in node.items()
            if not (key == "constant_value" and _has_template(value) and "references" in node)
        }
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
        return [
            line
            for key in sorted(set(left) | set(right))
            for line in _differences(left.get(key), right.get(key), f"{path}.{key}")
        ]
    if isinstance(left, list) and len(left) == len(right):
        return [
            line for index, (a, b) in enumerate(zip(left, right)) for line in _differences(a, b, f"{path}[{index}]")
        ]
    return [] if left == right else [f"{path}: {left!r} != {right!r}"]


def test_every_stack_plans_the_same_from_json_and_from_hcl(corpus: dict[str, Any]) -> None:
    work, rc = corpus["work"], corpus["rc"]
    assert len(corpus["stacks"]) >= 15
    fmt = tf.terraform(work / "hcl", "fmt", "-check", "-recursive", "-list=true", "-no-color", rc=rc)
    assert fmt.stdout.strip() == ""
    planned = [name for name in corpus["stacks"] if name not in VALIDATE_ONLY]

    def from_json(name: str) -> Path:
        repaired = work / "repaired" / name
        if not repaired.exists():
            shutil.copytree(work / "cdktf.out" / "stacks" / name, repaired)
            path = repaired / "cdk.tf.json"
            path.write_text(json.dumps(_repaired(json.loads(path.read_text()))))
        return repaired

    def from_hcl(name: str) -> Path:
        return work / "hcl" / name

    json_plan = _validate_and_plan(_root(work / "json-root", planned, from_json), rc)
    hcl_plan = _validate_and_plan(_root(work / "hcl-root", planned, from_hcl), rc)
    failures = _differences(json_plan, hcl_plan)
    assert not failures, "\n".join(failures)
    resources = json_plan["planned_values"]["root_module"]["child_modules"]
    assert len(resources) == len(planned)
    for name in VALIDATE_ONLY:  # import blocks belong in a root module: each is its own root
        for side, source in (("json", from_json), ("hcl", from_hcl)):
            root = work / f"{side}-{name}"
            shutil.copytree(source(name), root)
            (root / "offline_override.tf").write_text(tf.OFFLINE_PROVIDER)
            _validate_and_plan(root, rc, plan=False)


def _blocks(files: dict[str, str]) -> set[str]:
    """Top-level blocks of a set of files, headers aside (the two group blocks into files differently)."""
    found: set[str] = set()
    for text in files.values():
        body = "\n".join(line for line in text.splitlines() if not line.startswith("#")).strip()
        found.update(block.strip() for block in re.split(r"\n\n(?=\S)", body) if block.strip())
    return found


def test_converting_an_envs_json_gives_the_blocks_synth_commits(rendered: list) -> None:
    """The project's own envs are realistic multi-resource apps: convert of cdktf's JSON must give
    exactly synth's blocks, which test_terraform proves plan the same as that JSON."""
    from generator.hcl.document import convert
    from generator.hcl.schema import default_schemas
    from generator.render.project import load
    from generator.render.synth import synthesize

    documents = {doc.env: doc.document for doc in synthesize(load(ROOT), ROOT)}
    for env in rendered:
        synth_files = {name: text for name, text in env.files.items() if name.endswith(".tf") and name != "moved.tf"}
        converted = convert(documents[env.env], ["converted"], default_schemas())
        assert len(_blocks(synth_files)) >= 40
        assert _blocks(converted) == _blocks(synth_files), env.env
