"""destroy: confirmation rails and a clear refusal when protections stand in the way.

Before planning the destroy, the current state and the committed HCL are inspected, so that
RDS/ALB deletion protection and lifecycle.prevent_destroy are named up front with how to
lift them, instead of surfacing as an obscure failure half-way through a destroy.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator.errors import RefusedError
from generator.program import command
from generator.terraform import operations, rails, runlock, workspace
from generator.terraform.state import managed_addresses, protected_in_state
from generator.terraform.workspace import Workspace

PROTECTED_DESTROY_FLAG = "--destroy-protected-env"


def destroy(
    root: Path,
    name: str,
    *,
    local: bool,
    auto_approve: bool,
    protected_ok: bool = False,
    override_branch: bool = False,
    verbose: bool = True,
) -> int:
    _check_confirmation_possible(name, auto_approve=auto_approve, protected_ok=protected_ok)
    with runlock.hold(root, [name], f"destroy {name}"):
        return _destroy_locked(
            root, name, local=local, auto_approve=auto_approve, override_branch=override_branch, verbose=verbose
        )


def _destroy_locked(
    root: Path, name: str, *, local: bool, auto_approve: bool, override_branch: bool, verbose: bool
) -> int:
    rails.check_branch(root, name, override=override_branch, flag=operations.APPLY_OVERRIDE_FLAG)
    ws = operations.open_workspace(root, name, local=local, log_as=None if verbose else "destroy")
    workspace.init(ws)
    check_protections(ws)
    shout = (
        (lambda: rails.shout(f"!!! destroying protected environment {name} !!!")) if rails.is_protected(name) else None
    )
    return operations.plan_then_apply(
        ws,
        destroy=True,
        nothing="nothing to destroy",
        confirm=None if auto_approve else lambda: rails.confirm_destroy(name),
        cancelled="destroy cancelled: the name typed did not match; nothing was changed",
        before_apply=shout,
    )


def _check_confirmation_possible(name: str, *, auto_approve: bool, protected_ok: bool) -> None:
    if auto_approve:
        if rails.is_protected(name) and not protected_ok:
            raise RefusedError(
                f"{name} is protected: destroying it with --auto-approve also needs {PROTECTED_DESTROY_FLAG}"
            )
        return
    if not rails.has_terminal():
        raise RefusedError(
            "destroy needs the environment name typed at a terminal; in automation "
            "pass --auto-approve" + (f" and {PROTECTED_DESTROY_FLAG}" if rails.is_protected(name) else "")
        )


def check_protections(ws: Workspace) -> None:
    """Refuse, naming resources and the fix, when protections would block the destroy."""
    shown = ws.run("show", "-json", echo_stdout=False)
    state = json.loads(shown.stdout or "{}")
    in_state = {_base(addr) for addr in managed_addresses(state)}
    guarded = protected_in_state(state)
    prevented = sorted(a for a in prevent_destroy_in_hcl(ws.tf_root) if a in in_state)
    problems = []
    if guarded:
        problems.append(
            f"deletion protection is on for {', '.join(guarded)} (set "
            "deletion_protection / enable_deletion_protection to false)"
        )
    if prevented:
        problems.append(f"lifecycle.prevent_destroy is set on {', '.join(prevented)} (remove it)")
    if problems:
        raise RefusedError(
            f"cannot destroy {ws.name}: {'; '.join(problems)}. Change that in "
            f"environments/{ws.name}/config.py, run `{command('synth')}` and "
            f"`{command('apply', ws.name)}{ws.local_flag()}`, then destroy again"
        )


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
