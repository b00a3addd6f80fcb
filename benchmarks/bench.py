"""Speed and memory figures of hclgen, printed (targets are read by eye, never asserted).

    python benchmarks/bench.py               # every figure, 5 counted runs each (about 10 minutes)
    python benchmarks/bench.py --runs 7      # more runs
    python benchmarks/bench.py --only plan   # one section: synth, phases, scale, ci, plan
    python benchmarks/bench.py --source DIR  # measure another checkout (e.g. a merge candidate)
    python benchmarks/bench.py --all         # plus the local E2E apply and the 5,000-resource comment

Every measurement runs in a throwaway copy of the project; the checkout is never touched.
Each figure is the median of n >= 5 whole-process runs with its range (min-max); two commands
compared run interleaved (A, B, A, B ...) and their ratio is the median of the per-pair ratios.
benchmarks/README.md explains each figure.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks import measure  # noqa: E402
from scripts.projectcopy import copy_project  # noqa: E402

# The naive cdktf app: `from cdktf_cdktf_provider_aws import ...` runs the package __init__, which
# imports every one of its ~1,500 resource modules. Same synth otherwise.
EAGER = "import cdktf_cdktf_provider_aws"
SCALE_SIZES = (2, 4, 8, 16)
RENDER_LOG = "HCLGEN_RENDER_LOG"
_SOURCE_MAP_STEP = (
    "import sys; from pathlib import Path; from generator.render import pipeline, project; "
    "root = Path.cwd(); pipeline.ensure_sources(root, project.env_names(root))"
)


def synth_figures(project: Path, runs: int) -> None:
    """All envs rendered for real (--no-cache) against the naive app, then the cache-hit paths."""
    series = measure.interleaved(
        {
            "hclgen": lambda: measure.hclgen(project, "synth", "--no-cache"),
            "naive": lambda: measure.hclgen(project, "synth", "--no-cache", prelude=EAGER),
        },
        runs,
    )
    ours, naive = series["hclgen"], series["naive"]
    print(
        f"synth, all {len(_envs(project))} envs (real render):   {ours.spread()}   {_memory(ours)}"
        f"   (target <= {naive.median() / 4:.2f} s: a quarter of the naive app's median)"
    )
    print(f"naive cdktf (eager bindings):        {naive.spread()}   {_memory(naive)}   (the yardstick)")
    print(f"naive / hclgen:                       {measure.paired_ratio(naive, ours)}   (target >= 4x)")
    cached = measure.interleaved(
        {
            "check": lambda: measure.hclgen(project, "synth", "--check"),
            "synth": lambda: measure.hclgen(project, "synth"),
        },
        runs,
    )
    print(
        f"synth --check, nothing changed:      {cached['check'].spread()}   {_memory(cached['check'])}"
        "   (target <= 1 s, no node)"
    )
    print(
        f"synth, nothing changed:              {cached['synth'].spread()}   {_memory(cached['synth'])}"
        "   (target <= 1 s, no node)"
    )


def scale_figures(workdir: Path, source: Path, runs: int) -> None:
    """Per-env marginal cost: least-squares slope of the median render time over 2/4/8/16 envs."""
    projects = {size: _project_with_envs(workdir / f"scale{size}", source, size) for size in SCALE_SIZES}
    series = measure.interleaved(
        {str(size): (lambda p=project: measure.hclgen(p, "synth", "--no-cache")) for size, project in projects.items()},
        runs,
    )
    for size in SCALE_SIZES:
        print(f"synth, {size:2d} envs:                     {series[str(size)].spread()}   {_memory(series[str(size)])}")
    cost, fixed = measure.slope([(size, series[str(size)].median()) for size in SCALE_SIZES])
    print(f"per-env marginal cost (fit):         {cost:6.2f} s/env, fixed {fixed:.2f} s   (target <= 0.3 s/env)")


def phase_figures(source: Path, runs: int) -> None:
    """Where the fixed cost goes (benchmarks/synth_phases.py): each phase of one render, timed in-process."""
    from benchmarks import synth_phases

    print("synth phases (serial; the real synth overlaps node's loading with reading the configs):")
    with tempfile.TemporaryDirectory(prefix="hclgen-phases-") as scratch:
        found = synth_phases.phases(copy_project(Path(scratch) / "project", source), runs)
    synth_phases.report(found)


def ci_figures(workdir: Path, source: Path) -> None:
    """Renders in a cold CI job (synth --check, then plan's source-map step), and in a second job
    that restored .hclgen/cache and .hclgen/sources as the workflow's actions/cache does."""
    counts = []
    first = copy_project(workdir / "job1", source)
    counts.append(_job_renders(first, workdir / "job1.renders"))
    second = copy_project(workdir / "job2", source)
    for part in ("cache", "sources"):
        shutil.copytree(first / ".hclgen" / part, second / ".hclgen" / part)
    counts.append(_job_renders(second, workdir / "job2.renders"))
    print(f"renders in a cold CI job:            {counts[0]:6d}     (target 1)")
    print(f"renders in a job with restored cache:{counts[1]:6d}     (target 0)")


def _job_renders(project: Path, log: Path) -> int:
    measure.hclgen(project, "synth", "--check", **{RENDER_LOG: str(log)})
    measure.run(
        [sys.executable, "-c", _SOURCE_MAP_STEP], cwd=project, env=measure.python_env(project, **{RENDER_LOG: str(log)})
    )
    return len(log.read_text().splitlines()) if log.exists() else 0


def plan_figures(project: Path, runs: int) -> None:
    """`plan dev --local` against the bare `terraform plan -out` + `terraform show -json` a user
    would run in the same initialised folder, against the same local AWS."""
    os.environ.setdefault("HCLGEN_PLUGIN_MIRROR", "/opt/tf-plugins")  # this machine's mirror, unless set
    try:
        measure.hclgen(project, "plan", "dev", "--local")  # starts the local AWS, inits, renders maps
        bare_env, tf_root = _terraform_env(project)
        planfile = project / ".hclgen" / "bare.tfplan"
        bare = [
            "sh",
            "-c",
            f'terraform plan -input=false -out="{planfile}" >/dev/null && terraform show -json "{planfile}" >/dev/null',
        ]
        series = measure.interleaved(
            {
                "hclgen": lambda: measure.hclgen(project, "plan", "dev", "--local"),
                "bare": lambda: measure.run(bare, cwd=tf_root, env=bare_env),
            },
            runs,
        )
    finally:
        subprocess.run(
            [sys.executable, "main.py", "local", "down"],
            cwd=project,
            env=measure.python_env(project),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
    print(f"plan dev --local:                    {series['hclgen'].spread()}   {_memory(series['hclgen'])}")
    print(f"bare terraform plan -out + show -json:{series['bare'].spread()}")
    print(
        f"hclgen / bare:                        {measure.paired_ratio(series['hclgen'], series['bare'])}"
        "   (target <= 1.15x)"
    )


def _terraform_env(project: Path) -> tuple[dict[str, str], Path]:
    """The process environment and folder hclgen runs terraform with for dev --local."""
    code = (
        "import json; from pathlib import Path; from generator.terraform import operations; "
        "ws = operations.open_workspace(Path.cwd(), 'dev', local=True); "
        "print(json.dumps({'env': ws.environ(), 'root': str(ws.tf_root)}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=project,
        env=measure.python_env(project),
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(done.stdout.splitlines()[-1])
    return found["env"], Path(found["root"])


def _memory(series: measure.Series) -> str:
    peak = series.peak()
    return f"peak RSS {peak.peak_mib:5.0f} MiB (node {peak.node_mib:.0f})"


def _envs(project: Path) -> list[str]:
    return sorted(p.parent.name for p in (project / "environments").glob("*/config.py"))


def _project_with_envs(target: Path, source: Path, size: int) -> Path:
    """A project copy with `size` envs: its own, plus copies of dev's config under new names."""
    project = copy_project(target, source)
    config = (project / "environments" / "dev" / "config.py").read_text()
    for index in range(size - len(_envs(project))):
        name = f"extra{index}"
        (project / "environments" / name).mkdir()
        (project / "environments" / name / "config.py").write_text(config.replace('name="dev"', f'name="{name}"'))
    return project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="counted runs per figure (at least 5)")
    parser.add_argument(
        "--only",
        choices=("synth", "phases", "scale", "ci", "plan"),
        action="append",
        help="run only these sections (repeatable)",
    )
    parser.add_argument("--source", type=Path, default=ROOT, help="the checkout to measure (default: this one)")
    parser.add_argument("--all", action="store_true", help="also time the local E2E apply and the big comment")
    args = parser.parse_args()
    if args.runs < 5:
        parser.error("--runs must be at least 5 (a median of fewer says little on a shared machine)")
    sections = args.only or ["synth", "phases", "scale", "ci", "plan"]
    print(
        f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}, Python {sys.version.split()[0]}; "
        f"n={args.runs} interleaved runs per figure, median (min-max)"
    )
    workdir = Path(tempfile.mkdtemp(prefix="hclgen-bench-"))
    try:
        project = copy_project(workdir / "project", args.source.resolve())
        if "synth" in sections:
            synth_figures(project, args.runs)
        if "phases" in sections:
            phase_figures(args.source.resolve(), args.runs)
        if "scale" in sections:
            scale_figures(workdir, args.source.resolve(), args.runs)
        if "ci" in sections:
            ci_figures(workdir, args.source.resolve())
        if "plan" in sections:
            plan_figures(project, args.runs)
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
