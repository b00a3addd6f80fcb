"""How bench.py measures: whole processes, paired and interleaved, medians with their range.

One run is one fresh process; its wall time is taken from outside and its memory is the peak of
the whole process tree's resident set (python and the jsii node child summed at the same sample).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

SAMPLE_SECONDS = 0.02


@dataclass(frozen=True)
class Run:
    wall: float  # seconds
    peak_mib: float  # python + node (+ any child) at the sample where their sum was highest
    node_mib: float  # the node part of that same sample


@dataclass
class Series:
    """Repeated runs of one command."""

    label: str
    runs: list[Run] = field(default_factory=list)

    @property
    def walls(self) -> list[float]:
        return [run.wall for run in self.runs]

    def median(self) -> float:
        return statistics.median(self.walls)

    def spread(self) -> str:
        """median and range, e.g. '6.12 s (5.90-6.80, n=5)'."""
        return f"{self.median():6.2f} s ({min(self.walls):.2f}-{max(self.walls):.2f}, n={len(self.runs)})"

    def peak(self) -> Run:
        return max(self.runs, key=lambda run: run.peak_mib)


def _tree_rss_kib(pid: int) -> dict[int, tuple[str, int]]:
    """pid -> (command name, resident KiB) for a process and all its descendants, read now."""
    found: dict[int, tuple[str, int]] = {}
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            fields_ = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
            rss = int(fields_.get("VmRSS", "0 kB").split()[0])
            found[current] = (fields_["Name"].strip(), rss)
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, KeyError, ValueError):
            continue
    return found


def run(argv: Sequence[str], *, cwd: Path, env: dict[str, str] | None = None) -> Run:
    """One whole-process run; raises SystemExit when the command fails."""
    started = time.perf_counter()
    proc = subprocess.Popen(list(argv), cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak, node = 0, 0
    while proc.poll() is None:
        tree = _tree_rss_kib(proc.pid)
        total = sum(rss for _, rss in tree.values())
        if total > peak:
            peak, node = total, sum(rss for name, rss in tree.values() if name.startswith("node"))
        time.sleep(SAMPLE_SECONDS)
    wall = time.perf_counter() - started
    error = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode not in (0, 2):  # 2: terraform's "there are changes"
        raise SystemExit(f"benchmark command failed ({proc.returncode}): {' '.join(argv)}\n{error[-2000:]}")
    return Run(wall, peak / 1024, node / 1024)


def interleaved(commands: dict[str, Callable[[], Run]], runs: int, warmup: int = 1) -> dict[str, Series]:
    """Each round runs every command once, in turn (A, B, A, B ...): a drift of the machine's speed
    hits all of them alike. Warm-up rounds are not counted."""
    series = {label: Series(label) for label in commands}
    for round_ in range(warmup + runs):
        for label, command in commands.items():
            result = command()
            if round_ >= warmup:
                series[label].runs.append(result)
    return series


def paired_ratio(a: Series, b: Series) -> str:
    """Median of the per-round ratios a/b, with their range."""
    ratios = [x / y for x, y in zip(a.walls, b.walls)]
    return f"{statistics.median(ratios):5.2f} x ({min(ratios):.2f}-{max(ratios):.2f})"


def slope(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Least-squares (slope, intercept) of y over x."""
    fit = statistics.linear_regression([x for x, _ in points], [y for _, y in points])
    return fit.slope, fit.intercept


def python_env(project: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "HCLGEN_ROOT": str(project), "PYTHONHASHSEED": "0", **extra}
    env.pop("HCLGEN_NO_CACHE", None)
    return env


def hclgen(project: Path, *args: str, prelude: str = "", **extra: str) -> Run:
    """`python main.py ARGS` in the project copy (prelude: python run first, in the same process)."""
    code = f"{prelude}\nfrom generator.cli import main\nmain({list(args)!r})"
    return run([sys.executable, "-c", code], cwd=project, env=python_env(project, **extra))
