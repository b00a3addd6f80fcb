"""Wall time of the local end-to-end apply of dev (target <= 3 min on 2 cores).

    python benchmarks/local_e2e.py          # apply, then the no-change plan
    python benchmarks/local_e2e.py --destroy  # and the destroy

Runs in a throwaway copy of the project with its own local AWS, stopped at the end.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from scripts.projectcopy import copy_project  # noqa: E402

TARGET_SECONDS = 180.0


def _timed(project: Path, *args: str) -> tuple[float, int]:
    env = {**os.environ, "HCLGEN_ROOT": str(project)}
    env.setdefault("HCLGEN_PLUGIN_MIRROR", "/opt/tf-plugins")
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(project / "main.py"), *args],
        cwd=project,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    if proc.returncode not in (0, 2):
        print(proc.stderr[-2000:], file=sys.stderr)
    return time.perf_counter() - started, proc.returncode


def main(destroy: bool = False) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="hclgen-e2e-bench-"))
    project = copy_project(workdir / "project")
    try:
        up, _ = _timed(project, "local", "up")
        print(f"local AWS start:                 {up:6.2f} s")
        apply, code = _timed(project, "apply", "dev", "--local", "--auto-approve")
        verdict = "ok" if code == 0 and apply <= TARGET_SECONDS else "MISSED" if code == 0 else f"FAILED (exit {code})"
        print(f"local E2E apply of dev:          {apply:6.2f} s   (target <= {TARGET_SECONDS:.0f} s: {verdict})")
        plan, code = _timed(project, "plan", "dev", "--local", "--detailed-exitcode")
        print(f"second plan (no changes):        {plan:6.2f} s   (exit {code}, expected 0)")
        if destroy:
            gone, code = _timed(project, "destroy", "dev", "--local", "--auto-approve")
            print(f"destroy of dev:                  {gone:6.2f} s   (exit {code})")
    finally:
        _timed(project, "local", "down")
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--destroy", action="store_true", help="also time the destroy")
    main(destroy=parser.parse_args().destroy)
