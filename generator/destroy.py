"""destroy: confirmation rails and a clear refusal when protections stand in the way.

Before planning the destroy, the current state and the committed HCL are inspected, so that
RDS/ALB deletion protection and lifecycle.prevent_destroy are named up front with how to
lift them, instead of surfacing as an obscure failure half-way through a destroy.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from generator import plans, rails, tfops, tfresult, workspace
from generator.errors import HclgenError, RefusedError
from generator.workspace import Workspace

PROTECTED_DESTROY_FLAG = "--destroy-protected-env"


def destroy(root: Path, name: str, *, local: bool, auto_approve: bool, protected_ok: bool = False,
            override_branch: bool = False) -> int:
    _check_confirmation_possible(name, auto_approve=auto_approve, protected_ok=protected_ok)
    rails.check_branch(root, name, override=override_branch, flag=tfops.APPLY_OVERRIDE_FLAG)
    ws = tfops.open_workspace(root, name, local=local)
    workspace.init(ws)
    check_protections(ws)
    outcome = tfops.plan(ws, destroy=True)
    try:
        if not outcome.summary.has_changes:
            click.echo(f"{name}: nothing to destroy")
            return 0
        if not auto_approve and not rails.confirm_destroy(name):
            raise HclgenError("destroy cancelled: the name typed did not match; nothing was changed")
        if rails.is_protected(name):
            rails.shout(f"!!! destroying protected environment {name} !!!")
        return tfops.apply_saved(ws, outcome.saved)
    finally:
        outcome.saved.discard_private()


def _check_confirmation_possible(name: str, *, auto_approve: bool, protected_ok: bool) -> None:
    if auto_approve:
        if rails.is_protected(name) and not protected_ok:
            raise RefusedError(f"{name} is protected: destroying it with --auto-approve also needs "
                               f"{PROTECTED_DESTROY_FLAG}")
        return
    if not rails.has_terminal():
        raise RefusedError("destroy needs the environment name typed at a terminal; in automation "
                           "pass --auto-approve" + (f" and {PROTECTED_DESTROY_FLAG}" if rails.is_protected(name) else ""))


def check_protections(ws: Workspace) -> None:
    """Refuse, naming resources and the fix, when protections would block the destroy."""
    shown = ws.run("show", "-json", echo_stdout=False)
    tfresult.check(shown, env=ws.name, what="show", local_flag=ws.local_flag())
    state = json.loads(shown.stdout or "{}")
    in_state = {_base(addr) for addr in _addresses(state)}
    guarded = plans.protected_in_state(state)
    prevented = sorted(a for a in prevent_destroy_in_hcl(ws.tf_root) if a in in_state)
    problems = []
    if guarded:
        problems.append(f"deletion protection is on for {', '.join(guarded)} (set "
                        "deletion_protection / enable_deletion_protection to false)")
    if prevented:
        problems.append(f"lifecycle.prevent_destroy is set on {', '.join(prevented)} (remove it)")
    if problems:
        raise RefusedError(f"cannot destroy {ws.name}: {'; '.join(problems)}. Change that in "
                           f"environments/{ws.name}/config.py, run `python main.py synth` and "
                           f"`python main.py apply {ws.name}{ws.local_flag()}`, then destroy again")


def _addresses(state: dict[str, Any]) -> list[str]:
    module = state.get("values", {}).get("root_module", {})
    return [str(r.get("address")) for r in plans._state_resources(module) if r.get("mode") == "managed"]


def _base(address: str) -> str:
    return address.split("[", 1)[0]


def prevent_destroy_in_hcl(tf_root: Path) -> list[str]:
    """Addresses (type.name) of resources whose lifecycle sets prevent_destroy = true."""
    found = []
    for kind, name, body in _resource_blocks(tf_root):
        lifecycle = body.get("lifecycle") or []
        for block in lifecycle if isinstance(lifecycle, list) else [lifecycle]:
            if isinstance(block, dict) and block.get("prevent_destroy") in (True, "true"):
                found.append(f"{kind}.{name}")
    return found


def _resource_blocks(tf_root: Path) -> list[tuple[str, str, dict[str, Any]]]:
    import hcl2

    blocks: list[tuple[str, str, dict[str, Any]]] = []
    for path in sorted(tf_root.glob("*.tf")):
        with path.open() as handle:
            parsed = hcl2.load(handle)
        for group in parsed.get("resource") or []:
            for kind, named in group.items():
                for name, body in named.items():
                    blocks.append((kind.strip('"'), name.strip('"'), body))
    for path in sorted(tf_root.glob("*.tf.json")):
        for kind, named in (json.loads(path.read_text()).get("resource") or {}).items():
            for name, body in named.items():
                blocks.append((kind, name, body if isinstance(body, dict) else {}))
    return blocks
