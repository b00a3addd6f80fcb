"""policy: the checkov findings a change introduces or fixes, per env, for the plan comment."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from generator.errors import HclgenError, UsageError

if TYPE_CHECKING:
    from generator.review.policy import EnvPolicy, PolicyReport


def policy_dir(root: Path) -> Path:
    from generator.paths import work_dir

    return work_dir(root) / "policy"


def load_policy(envs: list[str]) -> PolicyReport:
    """The saved findings of these envs (.hclgen/policy/<env>.json), or how to get them."""
    from generator.paths import project_root
    from generator.review.policy import ENABLE_HINT, PolicyReport, from_json
    from generator.review.toolvenv import find_checkov

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
    return PolicyReport(enable_hint="checkov is installed but was not run for these envs: run "
                                    "`python main.py policy ENV... --base origin/main` before `comment`.")


def _summary(result: EnvPolicy) -> list[str]:
    if result.error:
        return [f"{result.env}: checkov failed: {result.error}"]
    lines = [f"{result.env}: {len(result.introduced)} introduced, {len(result.fixed)} fixed since {result.base} "
             f"({result.unchanged} unchanged, {result.baselined} in the baseline)"]
    lines += [f"  + {f.check_id} {f.resource} ({f.file}:{f.line}): {f.check_name}" for f in result.introduced]
    lines += [f"  - {f.check_id} {f.resource} ({f.file}:{f.line}): {f.check_name}" for f in result.fixed]
    return lines


@click.command("policy")
@click.argument("envs", nargs=-1, metavar="[ENV]...")
@click.option("--base", default="origin/main", show_default=True, metavar="REF",
              help="Compare with the env's HCL at this commit.")
@click.option("--affected", is_flag=True, help="Only the envs the change since --base touches.")
@click.option("--install", is_flag=True, help="First install checkov into its own virtualenv (.hclgen/tools/checkov).")
def policy(envs: tuple[str, ...], base: str, affected: bool, install: bool) -> None:
    """Run checkov on each env now and at --base; save what the change introduces or fixes.

    Results go to .hclgen/policy/<env>.json, which `comment` shows. Findings listed in the
    committed .checkov.baseline are left out. checkov never goes into hclgen's own virtualenv.
    """
    from generator.commands.review import affected_since
    from generator.paths import project_root
    from generator.project import load
    from generator.review.checkov import scan_env
    from generator.review.policy import ENABLE_HINT, EnvPolicy, to_json
    from generator.review.toolvenv import find_checkov, install_checkov

    root = project_root()
    executable = install_checkov(root) if install else find_checkov(root)
    if executable is None:
        raise UsageError(ENABLE_HINT)
    if affected and envs:
        raise UsageError("pass env names or --affected, not both")
    names = list(affected_since(root, base).envs) if affected else [item.env.name for item in load(root, list(envs))]
    target = policy_dir(root)
    target.mkdir(parents=True, exist_ok=True)
    for name in names:
        try:
            result = scan_env(root, name, base, executable)
        except HclgenError as err:
            result = EnvPolicy(env=name, base=base, error=str(err))
        (target / f"{name}.json").write_text(to_json(result))
        click.echo("\n".join(_summary(result)))


COMMANDS: list[click.Command] = [policy]
