"""Two renders in fresh interpreters with different hash seeds give identical bytes."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

from generator.render.workflows import MARK
from generator.render.writer import generated_files
from scripts.projectcopy import env_names
from tests.conftest import ROOT

SCRIPT = """
import hashlib, json
from pathlib import Path
from generator.render import pipeline
out = {}
root = Path('.').resolve()
rendered = pipeline.render(root)
for item in rendered:
    for name, text in item.files.items():
        out[f"{item.env}/{name}"] = hashlib.sha256(text.encode()).hexdigest()
    out[f"{item.env}/sources"] = hashlib.sha256(json.dumps(item.sources, sort_keys=True).encode()).hexdigest()
for name, text in pipeline.workflow_files(root, rendered).items():
    out[f".github/workflows/{name}"] = hashlib.sha256(text.encode()).hexdigest()
print(json.dumps(out, sort_keys=True))
"""


def _render(seed: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_output_does_not_depend_on_hash_seed_or_process() -> None:
    first, second = _render("1"), _render("4242")
    # per env: its generated files and the source map; and the generated workflows (as committed)
    committed = {
        f"{env}/{path.name}" for env in env_names(ROOT) for path in generated_files(ROOT / "environments" / env)
    }
    committed |= {f"{env}/sources" for env in env_names(ROOT)}
    committed |= {
        f".github/workflows/{path.name}"
        for path in (ROOT / ".github" / "workflows").glob("*.yml")
        if MARK in path.read_text()
    }
    assert set(first) == committed
    assert first == second
    for key, digest in first.items():
        if key.endswith((".tf", ".md", ".yml")):
            committed = (ROOT / ("" if key.startswith(".github/") else "environments") / key).read_bytes()
            assert hashlib.sha256(committed).hexdigest() == digest, key
