"""The click command line. Commands stay thin; errors become exit codes here, in one place."""

from __future__ import annotations

import sys
from typing import Any

import click

from generator.errors import ExitCode, HclgenError, exit_table
from generator.program import program


class HclgenGroup(click.Group):
    """Turns HclgenError into one line on stderr and its exit code; no tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        from generator.terraform.rails import warn_if_unprotected

        warn_if_unprotected()
        try:
            result = super().invoke(ctx)
        except HclgenError as err:
            if err.traceback and _verbose(ctx):
                click.echo(err.traceback.rstrip("\n"), err=True)
            click.secho(f"error: {err}", fg="red", err=True)
            raise click.exceptions.Exit(err.exit_code) from None
        except click.UsageError as err:  # click's own (bad flag, unknown command): our code, not click's 2
            object.__setattr__(err, "exit_code", ExitCode.USAGE)  # on this error only (click: a class variable)
            raise
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            raise click.exceptions.Exit(ExitCode.INTERRUPTED) from None
        except OSError as err:  # the last net for a file-system fault no command foresaw: one line, never a traceback
            where = f"{err.filename}: " if err.filename else ""
            click.secho(f"error: {where}{err.strerror or err}", fg="red", err=True)
            raise click.exceptions.Exit(ExitCode.FAILURE) from None
        if isinstance(result, int) and result:
            raise click.exceptions.Exit(result)
        return result


def _verbose(ctx: click.Context) -> bool:
    """-v/--verbose anywhere on the line (the group's own or a command's) also shows user code tracebacks."""
    words = [*getattr(ctx, "_protected_args", []), *ctx.args]
    return bool(ctx.params.get("verbose")) or any(arg in ("-v", "--verbose") for arg in words)


@click.group(
    cls=HclgenGroup, context_settings={"help_option_names": ["-h", "--help"]}, epilog="\b\nExit codes:\n" + exit_table()
)
@click.version_option(package_name="hclgen", prog_name="hclgen")
@click.option("-v", "--verbose", is_flag=True, help="On an error in your config or module, show its full traceback.")
def cli(verbose: bool) -> None:
    """hclgen: AWS infrastructure in Python, committed as reviewer-grade Terraform HCL.

    Environments live in environments/<name>/config.py; `synth` renders each one to
    environments/<name>/*.tf, the Terraform root of that environment.
    """


def _register() -> None:
    from generator.commands import (
        bootstrap,
        ci,
        convert,
        cost,
        diagram,
        local,
        moved,
        new,
        policy,
        review,
        terraform,
        watch,
    )
    from generator.commands import deploy as deploy_commands
    from generator.commands import synth as synth_commands

    for command in [
        *synth_commands.COMMANDS,
        *terraform.COMMANDS,
        *local.COMMANDS,
        *bootstrap.COMMANDS,
        *review.COMMANDS,
        *diagram.COMMANDS,
        *cost.COMMANDS,
        *policy.COMMANDS,
        *moved.COMMANDS,
        *deploy_commands.COMMANDS,
        *ci.COMMANDS,
        *watch.COMMANDS,
        *new.COMMANDS,
        *convert.COMMANDS,
    ]:
        cli.add_command(command)


_register()


def main(argv: list[str] | None = None) -> None:
    """Entry point for `python main.py` and the `hclgen` console script."""
    try:
        result = cli.main(args=argv, prog_name=program(), standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as err:
        click.echo(err.ctx.get_help() if err.ctx is not None else "", err=True)
        sys.exit(ExitCode.USAGE)
    except click.UsageError as err:  # click's own three-line usage block, as one line
        where = err.ctx.command_path if err.ctx is not None else program()
        click.echo(f"error: {err.format_message()} (see `{where} --help`)", err=True)
        sys.exit(ExitCode.USAGE)
    except click.Abort:  # Ctrl-C / EOF at a prompt
        click.echo("interrupted", err=True)
        sys.exit(ExitCode.INTERRUPTED)
    except click.ClickException as err:
        click.echo(f"error: {err.format_message()}", err=True)
        sys.exit(err.exit_code)
    sys.exit(result if isinstance(result, int) else 0)
