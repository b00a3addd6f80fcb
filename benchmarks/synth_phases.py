"""Where synth's fixed cost goes: one fresh process per run, each phase timed in it, phases serial.

    python benchmarks/synth_phases.py [--runs N] [--source DIR]

Phases (serial, so each is its own cost; the real synth overlaps node's assembly loading with
reading the configs, so its wall time is less than the sum): Python start and the CLI's imports,
reading the configs, node start + loading the core and provider assemblies (jsii), composing the
stacks (constructs over jsii), emitting HCL, the diagram / moved-block passes, the workflows; beside
each phase, the CPU seconds python and jsii's node processes spent in it (steadier than wall time on
a busy machine) and, where it talks to node, its jsii round-trips (one IPC message and answer each).
Medians over n runs in a throwaway project copy (the checkout is never touched).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks import measure  # noqa: E402
from scripts.projectcopy import copy_project  # noqa: E402

# Runs inside the project copy; prints each phase's seconds and jsii round-trips. Mirrors pipeline.render.
_PHASES = r"""
import json, os, sys, time
TICK = os.sysconf("SC_CLK_TCK")
def cpu():  # CPU seconds of this process and its live children (jsii's node processes), from /proc
    total, pending = time.process_time(), [str(os.getpid())]
    while pending:
        pid = pending.pop()
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as children:
                    pending += children.read().split()
            if pid != str(os.getpid()):
                with open(f"/proc/{pid}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / TICK
        except OSError:
            continue
    return total
started, used = time.perf_counter(), cpu()
from pathlib import Path
t, c = {}, {}
PHASES = ["python start + CLI imports", "read configs", "node + jsii assemblies", "compose stacks (jsii)",
          "emit HCL", "diagram + moved passes", "workflows"]
def lap(name):
    global started, used, phase
    now, spent = time.perf_counter(), cpu()
    t[name], c[name] = now - started, spent - used
    started, used = now, spent
    phase = PHASES[min(PHASES.index(name) + 1, len(PHASES) - 1)]
sends = {}
phase = "python start + CLI imports"
import generator.cli
from generator.render import pipeline, project, movedfile, architecture, emit, envreads
from generator.render.synth import synthesize
lap("python start + CLI imports")
root = Path.cwd()
with envreads.recording(root):
    envs = project.load(root, [])
    lap("read configs")
    from jsii._kernel.providers import process as jsii_process  # node starts below: count from here
    def _counting(send):
        def counted(self, request, response_type):
            sends[phase] = sends.get(phase, 0) + 1  # one round-trip to node
            return send(self, request, response_type)
        return counted
    jsii_process._NodeProcess.send = _counting(jsii_process._NodeProcess.send)
    from generator import cdk
    if hasattr(cdk, "warm_up"):
        cdk.warm_up()
    else:  # a checkout from before the warm-up thread (--source)
        import importlib; cdk._load("cdktf", "App"); importlib.import_module("cdktf_cdktf_provider_aws._jsii")
    lap("node + jsii assemblies")
    docs = synthesize(envs, root)
    lap("compose stacks (jsii)")
files = [emit.emit(d) for d in docs]
lap("emit HCL")
for loaded, d in zip(envs, docs):
    sources = {pipeline._address(o.kind, o.type, o.name): o.source for o in d.origins}
    architecture.architecture_markdown(d, sources)
    movedfile.moved_tf(loaded.root, d, movedfile.declared_moves(d, loaded.env.moves))
lap("diagram + moved passes")
from generator.render import workflows
workflows.render({loaded.env.name: loaded.env.after for loaded in envs})
lap("workflows")
print(json.dumps({"seconds": t, "cpu": c, "round-trips": sends}))
"""


def phases(project: Path, runs: int) -> dict[str, list[float]]:
    """{phase: seconds of each run}; a phase's jsii round-trips to node (the same every run) under
    "<phase> round-trips"."""
    found: dict[str, list[float]] = {}
    for _ in range(runs + 1):  # the first is a warm-up (disk cache, bytecode)
        done = subprocess.run(
            [sys.executable, "-c", _PHASES],
            cwd=project,
            env=measure.python_env(project),
            capture_output=True,
            text=True,
            check=True,
        )
        measured = json.loads(done.stdout.splitlines()[-1])
        for name, seconds in measured["seconds"].items():
            found.setdefault(name, []).append(seconds)
        for name, count in measured["round-trips"].items():
            found.setdefault(f"{name} {ROUND_TRIPS}", []).append(count)
        for name, seconds in measured.get("cpu", {}).items():
            found.setdefault(f"{name} {CPU}", []).append(seconds)
    return {name: values[1:] for name, values in found.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--source", type=Path, default=ROOT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hclgen-phases-") as scratch:
        project = copy_project(Path(scratch) / "project", args.source.resolve())
        found = phases(project, args.runs)
    report(found)


ROUND_TRIPS = "round-trips"
CPU = "cpu"


def report(found: dict[str, list[float]]) -> None:
    """Per phase: wall seconds, CPU seconds of python + node (steadier than wall on a busy machine),
    jsii round-trips."""
    total, total_cpu, trips = 0.0, 0.0, 0
    for name, values in found.items():
        if name.endswith((ROUND_TRIPS, CPU)):
            continue
        median = statistics.median(values)
        spent = statistics.median(found.get(f"{name} {CPU}", [0.0]))
        count = int(statistics.median(found.get(f"{name} {ROUND_TRIPS}", [0])))
        total, total_cpu, trips = total + median, total_cpu + spent, trips + count
        calls = f"   {count:5d} jsii round-trips" if count else ""
        print(
            f"  {name:32s} {median:6.2f} s ({min(values):.2f}-{max(values):.2f}, n={len(values)})"
            f"   cpu {spent:5.2f} s{calls}"
        )
    summed = f"  {'sum of phases (serial)':32s} {total:6.2f} s{'':17s}"
    print(f"{summed}   cpu {total_cpu:5.2f} s   {trips:5d} jsii round-trips")


if __name__ == "__main__":
    main()
