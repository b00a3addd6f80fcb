"""Rewrite examples/<name>/ARCHITECTURE.md (the example goldens) from each example's config.

Examples are not environments of this project, so `synth` does not render them: each is copied
into a throwaway project copy and rendered there. Run after changing modules or the diagram engine.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.render import pipeline  # noqa: E402
from scripts.projectcopy import copy_project  # noqa: E402


def main() -> None:
    examples = sorted(p for p in (ROOT / "examples").iterdir() if (p / "config.py").exists())
    with tempfile.TemporaryDirectory(prefix="hclgen-examples-") as scratch:
        project = copy_project(Path(scratch) / "project")
        for example in examples:
            shutil.copytree(example, project / "environments" / example.name, ignore=shutil.ignore_patterns("*.md"))
        for item in pipeline.render(project, [e.name for e in examples]):
            target = ROOT / "examples" / item.env / "ARCHITECTURE.md"
            target.write_text(item.files["ARCHITECTURE.md"], encoding="utf-8")
            print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
