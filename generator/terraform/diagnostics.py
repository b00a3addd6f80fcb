"""Turn a failed terraform run into one clear line: locks, stale plans, interrupts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.errors import ExitCode, RefusedError, TerraformError
from generator.processes import Completed
from generator.program import command

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_LOCK_FIELD = re.compile(r"^\s*(ID|Path|Operation|Who|Created):\s*(.*?)\s*$", re.MULTILINE)
_PREVENT_DESTROY = re.compile(r"Resource (\S+) has lifecycle\.prevent_destroy set")
# AWS's words (RDS instance / cluster, ELBv2): the provider's delete call was refused.
_DELETION_PROTECTED = re.compile(
    r"Cannot delete protected|deletion protection is enabled|"
    r"disable deletion protection",
    re.IGNORECASE,
)
_DESTROYING = re.compile(r"^(\S+): Destroying\.\.\.", re.MULTILINE)
_DESTROYED = re.compile(r"^(\S+): Destruction complete", re.MULTILINE)
_WITH = re.compile(r"\bwith ([A-Za-z0-9_.\[\]\"-]+),")
_CREDENTIALS = re.compile(
    r"No valid credential sources found|failed to refresh cached credentials|"
    r"NoCredentialProviders",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class LockInfo:
    lock_id: str
    operation: str = ""
    who: str = ""
    created: str = ""


def lock_info(stderr: str) -> LockInfo | None:
    """The holder of the state lock, from terraform's "Error acquiring the state lock"."""
    # terraform draws its diagnostics in a box: drop the "│ " gutter before reading fields
    text = "\n".join(line.lstrip("│ \t") for line in _ANSI.sub("", stderr).splitlines())
    if "Lock Info:" not in text:
        return None
    fields = dict(_LOCK_FIELD.findall(text.split("Lock Info:", 1)[1]))
    if not fields.get("ID"):
        return None
    operation = fields.get("Operation", "").removeprefix("OperationType").lower()
    created = re.sub(r"\.\d+", "", fields.get("Created", ""))  # nanoseconds are noise here
    return LockInfo(fields["ID"], operation, fields.get("Who", ""), created)


def unlock_command(env: str, lock_id: str, local_flag: str) -> str:
    return command("unlock", env, lock_id) + local_flag


def check(result: Completed, *, env: str, what: str, local_flag: str = "", ok: tuple[int, ...] = (0,)) -> None:
    """Raise the clearest error for a failed run; exit codes follow terraform's."""
    if result.code in ok:
        return
    code = result.code or 1
    if result.interrupted:
        raise TerraformError(
            f"terraform {what} for {env} was interrupted; terraform stopped cleanly "
            "and released the state lock. Re-run to finish",
            exit_code=ExitCode.INTERRUPTED,
        )
    lock = lock_info(result.stderr)
    if lock is not None:
        holder = " ".join(
            part
            for part in (
                lock.operation,
                f"by {lock.who}" if lock.who else "",
                f"since {lock.created}" if lock.created else "",
            )
            if part
        )
        raise TerraformError(
            f"the state of {env} is locked (lock ID {lock.lock_id}{'; ' + holder if holder else ''}). "
            "If no other terraform run is active, release it with: "
            f"{unlock_command(env, lock.lock_id, local_flag)}",
            exit_code=code,
        )
    plain = " ".join(line.lstrip("│ \t") for line in _ANSI.sub("", result.stderr).splitlines())
    if "Saved plan is stale" in plain:
        raise TerraformError(
            f"the state of {env} changed since this plan was made (another apply ran); "
            f"nothing was applied. Re-run apply{local_flag} to plan again",
            exit_code=code,
        )
    blocked = _PREVENT_DESTROY.findall(plain)
    if blocked:
        raise RefusedError(
            f"{', '.join(sorted(set(blocked)))} in {env} have lifecycle.prevent_destroy; "
            f"remove it for them in environments/{env}/config.py, run `{command('synth')}` "
            f"and `{command('apply', env)}`, then retry"
        )
    if _DELETION_PROTECTED.search(plain):
        blocked = sorted(set(_WITH.findall(plain)) | unfinished_destroys(result.stdout)) or ["a resource"]
        raise RefusedError(
            f"{env}: AWS refused to delete {', '.join(blocked)}: its deletion protection is on, so "
            "it and its data are still there. To replace it on purpose, set deletion_protection "
            f"to False in environments/{env}/config.py, `{command('synth')}`, apply, then retry; "
            f"if it is only tainted: `{command('untaint', env, blocked[0])}{local_flag}`"
        )
    if _CREDENTIALS.search(plain):
        raise TerraformError(missing_credentials(env, local_flag), exit_code=code)
    raise TerraformError(
        f"terraform {what} failed for {env} (exit {result.code}); see terraform's message above", exit_code=code
    )


def missing_credentials(env: str, local_flag: str) -> str:
    return (
        f"no AWS credentials for {env}: terraform found none (environment, profile, SSO, instance "
        "metadata). Log in (`aws sso login`, AWS_PROFILE, or the OIDC role in CI)"
        + ("" if local_flag else f", or use the local AWS: `{command('plan', env)} --local`")
    )


def credentials_missing(stderr: str) -> bool:
    plain = " ".join(line.lstrip("│ \t") for line in _ANSI.sub("", stderr).splitlines())
    return bool(_CREDENTIALS.search(plain))


def unfinished_destroys(stdout: str) -> set[str]:
    """Addresses terraform began destroying but did not finish (a delete error names no address)."""
    text = _ANSI.sub("", stdout)
    return set(_DESTROYING.findall(text)) - set(_DESTROYED.findall(text))
