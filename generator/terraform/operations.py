"""init, plan, apply, output and unlock for environments: the logic behind the commands.

apply always applies the plan file it has just shown, never a fresh plan. Several environments
at once (`plan --all` / `--affected`) are planned by generator.terraform.multiplan.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import click

from generator.environment import Environment
from generator.errors import HclgenError, RefusedError
from generator.localaws import server as local_aws
from generator.plan import files as planfiles
from generator.plan import model, planjson, summary
from generator.program import command
from generator.render.project import load
from generator.terraform import rails, runlock, tflog, workspace
from generator.terraform.workspace import Workspace

APPLY_OVERRIDE_FLAG = "--override-branch-check"


ERRORED_STATE = "errored.tfstate"


def open_workspace(
    root: Path, name: str, *, local: bool, log_as: str | None = None, errored_ok: bool = False
) -> Workspace:
    """The env's workspace; with local, the local AWS is started if needed and its state
    bucket bootstrapped. log_as (the command): terraform's output goes to a log file instead.

    Refuses while environments/ENV/errored.tfstate exists (errored_ok: the commands that recover):
    the backend then lacks what the last apply created, and a plan against it would create it all again."""
    loaded = load(root, [name])[0]
    if not errored_ok:
        check_errored_state(root, loaded.root, name, local)
    log = tflog.start(root, name, log_as) if log_as else None
    if not local:
        return Workspace(root, loaded, log=log)
    server, started = local_aws.ensure(root)
    if started:
        click.echo(
            f"started local AWS at {server.endpoint} (pid {server.pid}); `{command('local', 'down')}` stops it",
            err=True,
        )
    _ensure_local_state_bucket(root, loaded.env, server)
    return Workspace(root, loaded, server, log=log)


def check_errored_state(root: Path, tf_root: Path, name: str, local: bool) -> None:
    errored = tf_root / ERRORED_STATE
    if errored.exists():
        flag = " --local" if local else ""
        raise RefusedError(
            f"{_shown(root, errored)} holds the state an interrupted apply could not save to the "
            f"backend; nothing runs against {name} until it is pushed: `{command('state-push', name)}"
            f"{flag}` (terraform state push {ERRORED_STATE}), then plan again"
        )


def state_push(root: Path, name: str, *, local: bool) -> int:
    """`terraform state push errored.tfstate`, then keep the file as .hclgen/recovered/ENV-TIME.tfstate."""
    import time

    from generator.paths import work_dir

    ws = open_workspace(root, name, local=local, errored_ok=True)
    errored = ws.tf_root / ERRORED_STATE
    if not errored.is_file():
        raise HclgenError(f"{_shown(root, errored)} does not exist: there is no unsaved state to push")
    with runlock.hold(root, [name], f"state-push {name}"):
        workspace.init(ws)
        ws.run("state", "push", ERRORED_STATE)
        kept = work_dir(root) / "recovered" / f"{name}-{time.strftime('%Y%m%dT%H%M%S')}.tfstate"
        kept.parent.mkdir(parents=True, exist_ok=True)
        os.replace(errored, kept)
    click.echo(f"{name}: pushed {ERRORED_STATE} to the state backend (kept as {_shown(root, kept)}); plan again")
    return 0


def _ensure_local_state_bucket(root: Path, env: Environment, server: local_aws.Server) -> None:
    """Create/verify the env's state bucket on the local AWS, once per server process: importing
    boto3 and checking the bucket's settings cost more than half a second on every local command."""
    stamp = local_aws.local_dir(root) / f"state-bucket-{env.name}.done"
    done_for = f"{server.pid} {server.endpoint} {env.backend.bucket}\n"
    if stamp.is_file() and stamp.read_text() == done_for:
        return
    from generator.terraform import statebucket

    s3 = statebucket.s3_client(env.region, local_aws.client_settings(server, env.region))
    report = statebucket.ensure_state_bucket(s3, env.backend)
    if report and report[0].startswith("created"):
        click.echo(f"local AWS: {report[0]}", err=True)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(done_for)


@dataclass(frozen=True)
class PlanOutcome:
    code: int  # terraform's: 0 no changes (or success), 2 changes with -detailed-exitcode
    plan: model.EnvPlan
    saved: planfiles.SavedPlan


def plan(
    ws: Workspace, *, detailed_exitcode: bool = False, destroy: bool = False, stale: list[str] | None = None
) -> PlanOutcome:
    """terraform plan into this run's own file, published with its JSON; prints the summary.

    outcome.saved.private_file stays for apply_saved() to apply (the caller discards it)."""
    workspace.init(ws)
    saved = planfiles.SavedPlan.for_run(ws.plan_dir)
    if ws.log is not None:
        click.echo(f"{ws.name}: terraform plan{' -destroy' if destroy else ''}", err=True)
    try:
        args = ["plan", "-input=false", f"-out={saved.private_file}", "-detailed-exitcode"]
        result = ws.run(*args, *(["-destroy"] if destroy else []), ok=(0, 2))
        shown = ws.run("show", "-json", str(saved.private_file), echo_stdout=False)
        text = planfiles.plan_text(result.stdout)  # plan printed it: no second `show` (provider load)
        if text is None:
            shown_text = ws.run("show", "-no-color", str(saved.private_file), ok=None, echo_stdout=False)
            text = shown_text.stdout if shown_text.code == 0 else None
        planned = model.env_plan(ws.name, planjson.parse(shown.stdout))  # not understood: no apply
    except HclgenError:
        saved.discard_private()  # published files stay: they may be another run's
        raise
    meta = planfiles.PlanMeta(
        env=ws.name,
        local=ws.local,
        destroy=destroy,
        has_changes=planned.has_changes,
        plan_id=saved.private_file.name,
        stale=list(stale or []),
    )
    saved.publish(shown.stdout, text, meta)
    click.echo("\n".join(summary.lines(planned)))
    click.echo(
        f"{ws.name}: plan saved in {_shown(ws.root, saved.folder)}/ ({planfiles.PLAN_FILE}, "
        f"{planfiles.PLAN_TEXT}, {planfiles.PLAN_JSON})",
        err=True,
    )
    if stale:
        rails.warn(stale_warning(ws.name, stale))
    return PlanOutcome(result.code if detailed_exitcode else 0, planned, saved)


def stale_warning(env: str, stale: list[str]) -> str:
    shown = ", ".join(stale[:5]) + (f" and {len(stale) - 5} more" if len(stale) > 5 else "")
    return (
        f"WARNING: {env}: this plan is of committed HCL that is NOT what the Python renders ({shown}); "
        f"run `{command('synth')}` and review; apply refuses until then"
    )


def _shown(root: Path, path: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def apply(
    root: Path,
    name: str,
    *,
    local: bool,
    auto_approve: bool,
    override_branch: bool = False,
    allow_stateful: bool = False,
    verify: Callable[[model.EnvPlan], None] | None = None,
    verbose: bool = True,
) -> int:
    """`verify` (apply --verify-reviewed) sees the fresh plan before anything is applied and raises to stop."""
    rails.require_terminal(auto_approve, "apply")
    with runlock.hold(root, [name], f"apply {name}"):
        from generator.terraform.pending import check_no_pending

        check_no_pending(root, name, " --local" if local else "")
        rails.check_synced(root, [name])
        rails.check_branch(root, name, override=override_branch, flag=APPLY_OVERRIDE_FLAG)
        ws = open_workspace(root, name, local=local, log_as=None if verbose else "apply")
        return plan_then_apply(
            ws,
            destroy=False,
            nothing="no changes; nothing to apply",
            confirm=None if auto_approve else lambda: rails.confirm_apply(name),
            cancelled="apply cancelled; nothing was changed",
            allow_stateful=allow_stateful,
            verify=verify,
        )


def plan_then_apply(
    ws: Workspace,
    *,
    destroy: bool,
    nothing: str,
    confirm: Callable[[], bool] | None,
    cancelled: str,
    before_apply: Callable[[], None] | None = None,
    allow_stateful: bool | None = None,
    verify: Callable[[model.EnvPlan], None] | None = None,
) -> int:
    """The skeleton of apply and destroy: plan, stop when there is nothing to do, confirm
    (None: already approved), apply exactly that plan file, and always drop the private file.
    allow_stateful None skips the stateful check (destroy has its own confirmations)."""
    outcome = plan(ws, destroy=destroy)
    try:
        if not outcome.plan.has_changes:
            click.echo(f"{ws.name}: {nothing}")
            return 0
        if verify is not None:
            verify(outcome.plan)
        if allow_stateful is not None:
            risky = [(c.address, str(c.action)) for c in outcome.plan.destructive if c.stateful]
            rails.check_stateful(ws.name, risky, allowed=allow_stateful, flag=rails.STATEFUL_FLAG)
        if confirm is not None and not confirm():
            raise HclgenError(cancelled)
        if before_apply is not None:
            before_apply()
        return apply_saved(ws, outcome.saved, outcome.plan)
    finally:
        outcome.saved.discard_private()


def apply_saved(ws: Workspace, saved: planfiles.SavedPlan, planned: model.EnvPlan | None = None) -> int:
    """Apply exactly this run's plan file (terraform refuses it if the state moved since)."""
    progress = None
    if ws.log is not None and planned is not None:
        counts = planned.counts
        progress = tflog.Progress(ws.name, "apply", counts.add + counts.change + counts.destroy + 2 * counts.replace)
        click.echo(f"{ws.name}: terraform apply ({progress.total} resource operations)", err=True)
    result = ws.run("apply", "-input=false", str(saved.private_file), watch=progress)
    final = tflog.final_line(result.stdout) if ws.log is not None else None
    if final:
        click.echo(f"{ws.name}: {final}")
    meta = saved.read_meta()
    if meta is not None and meta.plan_id == saved.private_file.name:  # still this run's published plan
        saved.write_meta(replace(meta, applied=True))
    return 0


def output(root: Path, name: str, *, local: bool, as_json: bool, output_name: str | None = None) -> int:
    ws = open_workspace(root, name, local=local)
    workspace.init(ws)
    args = ["output", *(["-json"] if as_json else []), *([output_name] if output_name else [])]
    result = ws.run(*args)
    if "No outputs found" in result.stdout + result.stderr or (
        as_json and not output_name and result.stdout.strip() == "{}"
    ):
        raise HclgenError(
            f"{name} has no outputs: it was never applied, or it was destroyed (`{command('apply', name)}`)"
        )
    return 0


def init(root: Path, name: str, *, local: bool, upgrade: bool = False) -> int:
    ws = open_workspace(root, name, local=local)
    workspace.init(ws, upgrade=upgrade, force=True)
    return 0


def _no_color() -> list[str]:
    """force-unlock and untaint ignore TF_CLI_ARGS_<cmd> colour settings: pass the flag itself."""
    return [] if sys.stdout.isatty() else ["-no-color"]


def untaint(root: Path, name: str, address: str, *, local: bool) -> int:
    ws = open_workspace(root, name, local=local)
    workspace.init(ws)
    ws.run("untaint", *_no_color(), address)
    return 0


def unlock(root: Path, name: str, lock_id: str, *, local: bool) -> int:
    ws = open_workspace(root, name, local=local, errored_ok=True)  # state-push may need the lock released
    workspace.init(ws)
    ws.run("force-unlock", "-force", *_no_color(), lock_id)
    return 0
