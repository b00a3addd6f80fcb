"""Plan several environments: named, --all or --affected; in parallel, at most `jobs` at once."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import TypeVar

import click

from generator import runner
from generator.errors import ExitCode, HclgenError, UsageError
from generator.plan import files as planfiles
from generator.render.project import env_names
from generator.terraform import operations, rails, runlock
from generator.terraform.workspace import Workspace

DEFAULT_JOBS = 2
T = TypeVar("T")


def choose(root: Path, names: tuple[str, ...], *, all_envs: bool, affected: bool, base: str | None) -> list[str]:
    """The envs to plan, saying which were chosen and why (on stderr)."""
    if sum([bool(names), all_envs, affected]) != 1:
        raise UsageError("name the environments to plan, or pass exactly one of --all / --affected")
    if names:
        return list(names)
    if all_envs:
        chosen = env_names(root)
        click.echo(f"planning all environments: {', '.join(chosen)}", err=True)
        return chosen
    from generator.changes.changed import affected_since

    result = affected_since(root, base)
    for line in result.lines():
        click.echo(f"affected {line}", err=True)
    if not result.envs:
        click.echo("no environment is affected by this change: nothing to plan", err=True)
    return list(result.envs)


def plan_many(
    root: Path, names: list[str], *, local: bool, detailed_exitcode: bool, jobs: int, verbose: bool = True
) -> int:
    """Exit code 1 if any plan failed, else 2 if any has changes (with detailed_exitcode), else 0."""
    if not names:
        return 0
    with runlock.hold(root, names, f"plan {' '.join(names)}"):
        return _plan_locked(root, names, local=local, detailed_exitcode=detailed_exitcode, jobs=jobs, verbose=verbose)


def _plan_locked(
    root: Path, names: list[str], *, local: bool, detailed_exitcode: bool, jobs: int, verbose: bool
) -> int:
    stale = rails.stale_by_env(root, names)
    for name in names:
        if name in stale:
            rails.warn(operations.stale_warning(name, stale[name]))
    # Opened one by one: the first --local one starts the shared local AWS.
    workspaces = [
        operations.open_workspace(root, name, local=local, log_as=None if verbose else "plan") for name in names
    ]
    if len(names) == 1:
        return _plan_one(workspaces[0], detailed_exitcode, stale, loud=False)  # its error is the command's
    if jobs <= 1:
        return _overall([_plan_one(ws, detailed_exitcode, stale) for ws in workspaces])
    workspaces = [dataclasses.replace(ws, quiet=True) for ws in workspaces]
    click.echo(f"planning {len(names)} environments, {min(jobs, len(names))} at a time", err=True)
    codes = in_parallel(workspaces, lambda ws: _plan_one(ws, detailed_exitcode, stale), jobs=jobs)
    return _overall(list(codes.values()))


def in_parallel(workspaces: list[Workspace], work: Callable[[Workspace], T], *, jobs: int) -> dict[str, T]:
    """work(ws) for each workspace, at most `jobs` at once; env name -> result. Ctrl-C is passed
    to the running terraform processes, which stop cleanly, and no waiting env starts; once the
    running ones are done, KeyboardInterrupt is raised again (the command exits 130)."""
    results: dict[str, T] = {}
    interrupted = False
    with ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="plan") as pool:
        futures = {pool.submit(work, ws): ws.name for ws in workspaces}
        pending: set[Future[T]] = set(futures)
        while pending:
            try:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
            except KeyboardInterrupt:
                interrupted = True
                pending = {future for future in pending if not future.cancel()}
                count = runner.interrupt_running()
                click.echo(f"\ninterrupt passed to {count} running terraform process(es); waiting for them", err=True)
                continue
            for future in done:
                results[futures[future]] = future.result()
    if interrupted:  # even when no terraform ran at that instant: the Ctrl-C is not lost
        raise KeyboardInterrupt
    return {ws.name: results[ws.name] for ws in workspaces}


def _overall(codes: list[int]) -> int:
    """Interrupted (130) wins, then any failure (1), then changes (2)."""
    if ExitCode.INTERRUPTED in codes:
        return int(ExitCode.INTERRUPTED)
    return 1 if any(code not in (0, 2) for code in codes) else 2 if 2 in codes else 0


def _plan_one(ws: Workspace, detailed_exitcode: bool, stale: dict[str, list[str]], *, loud: bool = True) -> int:
    """One env's plan; a failure is recorded beside the plans so the PR comment can say so."""
    try:
        outcome = operations.plan(ws, detailed_exitcode=detailed_exitcode, stale=stale.get(ws.name))
    except HclgenError as err:
        planfiles.SavedPlan.for_run(ws.plan_dir).publish_failure(ws.name, str(err))
        if not loud:
            raise
        click.secho(f"error: {ws.name}: {err}", fg="red", err=True)
        return int(ExitCode.INTERRUPTED) if err.exit_code == ExitCode.INTERRUPTED else 1
    outcome.saved.discard_private()
    return outcome.code
