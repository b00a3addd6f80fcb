"""How terraform is run for one environment: its process environment, data dir and init.

Nothing here edits the committed HCL. Real AWS and the local AWS get separate data dirs
(.hclgen/terraform/<env>/<aws|local>), so switching between them never asks to migrate
state. The local AWS is reached through AWS_ENDPOINT_URL and fake credentials (provider)
and a generated -backend-config file (S3 backend).

HCLGEN_PLUGIN_MIRROR: see generator.terraform.cliconfig.

Providers are pinned by each env's committed environments/<env>/.terraform.lock.hcl, which
`terraform init` creates and updates locally. In CI (CI=true or GITHUB_ACTIONS=true, as
generator.github.context.in_ci reads them) init runs with -lockfile=readonly, so a pull request's
plan and main's apply install the same builds and a lock file that does not match the
configuration is an error instead of a silent rewrite.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import click

from generator import runner
from generator.github.context import in_ci
from generator.localaws.server import ACCESS_KEY, SECRET_KEY, Server
from generator.paths import work_dir
from generator.program import command
from generator.render.project import LoadedEnv
from generator.terraform import diagnostics, tflog
from generator.terraform.cliconfig import MIRROR_ENV_VAR as MIRROR_ENV_VAR
from generator.terraform.cliconfig import cli_config_text as cli_config_text
from generator.terraform.cliconfig import local_backend_config as local_backend_config
from generator.terraform.cliconfig import write_cli_config as write_cli_config

_COLOURED_COMMANDS = ("init", "plan", "apply", "destroy", "output")
LOCK_FILE = ".terraform.lock.hcl"
# What terraform says when a read-only lock file does not fit the configuration or the package.
_LOCK_MISMATCH = ("lock file is read-only", "doesn't match any of the checksums", "dependency lock file")


# Credentials and endpoints of the user's own AWS setup that must not leak into --local runs.
_AWS_VARS_DROPPED_LOCALLY = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
)


@dataclass(frozen=True)
class Workspace:
    """One environment's terraform setup against real AWS (server None) or the local one."""

    root: Path
    loaded: LoadedEnv
    server: Server | None = None
    quiet: bool = False  # keep terraform's own output (parallel plans print summaries only)
    lock_readonly: bool = field(default_factory=in_ci)  # init -lockfile=readonly (CI)
    log: Path | None = None  # terraform's output goes here instead of the terminal (generator.terraform.tflog)

    @property
    def lock_file(self) -> Path:
        return self.tf_root / LOCK_FILE

    @property
    def name(self) -> str:
        return self.loaded.env.name

    @property
    def local(self) -> bool:
        return self.server is not None

    @property
    def tf_root(self) -> Path:
        return self.loaded.root

    @property
    def data_dir(self) -> Path:
        return work_dir(self.root) / "terraform" / self.name / ("local" if self.local else "aws")

    @property
    def plan_dir(self) -> Path:
        return work_dir(self.root) / "plans" / self.name

    def local_flag(self) -> str:
        return " --local" if self.local else ""

    def environ(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(TF_DATA_DIR=str(self.data_dir), TF_IN_AUTOMATION="1", TF_INPUT="0")
        if not sys.stdout.isatty():  # logs and CI: no ANSI colour codes in what terraform prints
            for command in _COLOURED_COMMANDS:
                env.setdefault(f"TF_CLI_ARGS_{command}", "-no-color")
        cli_config = write_cli_config(self.root)
        if cli_config is not None:
            env["TF_CLI_CONFIG_FILE"] = str(cli_config)
        if self.server is not None:
            for name in [*_AWS_VARS_DROPPED_LOCALLY, *(k for k in env if k.startswith("AWS_ENDPOINT_URL_"))]:
                env.pop(name, None)
            env.update(
                AWS_ENDPOINT_URL=self.server.endpoint,
                AWS_ACCESS_KEY_ID=ACCESS_KEY,
                AWS_SECRET_ACCESS_KEY=SECRET_KEY,
                AWS_EC2_METADATA_DISABLED="true",
            )
        return env

    def backend_args(self) -> list[str]:
        if self.server is None:
            return []
        path = work_dir(self.root) / "local" / f"backend-{self.name}.hcl"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(local_backend_config(self.server))
        return [f"-backend-config={path}"]

    def run(
        self,
        *args: str,
        ok: tuple[int, ...] | None = (0,),
        echo_stdout: bool = True,
        stdout_to_stderr: bool = False,
        watch: Callable[[bytes], None] | None = None,
    ) -> runner.Completed:
        """Run terraform in this env's root. An exit code outside `ok` raises the classified error
        (lock held, stale plan, interrupt, prevent_destroy...); ok=None hands every result back."""
        if self.log is not None:
            with self.log.open("a") as handle:
                handle.write(f"\n$ terraform {' '.join(args)}\n")
        result = runner.run_terraform(
            args,
            cwd=self.tf_root,
            env=self.environ(),
            echo_stdout=echo_stdout and not self.quiet,
            stdout_to_stderr=stdout_to_stderr,
            log=self.log,
            watch=watch,
        )
        if ok is not None and result.code not in ok:
            self.show_failure(result)
            diagnostics.check(result, env=self.name, what=args[0], local_flag=self.local_flag(), ok=ok)
        return result

    def show_failure(self, result: runner.Completed) -> None:
        """In a quiet run, print the tail of what terraform said (the terminal has not seen it)."""
        if self.log is not None and not result.interrupted:
            tflog.show_failure(self.root, self.log, result.stdout, result.stderr)


def _fingerprint(ws: Workspace, backend_args: list[str]) -> str:
    digest = hashlib.sha256()
    digest.update(repr((backend_args, os.environ.get(MIRROR_ENV_VAR))).encode())
    for args in backend_args:
        digest.update(Path(args.split("=", 1)[1]).read_bytes())
    for tf in sorted(ws.tf_root.glob("*.tf")) + sorted(ws.tf_root.glob("*.tf.json")):
        digest.update(tf.name.encode() + b"\0" + tf.read_bytes())
    digest.update(repr(ws.lock_readonly).encode())
    if ws.lock_file.is_file():  # a pulled lock file change re-inits (installs the pinned build)
        digest.update(ws.lock_file.read_bytes())
    return digest.hexdigest()


def _check_lock(ws: Workspace, upgrade: bool) -> None:
    from generator.errors import TerraformError

    if not ws.lock_readonly:
        return
    where = _relative(ws.root, ws.lock_file)
    if upgrade:
        raise TerraformError(
            f"init --upgrade rewrites {where}; in CI the lock file is read-only: "
            f"upgrade locally (`{command('init', ws.name, '--upgrade')}`) and commit it"
        )
    if not ws.lock_file.is_file():
        raise TerraformError(
            f"{where} is missing; in CI providers must be pinned: run "
            f"`{command('init', ws.name)}` locally and commit {where}"
        )


def _lock_error(ws: Workspace, result: runner.Completed) -> str | None:
    if not ws.lock_readonly or not any(text in result.stdout + result.stderr for text in _LOCK_MISMATCH):
        return None
    where = _relative(ws.root, ws.lock_file)
    return (
        f"terraform init for {ws.name}: the providers do not match {where} (read-only in CI); "
        f"run `{command('init', ws.name, '--upgrade')}` locally, review and commit {where}"
    )


def _relative(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def init(ws: Workspace, *, upgrade: bool = False, force: bool = False) -> runner.Completed | None:
    """terraform init when the HCL, backend settings or mirror changed since the last one."""
    from generator.errors import ExitCode, TerraformError

    backend_args = ws.backend_args()
    stamp = ws.data_dir / "hclgen-init.stamp"
    fingerprint = _fingerprint(ws, backend_args)
    if not (force or upgrade) and stamp.is_file() and stamp.read_text() == fingerprint:
        return None
    if not any(ws.tf_root.glob("*.tf")) and not any(ws.tf_root.glob("*.tf.json")):
        raise TerraformError(f"{ws.tf_root} holds no Terraform files yet: run `{command('synth')}` first")
    _check_lock(ws, upgrade)
    ws.data_dir.mkdir(parents=True, exist_ok=True)
    if ws.log is not None:
        click.echo(f"{ws.name}: terraform init (backend{' on the local AWS' if ws.local else ''}, providers)", err=True)
    # -reconfigure only locally: the port of the local server changes between runs, while for
    # real AWS a changed backend must stop and ask (terraform's migrate-state question).
    args = [
        "init",
        "-input=false",
        *backend_args,
        *(["-reconfigure"] if ws.local else []),
        *(["-upgrade"] if upgrade else []),
        *(["-lockfile=readonly"] if ws.lock_readonly else []),
    ]
    result = ws.run(*args, ok=None, stdout_to_stderr=True)
    if result.code != 0:
        stamp.unlink(missing_ok=True)
        ws.show_failure(result)
        if result.interrupted:
            raise TerraformError(
                f"terraform init for {ws.name} was interrupted; re-run to finish", exit_code=ExitCode.INTERRUPTED
            )
        lock = _lock_error(ws, result)
        if lock is not None:
            raise TerraformError(lock, exit_code=result.code)
        if diagnostics.credentials_missing(result.stderr):
            raise TerraformError(diagnostics.missing_credentials(ws.name, ws.local_flag()), exit_code=result.code)
        hint = (
            ""
            if ws.local
            else (
                f"; if the state bucket is missing, run `{command('bootstrap', ws.name)}`"
                f", and check your AWS credentials"
            )
        )
        raise TerraformError(f"terraform init failed for {ws.name} (exit {result.code}){hint}", exit_code=result.code)
    stamp.write_text(_fingerprint(ws, backend_args))  # after init: it may have written the lock file
    return result
