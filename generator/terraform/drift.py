"""Drift watch: plan each env with `-refresh-only -detailed-exitcode` and read what changed
outside Terraform (the plan JSON's resource_drift) into the one plan model.

The plans are saved like `plan`'s, but in their own folder, .hclgen/drift/<env>/ (plan.json,
plan.txt, meta.json, plan.tfplan), so a drift run never replaces the plan that a reviewer, the
comment or `apply` reads in .hclgen/plans/<env>/. Several envs run in parallel like `plan --all`.

Whether an env drifted is decided from the model, not from terraform's exit code. A refresh-only
plan lists every attribute that differs from the state, and right after an apply many do by
themselves: computed-only ones (an RDS instance's latest_restorable_time, the EIP association
the NAT gateway made, a role's inline_policy that other resources manage) and provider
normalisation (null vs 0 or []). Drift watch reports what someone changed in the managed
configuration: attributes the configuration sets, tags, and deleted resources (see managed_drift).
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from generator.errors import ExitCode, HclgenError, UsageError
from generator.paths import work_dir
from generator.plan import files as planfiles
from generator.plan.model import EnvPlan, failed_plan
from generator.plan.resource import Action, configured_keys
from generator.terraform import multiplan, operations, runlock, workspace
from generator.terraform.workspace import Workspace


@dataclass(frozen=True)
class EnvDrift:
    """One env's refresh-only plan as the model reads it (a failed plan when it errored)."""

    plan: EnvPlan
    folder: Path
    interrupted: bool = False
    never_applied: bool = False  # the state holds no resource: nothing to compare (not "no drift")

    @property
    def env(self) -> str:
        return self.plan.env

    @property
    def drifted(self) -> bool:
        return not self.plan.errored and bool(self.plan.drift)


def never_applied_message(env: str) -> str:
    return (
        f"never applied: the state of {env} holds no resources, so there is nothing to compare "
        f'(apply it first; this is not "no drift")'
    )


def drift_dir(root: Path, env: str) -> Path:
    return work_dir(root) / "drift" / env


def overall(results: list[EnvDrift]) -> int:
    """130 when interrupted, 1 when any env errored, 2 when any drifted, 5 when an env was never
    applied (no state to compare), else 0."""
    if any(r.interrupted for r in results):
        return int(ExitCode.INTERRUPTED)
    if any(r.plan.errored and not r.never_applied for r in results):
        return 1
    if any(r.drifted for r in results):
        return 2
    return int(ExitCode.NOT_APPLIED) if any(r.never_applied for r in results) else 0


def choose(root: Path, envs: tuple[str, ...], all_envs: bool) -> list[str]:
    """The envs `drift` checks (named, or every one with --all), their source maps ready."""
    from generator.render import pipeline
    from generator.render.project import env_names

    if bool(envs) == all_envs:
        raise UsageError("name the environments to check for drift, or pass --all")
    names = list(envs) or env_names(root)
    pipeline.ensure_sources(root, names)
    return names


def check_many(root: Path, names: list[str], *, local: bool, jobs: int) -> list[EnvDrift]:
    """Every env's drift, in the order named; an env that fails is a failed entry, never a stop."""
    with runlock.hold(root, names, f"drift {' '.join(names)}"):
        workspaces: list[Workspace] = []
        failed: dict[str, EnvDrift] = {}
        for name in names:  # one by one: the first --local one starts the shared local AWS
            try:
                workspaces.append(operations.open_workspace(root, name, local=local))
            except HclgenError as err:
                failed[name] = _failed(drift_dir(root, name), name, err)
        if len(workspaces) > 1:
            workspaces = [dataclasses.replace(ws, quiet=True) for ws in workspaces]
            click.echo(
                f"checking {len(workspaces)} environments for drift, {min(jobs, len(workspaces))} at a time", err=True
            )
        done = multiplan.in_parallel(workspaces, check_one, jobs=jobs)
    return [failed[name] if name in failed else done[name] for name in names]


def check_one(ws: Workspace) -> EnvDrift:
    """One env's refresh-only plan, saved in .hclgen/drift/<env>/ and read into the model."""
    from generator.plan.source import load_env_plan

    saved = planfiles.SavedPlan.for_run(drift_dir(ws.root, ws.name))
    try:
        workspace.init(ws)
        ws.run(
            "plan",
            "-input=false",
            "-refresh-only",
            "-detailed-exitcode",
            f"-out={saved.private_file}",
            ok=(0, 2),
            stdout_to_stderr=True,
        )
        shown = ws.run("show", "-json", str(saved.private_file), echo_stdout=False)
        text = ws.run("show", "-no-color", str(saved.private_file), ok=None, echo_stdout=False)
        meta = planfiles.PlanMeta(env=ws.name, local=ws.local, plan_id=saved.private_file.name)
        saved.publish(shown.stdout, text.stdout if text.code == 0 else None, meta)
    except HclgenError as err:
        return _failed(saved.folder, ws.name, err)
    finally:
        saved.discard_private()
    if not _has_state(shown.stdout):
        message = never_applied_message(ws.name)
        saved.publish_failure(ws.name, message)
        click.secho(f"{ws.name}: {message}", fg="yellow", err=True)
        return EnvDrift(failed_plan(ws.name, message), saved.folder, never_applied=True)
    try:
        planned = load_env_plan(saved.folder, ws.name, None)
        planned = managed_drift(planned, json.loads(saved.json_file.read_text(encoding="utf-8")))
    except HclgenError as err:
        return _failed(saved.folder, ws.name, err)
    saved.write_meta(
        dataclasses.replace(saved.read_meta() or planfiles.PlanMeta(env=ws.name), has_changes=bool(planned.drift))
    )
    return EnvDrift(planned, saved.folder)


def _has_state(shown: str) -> bool:
    """Whether the refresh-only plan started from a state holding any managed resource."""
    from generator.terraform.state import managed_addresses

    try:
        prior = json.loads(shown).get("prior_state")
    except (ValueError, AttributeError):
        return True  # not ours to judge here: the model reading below reports a bad plan
    return isinstance(prior, dict) and bool(managed_addresses(prior))


_ALWAYS = frozenset({"tags", "tags_all"})  # default_tags land in tags_all, never configured per resource
_EMPTY = frozenset({None, "null", "0", '""', "[]", "{}", "false"})
_INDEX = re.compile(r"\[[^\]]*\]")
_TOP = re.compile(r"^[^.\[]+")


def managed_drift(plan: EnvPlan, document: Mapping[str, Any]) -> EnvPlan:
    """The plan with only drift in what the configuration manages: a deleted resource, or an
    attribute the configuration sets (or tags) whose value really changed (not null -> 0)."""
    configured = configured_keys(document)
    managed: dict[str, frozenset[str]] = {}
    for rc in document.get("resource_drift") or []:
        module = _INDEX.sub("", str(rc.get("module_address", "")))
        managed[str(rc.get("address"))] = (
            configured.get((module, f"{rc.get('type')}.{rc.get('name')}"), frozenset()) | _ALWAYS
        )
    kept = []
    for change in plan.drift:
        if change.action is Action.DESTROY:
            kept.append(change)
            continue
        keys = managed.get(change.address, _ALWAYS)
        attributes = tuple(
            a for a in change.attributes if _top(a.path) in keys and not (a.before in _EMPTY and a.after in _EMPTY)
        )
        if attributes:
            kept.append(dataclasses.replace(change, attributes=attributes))
    return dataclasses.replace(plan, drift=tuple(kept))


def _top(path: str) -> str:
    found = _TOP.match(path)
    return found.group(0) if found else path


def _failed(folder: Path, env: str, err: HclgenError) -> EnvDrift:
    planfiles.SavedPlan.for_run(folder).publish_failure(env, str(err))
    click.secho(f"error: {env}: {err}", fg="red", err=True)
    return EnvDrift(failed_plan(env, str(err)), folder, interrupted=err.exit_code == ExitCode.INTERRUPTED)
