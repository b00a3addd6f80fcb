"""Running checkov on an env folder now and at a base commit (through generator.runner)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from generator import runner
from generator.errors import HclgenError
from generator.paths import work_dir
from generator.review.policy.findings import EnvPolicy, Finding, compare, load_baseline, parse_findings

CHECKOV_TIMEOUT = 900.0


def run_checkov(executable: Path, directory: Path, env: str) -> list[Finding]:
    """checkov's failed terraform checks in one folder (no network: --skip-download)."""
    argv = [
        str(executable),
        "--directory",
        str(directory),
        "--framework",
        "terraform",
        "--output",
        "json",
        "--soft-fail",
        "--quiet",
        "--skip-download",
        "--compact",
    ]
    environ = {**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false"}
    result = runner.run_tool(argv, cwd=directory, env=environ, timeout=CHECKOV_TIMEOUT)
    try:
        report = json.loads(result.stdout) if result.stdout.strip() else {}
    except ValueError:
        report = None
    if result.code != 0 or report is None:
        tail = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise HclgenError(f"checkov failed on {directory} (exit {result.code}): {tail}")
    return parse_findings(report, env)


def base_copy(root: Path, env: str, base: str) -> Path | None:
    """environments/<env>/*.tf as they are at `base`, in .hclgen/policy/base/<env>/ (None: no such env there)."""
    folder = f"environments/{env}/"
    listed = runner.git_output(root, "ls-tree", "--name-only", base, folder)
    names = [Path(line).name for line in listed.splitlines() if line.endswith(".tf") or line.endswith(".tf.json")]
    target = work_dir(root) / "policy" / "base" / env
    shutil.rmtree(target, ignore_errors=True)
    if not names:
        return None
    target.mkdir(parents=True)
    for name in names:
        (target / name).write_text(runner.git_output(root, "show", f"{base}:{folder}{name}"))
    return target


def scan_env(root: Path, env: str, base: str, executable: Path) -> EnvPolicy:
    """Findings the env's current HCL has that `base` had not, and the other way round."""
    after = run_checkov(executable, root / "environments" / env, env)
    base_dir = base_copy(root, env, base)
    before = run_checkov(executable, base_dir, env) if base_dir is not None else []
    return compare(env, base, before, after, load_baseline(root, env))
