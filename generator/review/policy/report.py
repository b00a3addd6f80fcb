"""Saved checkov findings per env (.hclgen/policy/<env>.json) for the comment, and their summary."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path

from generator.errors import UsageError
from generator.review.policy.findings import EnvPolicy, PolicyReport


def policy_dir(root: Path) -> Path:
    from generator.paths import work_dir

    return work_dir(root) / "policy"


def load_policy(envs: list[str]) -> PolicyReport:
    """The saved findings of these envs (.hclgen/policy/<env>.json), or how to get them."""
    from generator.paths import project_root
    from generator.review.policy.findings import ENABLE_HINT, PolicyReport, from_json
    from generator.review.policy.toolvenv import find_checkov

    try:
        root = project_root()
    except UsageError:
        return PolicyReport(enable_hint=ENABLE_HINT)
    found = []
    for env in envs:
        path = policy_dir(root) / f"{env}.json"
        if path.is_file():
            try:
                found.append(from_json(json.loads(path.read_text(encoding="utf-8"))))
            except (OSError, ValueError, KeyError, TypeError):
                continue
    if found or not envs:
        return PolicyReport(envs=tuple(found))
    if find_checkov(root) is None:
        return PolicyReport(enable_hint=ENABLE_HINT)
    return PolicyReport(
        enable_hint="checkov is installed but was not run for these envs: run "
        "`python main.py policy ENV... --base origin/main` before `comment`."
    )


def summary_lines(result: EnvPolicy) -> list[str]:
    if result.error:
        return [f"{result.env}: checkov failed: {result.error}"]
    lines = [
        f"{result.env}: {len(result.introduced)} introduced, {len(result.fixed)} fixed since {result.base} "
        f"({result.unchanged} unchanged, {result.baselined} in the baseline)"
    ]
    lines += [f"  + {f.check_id} {f.resource} ({f.file}:{f.line}): {f.check_name}" for f in result.introduced]
    lines += [f"  - {f.check_id} {f.resource} ({f.file}:{f.line}): {f.check_name}" for f in result.fixed]
    return lines


def scan_envs(root: Path, envs: Sequence[str], base: str, *, affected: bool, install: bool) -> Iterator[EnvPolicy]:
    """`policy`: checkov (installed first with `install`) on the named envs, or those the change
    since `base` touches; each env's result is saved, then yielded."""
    from generator.changes.changed import affected_since
    from generator.render.project import load
    from generator.review.policy.findings import ENABLE_HINT
    from generator.review.policy.toolvenv import find_checkov, install_checkov

    executable = install_checkov(root) if install else find_checkov(root)
    if executable is None:
        raise UsageError(ENABLE_HINT)
    if affected and envs:
        raise UsageError("pass env names or --affected, not both")
    names = list(affected_since(root, base).envs) if affected else [item.env.name for item in load(root, list(envs))]
    for name in names:
        yield scan_and_save(root, name, base, executable)


def scan_and_save(root: Path, env: str, base: str, executable: Path) -> EnvPolicy:
    """Run checkov on the env now and at `base`; save what the change introduces or fixes."""
    from generator.errors import HclgenError
    from generator.review.policy.checkov import scan_env
    from generator.review.policy.findings import to_json

    try:
        result = scan_env(root, env, base, executable)
    except HclgenError as err:
        result = EnvPolicy(env=env, base=base, error=str(err))
    target = policy_dir(root)
    target.mkdir(parents=True, exist_ok=True)
    (target / f"{env}.json").write_text(to_json(result))
    return result
