"""The environments a change since a git base touches: `git diff` -> generator.changes.affected."""

from __future__ import annotations

import re
from pathlib import Path

from generator import runner
from generator.changes.affected import Affected, affected_envs, everything
from generator.errors import HclgenError, UsageError
from generator.render.project import env_names


def changed_paths(root: Path, base: str) -> list[str]:
    """Files that differ between `base` and HEAD (three-dot: since their merge base)."""
    out = runner.git_output(root, "diff", "--name-only", "--no-renames", f"{base}...HEAD")
    return [line for line in out.splitlines() if line.strip()]


def affected_since(root: Path, base: str | None) -> Affected:
    """The envs a change since `base` touches; every env when there is no base to compare."""
    names = env_names(root)
    if not base or base.strip("0") == "":
        return everything(names, "no base commit to compare with")
    try:
        runner.git_output(root, "cat-file", "-e", f"{base}^{{commit}}")
    except HclgenError:
        if re.fullmatch(r"[0-9a-f]{40}", base):  # e.g. the commit before a force-push, now gone
            return everything(names, f"base commit {base[:12]} is not in this clone's history")
        raise UsageError(f"unknown git ref '{base}' (fetch it, or pass another --base)") from None
    return affected_envs(changed_paths(root, base), names)
