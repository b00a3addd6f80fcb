"""The one error hierarchy. cli.main() turns these into a one-line message and an exit code."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Every exit status the tool uses; cli.py is the one place that turns errors into them."""

    OK = 0
    FAILURE = 1  # a step failed (terraform, synth --check found stale files, an upstream API)
    CHANGES = 2  # plan --detailed-exitcode / drift: changes or drift found (terraform's convention)
    REFUSED = 3  # a safety rail refused (stale HCL, protected env off its branch, no terminal)
    UNREVIEWED = 4  # apply --verify-reviewed: the fresh plan is not the one reviewed in the merged PR
    NOT_APPLIED = 5  # drift: an env's state holds nothing (never applied): nothing to compare, not "no drift"
    USAGE = 64  # you called me wrong: unknown env, bad flag, invalid config (sysexits' EX_USAGE)
    INTERRUPTED = 130  # Ctrl-C / SIGTERM: 128 + SIGINT, as shells report it


# The table `--help` prints and README.md repeats (tests/test_exit_codes.py keeps them equal).
EXIT_MEANINGS: dict[ExitCode, str] = {
    ExitCode.OK: "success (no changes, with --detailed-exitcode)",
    ExitCode.FAILURE: "a step failed: terraform, stale files for `synth --check`, GitHub",
    ExitCode.CHANGES: "changes or drift found: `plan --detailed-exitcode`, `drift`",
    ExitCode.REFUSED: "a safety rail refused: stale HCL, protected env off its branch, no terminal",
    ExitCode.UNREVIEWED: "`apply --verify-reviewed`: not the plan reviewed in the merged pull request",
    ExitCode.NOT_APPLIED: '`drift` of an env that was never applied (nothing to compare: not "no drift")',
    ExitCode.USAGE: "you called it wrong: unknown env or command, bad flag, invalid config",
    ExitCode.INTERRUPTED: "interrupted (Ctrl-C, SIGTERM)",
}


def exit_table() -> str:
    return "\n".join(f"{int(code):>3}  {meaning}" for code, meaning in EXIT_MEANINGS.items())


class HclgenError(Exception):
    """Base class for every error the tool reports to a user (no traceback)."""

    exit_code: int = ExitCode.FAILURE
    traceback: str | None = None  # the user's code's traceback behind this error, printed with -v

    def __init__(self, message: str, *, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class UsageError(HclgenError):
    """Bad input from the user: unknown environment, invalid config value, bad flag."""

    exit_code = ExitCode.USAGE


class ConfigError(UsageError):
    """An environment config or module input is invalid; names env, module and field."""

    def __init__(
        self, message: str, *, env: str | None = None, module: str | None = None, field: str | None = None
    ) -> None:
        where = ".".join(part for part in (module, field) if part)
        prefix = f"environment '{env}': " if env else ""
        located = f"{where}: " if where else ""
        super().__init__(f"{prefix}{located}{message}")
        self.env, self.module, self.field = env, module, field


class InputError(ValueError):
    """Raised by module input objects while validating; the loader adds env/module context."""

    def __init__(self, field: str, message: str, *, module: str | None = None) -> None:
        super().__init__(f"{field}: {message}")
        self.field, self.message, self.module = field, message, module


class StaleError(HclgenError):
    """Committed HCL differs from what Python renders."""

    exit_code = ExitCode.FAILURE


class TerraformError(HclgenError):
    """terraform is missing, too old, or failed; exit_code mirrors terraform's."""

    exit_code = ExitCode.FAILURE


class RefusedError(HclgenError):
    """A safety rail refused the command (stale HCL, prod off main, no terminal to confirm)."""

    exit_code = ExitCode.REFUSED


class UnreviewedError(HclgenError):
    """apply --verify-reviewed: the plan differs from the reviewed one, or none was reviewed."""

    exit_code = ExitCode.UNREVIEWED
