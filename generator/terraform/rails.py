"""Safety rails in front of apply and destroy.

HCLGEN_PROTECTED_ENVS: comma-separated environments that may change only from a clean
checkout of the release branch whose HEAD equals its upstream (default "prod"; set but empty:
nothing is protected, warned on every run). HCLGEN_PROTECTED_BRANCH: that branch (default "main").
Replacing or destroying a stateful resource in an apply needs --allow-stateful-replace.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from generator import runner
from generator.errors import HclgenError, RefusedError
from generator.program import command

PROTECTED_ENVS_VAR = "HCLGEN_PROTECTED_ENVS"
PROTECTED_BRANCH_VAR = "HCLGEN_PROTECTED_BRANCH"
STATEFUL_FLAG = "--allow-stateful-replace"


def protected_envs() -> frozenset[str]:
    raw = os.environ.get(PROTECTED_ENVS_VAR)
    if raw is None:
        return frozenset({"prod"})
    return frozenset(name.strip() for name in raw.split(",") if name.strip())


def protected_branch() -> str:
    return os.environ.get(PROTECTED_BRANCH_VAR) or "main"


def is_protected(env: str) -> bool:
    return env in protected_envs()


def check_synced(root: Path, names: list[str]) -> None:
    """Refuse when the committed HCL is not what the Python renders."""
    from generator.render.pipeline import stale_paths

    stale = stale_paths(root, names)
    if stale:
        shown = ", ".join(stale[:5]) + (f" and {len(stale) - 5} more" if len(stale) > 5 else "")
        raise RefusedError(
            f"the committed HCL is not what the Python renders ({shown}); "
            f"run `{command('synth')}`, review and commit, then retry"
        )


def check_branch(root: Path, env: str, *, override: bool, flag: str) -> None:
    """For a protected env: refuse unless on the release branch with a clean work tree."""
    if not is_protected(env):
        return
    problem = _branch_problem(root)
    if problem is None:
        return
    if not override:
        raise RefusedError(
            f"{env} is protected: {problem}; switch to a clean `{protected_branch()}` "
            f"checkout, or pass {flag} if you really must"
        )
    shout(f"!!! {flag}: changing protected environment {env} although {problem} !!!")


def _branch_problem(root: Path) -> str | None:
    wanted = protected_branch()
    try:
        dirty = runner.git_output(root, "status", "--porcelain").splitlines()
    except HclgenError as err:
        return f"the checkout state cannot be verified ({err})"
    try:
        branch = runner.git_output(root, "symbolic-ref", "--quiet", "--short", "HEAD").strip()
    except HclgenError:
        return f"the checkout is a detached HEAD, not branch '{wanted}'"
    if branch != wanted:
        return f"the checkout is on branch '{branch}', not '{wanted}'"
    if dirty:
        files = ", ".join(line[3:] for line in dirty[:3]) + (" ..." if len(dirty) > 3 else "")
        return f"the work tree has uncommitted changes ({files})"
    return _upstream_problem(root, wanted)


def _upstream_problem(root: Path, branch: str) -> str | None:
    """HEAD must equal the remote branch it tracks: an unpushed (or unpulled) main is not main."""
    try:
        upstream = runner.git_output(root, "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}").strip()
    except HclgenError:
        return (
            f"branch '{branch}' has no upstream, so whether it matches the remote cannot be checked "
            f"(`git branch -u origin/{branch}`)"
        )
    try:
        head = runner.git_output(root, "rev-parse", "HEAD").strip()
        remote = runner.git_output(root, "rev-parse", "@{u}").strip()
    except HclgenError as err:
        return f"the remote branch cannot be compared ({err})"
    if head != remote:
        return (
            f"HEAD {head[:8]} is not {upstream} {remote[:8]} (as last fetched): push or pull, "
            "so what is applied is what is reviewed"
        )
    return None


def warn_if_unprotected() -> None:
    """An empty HCLGEN_PROTECTED_ENVS turns every rail off: say so on every run."""
    raw = os.environ.get(PROTECTED_ENVS_VAR)
    if raw is not None and not protected_envs():
        warn(f"warning: {PROTECTED_ENVS_VAR} is set but empty: no environment is protected (unset it to protect prod)")


def stale_by_env(root: Path, names: list[str]) -> dict[str, list[str]]:
    """env -> its committed files that differ from what the Python renders (only stale envs)."""
    from generator.render.pipeline import stale_paths

    out: dict[str, list[str]] = {}
    for path in stale_paths(root, names):
        parts = Path(path).parts
        env = parts[1] if len(parts) > 2 and parts[0] == "environments" else None
        for name in [env] if env in names else names:
            out.setdefault(name, []).append(path)
    return out


def check_stateful(env: str, changes: list[tuple[str, str]], *, allowed: bool, flag: str) -> None:
    """Refuse replacing/destroying stateful resources (databases, buckets...) without `flag`."""
    if not changes:
        return
    named = ", ".join(f"{address} ({action})" for address, action in changes)
    if allowed:
        shout(f"!!! {flag}: {env}: {named} - their data goes !!!")
        return
    first = changes[0][0]
    raise RefusedError(
        f"{env}: the plan would {named}, losing their data; pass {flag} if you mean it "
        f"(--auto-approve is not enough), or if it is only tainted: "
        f"`{command('untaint', env, first)}`"
    )


def has_terminal() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except ValueError:  # stdin closed
        return False


def require_terminal(auto_approve: bool, command: str) -> None:
    """Fail before any work when a confirmation would be needed but nobody can answer it."""
    if not auto_approve and not has_terminal():
        raise RefusedError(f"{command} needs a confirmation and there is no terminal to ask; in CI pass --auto-approve")


def confirm_apply(env: str) -> bool:
    return click.confirm(f"Apply these changes to {env}?", default=False, err=True)


def confirm_destroy(env: str) -> bool:
    typed = click.prompt(
        f"Type the environment name ({env}) to destroy everything in it", default="", show_default=False, err=True
    )
    return str(typed).strip() == env


def warn(message: str) -> None:
    click.secho(message, fg="yellow", bold=True, err=True)


def shout(message: str) -> None:
    click.secho(message, fg="red", bold=True, err=True)
