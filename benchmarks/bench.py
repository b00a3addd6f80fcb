"""Speed and memory figures of hclgen, printed (targets are checked by eye, not asserted).

    python benchmarks/bench.py            # synth figures
    python benchmarks/bench.py --all      # plus the local E2E apply and the 5,000-resource comment

Runs every measurement in a throwaway copy of the project so the checkout is never touched.
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
from tests.projectcopy import copy_project  # noqa: E402

EAGER = "import cdktf_cdktf_provider_aws; from generator.cli import main; main(['synth'])"
LAZY = "from generator.cli import main; main(['synth'])"


def _tree_rss_kib(pid: int) -> int:
    """Resident memory of a process and all its descendants (the jsii Node process included)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total


def _run(project: Path, code: str, *args: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB, whole process tree) of one fresh interpreter running `code`."""
    env = {**os.environ, "HCLGEN_ROOT": str(project), "PYTHONHASHSEED": "0"}
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, *args], cwd=project, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss_kib(proc.pid))
        time.sleep(0.02)
    wall = time.perf_counter() - started
    if proc.returncode:
        raise SystemExit(f"benchmark run failed ({proc.returncode}): {code}")
    return wall, peak / 1024


def _best(project: Path, code: str, runs: int = 3) -> tuple[float, float]:
    results = [_run(project, code) for _ in range(runs)]
    return min(r[0] for r in results), max(r[1] for r in results)


def _add_envs(project: Path, count: int) -> None:
    source = (project / "environments" / "dev" / "config.py").read_text()
    for index in range(count):
        name = f"extra{index}"
        folder = project / "environments" / name
        folder.mkdir()
        (folder / "config.py").write_text(source.replace('name="dev"', f'name="{name}"'))


def synth_figures(workdir: Path) -> None:
    project = copy_project(workdir / "project")
    lazy, rss = _best(project, LAZY)
    eager, eager_rss = _best(project, EAGER, runs=1)
    print(f"synth (2 envs, lazy bindings):   {lazy:6.2f} s   peak RSS {rss:6.0f} MiB   (targets: RSS <= 1024 MiB)")
    print(f"synth after eager bindings:      {eager:6.2f} s   peak RSS {eager_rss:6.0f} MiB")
    print(f"eager / lazy ratio:              {eager / lazy:6.1f} x   (target >= 4x)")
    check_code = "from generator.cli import main; main(['synth', '--check'])"
    check, _ = _best(project, check_code, runs=5)
    print(f"synth --check, nothing changed:  {check:6.2f} s   (target <= 1 s; hash cache warm)")
    cold_code = "from generator.cli import main; main(['synth', '--check', '--no-cache'])"
    cold, _ = _best(project, cold_code, runs=1)
    print(f"synth --check --no-cache:        {cold:6.2f} s")
    extra = 4
    _add_envs(project, extra)
    more, more_rss = _best(project, LAZY)
    print(f"synth ({2 + extra} envs):                 {more:6.2f} s   peak RSS {more_rss:6.0f} MiB")
    print(f"marginal cost per extra env:     {(more - lazy) / extra:6.2f} s   (target <= 0.3 s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--all", action="store_true", help="also time the local E2E apply and the big comment")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    workdir = Path(tempfile.mkdtemp(prefix="hclgen-bench-"))
    try:
        synth_figures(workdir)
        if args.all:
            _extras()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _extras() -> None:
    for module, function in (("benchmarks.comment_bench", "main"), ("benchmarks.local_e2e", "main")):
        try:
            runner = getattr(__import__(module, fromlist=[function]), function)
        except (ImportError, AttributeError) as err:
            print(f"{module}: not available ({err})")
            continue
        runner()


if __name__ == "__main__":
    main()
