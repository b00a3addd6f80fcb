"""init, plan, apply, destroy, output, unlock: thin wrappers over generator.terraform.operations/destroy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from generator.paths import project_root
from generator.terraform.multiplan import DEFAULT_JOBS

LOCAL_HELP = "Run against the embedded local AWS (a moto server on 127.0.0.1) instead of real AWS."


F = TypeVar("F", bound=Callable[..., Any])


def _local(command: F) -> F:
    return click.option("--local", is_flag=True, help=LOCAL_HELP)(command)


def _verbose(command: F) -> F:
    return click.option(
        "--verbose",
        "-v",
        is_flag=True,
        help="Stream terraform's whole output here (default: progress lines and a "
        "summary; the full output goes to .hclgen/logs/ENV-COMMAND.log).",
    )(command)


@click.command("init")
@click.argument("env")
@click.option("--upgrade", is_flag=True, help="Let terraform pick newer allowed provider versions.")
@_local
def init_command(env: str, upgrade: bool, local: bool) -> int:
    """Initialise ENV's Terraform root (done automatically by the other commands)."""
    from generator.terraform import operations

    return operations.init(project_root(), env, local=local, upgrade=upgrade)


@click.command("plan")
@click.argument("envs", nargs=-1, metavar="[ENV]...")
@click.option("--all", "all_envs", is_flag=True, help="Plan every environment.")
@click.option("--affected", is_flag=True, help="Plan the environments the change since --base touches.")
@click.option(
    "--base",
    metavar="REF",
    default="origin/main",
    show_default=True,
    help="With --affected: compare HEAD with this commit.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 16),
    default=DEFAULT_JOBS,
    show_default=True,
    help="Plans run at once when several environments are planned.",
)
@click.option(
    "--detailed-exitcode",
    is_flag=True,
    help="Exit 0 when there are no changes, 2 when there are, 1 on error (as terraform).",
)
@_local
@_verbose
def plan_command(
    envs: tuple[str, ...],
    all_envs: bool,
    affected: bool,
    base: str,
    jobs: int,
    detailed_exitcode: bool,
    local: bool,
    verbose: bool,
) -> int:
    """Plan environments; saves .hclgen/plans/ENV/{plan.tfplan,plan.json,plan.txt,meta.json}.

    Name them, or pass --all, or --affected to plan only those a change touches (their own
    files, or shared inputs: modules/, generator/, templates/, pyproject.toml).
    """
    from generator.render import pipeline
    from generator.terraform import multiplan

    root = project_root()
    names = multiplan.choose(root, envs, all_envs=all_envs, affected=affected, base=base)
    if names:
        pipeline.ensure_sources(root, names)
    return multiplan.plan_many(
        root, names, local=local, detailed_exitcode=detailed_exitcode, jobs=jobs, verbose=verbose
    )


@click.command("apply")
@click.argument("env")
@click.option("--auto-approve", is_flag=True, help="Apply without asking (required without a terminal).")
@click.option(
    "--override-branch-check",
    "override_branch",
    is_flag=True,
    help="Allow a protected env (prod) off a clean main checkout. Loudly reported.",
)
@click.option(
    "--allow-stateful-replace",
    "allow_stateful",
    is_flag=True,
    help="Allow replacing or destroying stateful resources (databases, buckets...); --auto-approve alone does not.",
)
@click.option(
    "--verify-reviewed",
    is_flag=True,
    help="CI on main: stop (exit 4) unless the fresh plan is the one reviewed in the merged pull "
    "request of GITHUB_SHA (its digest in the plan comment).",
)
@click.option(
    "--reapproved",
    is_flag=True,
    help="With --verify-reviewed: apply even so (a re-approved run); the difference is reported loudly.",
)
@_local
@_verbose
def apply_command(
    env: str,
    auto_approve: bool,
    override_branch: bool,
    allow_stateful: bool,
    verify_reviewed: bool,
    reapproved: bool,
    local: bool,
    verbose: bool,
) -> int:
    """Plan ENV, show the summary, confirm, and apply exactly that plan.

    Refuses when the committed HCL is not what the Python renders.
    """
    from generator.errors import UsageError
    from generator.terraform import operations

    if reapproved and not verify_reviewed:
        raise UsageError("--reapproved goes with --verify-reviewed")
    verify = None
    if verify_reviewed:
        from generator.github.context import RunContext
        from generator.review.reviewed import Verifier

        verify = Verifier(RunContext.from_env(), reapproved=reapproved)
    return operations.apply(
        project_root(),
        env,
        local=local,
        auto_approve=auto_approve,
        override_branch=override_branch,
        allow_stateful=allow_stateful,
        verify=verify,
        verbose=verbose,
    )


@click.command("destroy")
@click.argument("env")
@click.option("--auto-approve", is_flag=True, help="Destroy without typing the env name.")
@click.option(
    "--destroy-protected-env",
    "protected_ok",
    is_flag=True,
    help="With --auto-approve: also required for a protected env (prod).",
)
@click.option(
    "--override-branch-check",
    "override_branch",
    is_flag=True,
    help="Allow a protected env off a clean main checkout. Loudly reported.",
)
@_local
@_verbose
def destroy_command(
    env: str, auto_approve: bool, protected_ok: bool, override_branch: bool, local: bool, verbose: bool
) -> int:
    """Destroy everything in ENV (type the env name to confirm)."""
    from generator.terraform import destroy

    return destroy.destroy(
        project_root(),
        env,
        local=local,
        auto_approve=auto_approve,
        protected_ok=protected_ok,
        override_branch=override_branch,
        verbose=verbose,
    )


@click.command("output")
@click.argument("env")
@click.argument("name", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print outputs as JSON.")
@_local
def output_command(env: str, name: str | None, as_json: bool, local: bool) -> int:
    """Print ENV's Terraform outputs (or the one called NAME)."""
    from generator.terraform import operations

    return operations.output(project_root(), env, local=local, as_json=as_json, output_name=name)


@click.command("untaint")
@click.argument("env")
@click.argument("address")
@_local
def untaint_command(env: str, address: str, local: bool) -> int:
    """Clear ENV's taint on ADDRESS (terraform untaint), so apply updates it instead of replacing it."""
    from generator.terraform import operations

    return operations.untaint(project_root(), env, address, local=local)


@click.command("unlock")
@click.argument("env")
@click.argument("lock_id")
@_local
def unlock_command(env: str, lock_id: str, local: bool) -> int:
    """Release a stale state lock of ENV (terraform force-unlock LOCK_ID).

    Only when no other terraform run on ENV is active: the lock error names the ID.
    """
    from generator.terraform import operations

    return operations.unlock(project_root(), env, lock_id, local=local)


@click.command("state-push")
@click.argument("env")
@_local
def state_push_command(env: str, local: bool) -> int:
    """Save environments/ENV/errored.tfstate to ENV's state backend (terraform state push).

    Terraform leaves that file when an apply could not upload its state (network, credentials,
    a killed local AWS); plan, apply and destroy refuse until it is pushed. The file is then kept
    in .hclgen/recovered/.
    """
    from generator.terraform import operations

    return operations.state_push(project_root(), env, local=local)


COMMANDS: list[click.Command] = [
    init_command,
    plan_command,
    apply_command,
    destroy_command,
    output_command,
    untaint_command,
    unlock_command,
    state_push_command,
]
