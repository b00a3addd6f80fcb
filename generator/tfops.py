"""init, plan, apply, output and unlock for environments: the logic behind the commands.

apply always applies the plan file it has just shown, never a fresh plan. Several environments
at once (`plan --all` / `--affected`) are planned by generator.multiplan.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import click

from generator import local_aws, plans, rails, tfresult, workspace
from generator.errors import HclgenError
from generator.project import load
from generator.workspace import Workspace

APPLY_OVERRIDE_FLAG = "--override-branch-check"


def open_workspace(root: Path, name: str, *, local: bool) -> Workspace:
    """The env's workspace; with local, the local AWS is started if needed and its state
    bucket bootstrapped."""
    loaded = load(root, [name])[0]
    if not local:
        return Workspace(root, loaded)
    server, started = local_aws.ensure(root)
    if started:
        click.echo(f"started local AWS at {server.endpoint} (pid {server.pid}); "
                   "`python main.py local down` stops it", err=True)
    from generator import bootstrap

    s3 = bootstrap.s3_client(loaded.env.region, local_aws.client_settings(server, loaded.env.region))
    report = bootstrap.ensure_state_bucket(s3, loaded.env.backend)
    if report and report[0].startswith("created"):
        click.echo(f"local AWS: {report[0]}", err=True)
    return Workspace(root, loaded, server)


@dataclass(frozen=True)
class PlanOutcome:
    code: int  # terraform's: 0 no changes (or success), 2 changes with -detailed-exitcode
    summary: plans.Summary
    saved: plans.SavedPlan


def plan(ws: Workspace, *, detailed_exitcode: bool = False, destroy: bool = False) -> PlanOutcome:
    """terraform plan into this run's own file, published with its JSON; prints the summary.

    outcome.saved.private_file stays for apply_saved() to apply (the caller discards it)."""
    workspace.init(ws)
    saved = plans.SavedPlan.for_run(ws.plan_dir)
    try:
        args = ["plan", "-input=false", f"-out={saved.private_file}", "-detailed-exitcode"]
        result = ws.run(*args, *(["-destroy"] if destroy else []))
        tfresult.check(result, env=ws.name, what="plan", local_flag=ws.local_flag(), ok=(0, 2))
        shown = ws.run("show", "-json", str(saved.private_file), echo_stdout=False)
        tfresult.check(shown, env=ws.name, what="show", local_flag=ws.local_flag())
        text = ws.run("show", "-no-color", str(saved.private_file), echo_stdout=False)
    except HclgenError:
        saved.discard_private()  # published files stay: they may be another run's
        raise
    summary = plans.summarize(json.loads(shown.stdout))
    saved.publish(shown.stdout, text.stdout if text.code == 0 else None, env=ws.name, local=ws.local,
                  destroy=destroy, has_changes=summary.has_changes, plan_file=plans.PLAN_FILE,
                  plan_json=plans.PLAN_JSON, plan_id=saved.private_file.name, applied=False)
    click.echo("\n".join(summary.lines(ws.name)))
    return PlanOutcome(result.code if detailed_exitcode else 0, summary, saved)


def apply(root: Path, name: str, *, local: bool, auto_approve: bool, override_branch: bool = False) -> int:
    rails.require_terminal(auto_approve, "apply")
    rails.check_synced(root, [name])
    rails.check_branch(root, name, override=override_branch, flag=APPLY_OVERRIDE_FLAG)
    ws = open_workspace(root, name, local=local)
    outcome = plan(ws)
    try:
        if not outcome.summary.has_changes:
            click.echo(f"{name}: no changes; nothing to apply")
            return 0
        if not auto_approve and not rails.confirm_apply(name):
            raise HclgenError("apply cancelled; nothing was changed")
        return apply_saved(ws, outcome.saved)
    finally:
        outcome.saved.discard_private()


def apply_saved(ws: Workspace, saved: plans.SavedPlan) -> int:
    """Apply exactly this run's plan file (terraform refuses it if the state moved since)."""
    result = ws.run("apply", "-input=false", str(saved.private_file))
    tfresult.check(result, env=ws.name, what="apply", local_flag=ws.local_flag())
    if saved.meta_file.is_file():
        meta = saved.read_meta()
        if meta.get("plan_id") == saved.private_file.name:  # still this run's published plan
            saved.write_meta(**{**meta, "applied": True})
    return 0


def output(root: Path, name: str, *, local: bool, as_json: bool, output_name: str | None = None) -> int:
    ws = open_workspace(root, name, local=local)
    workspace.init(ws)
    args = ["output", *(["-json"] if as_json else []), *([output_name] if output_name else [])]
    result = ws.run(*args)
    tfresult.check(result, env=name, what="output", local_flag=ws.local_flag())
    return 0


def init(root: Path, name: str, *, local: bool, upgrade: bool = False) -> int:
    ws = open_workspace(root, name, local=local)
    workspace.init(ws, upgrade=upgrade, force=True)
    return 0


def unlock(root: Path, name: str, lock_id: str, *, local: bool) -> int:
    ws = open_workspace(root, name, local=local)
    workspace.init(ws)
    result = ws.run("force-unlock", "-force", lock_id)
    tfresult.check(result, env=name, what="force-unlock", local_flag=ws.local_flag())
    return 0
