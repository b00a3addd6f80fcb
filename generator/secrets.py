"""Plain values that look like secrets: refused before they are committed to HCL in plain text.

Every string a config passes ends up in the generated HCL (environment variables in ecs.tf,
Parameter Store values in params.tf, tags everywhere), so a secret there is a secret in git.
Two tests: by name for environment-variable-like keys (PASSWORD, PASS, SECRET, TOKEN, *_KEY, *_SK,
DSN, ...), by value for every string (a URL with user:password@, well-known key prefixes). A false
positive is opted out per key, explicitly (`not_secret=("NAME",)`), never by a global switch.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection, Mapping
from typing import Any

from generator.errors import InputError

_NAME = re.compile(
    r"PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIAL|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY"
    r"|(^|_)(PASS|PWD|DSN)(_|$)|_(KEY|SK)$|^(KEY|SK)$",
    re.IGNORECASE,
)
_VALUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a URL with a password (user:password@)", re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]*:[^/\s@]+@")),
    ("a Stripe secret key", re.compile(r"\b[sr]k_(live|test)_[A-Za-z0-9]{8,}")),
    ("an AWS access key id", re.compile(r"\b(AKIA|ASIA)[A-Z0-9]{16}\b")),
    ("a GitHub token", re.compile(r"\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})")),
    ("a Slack token", re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{8,}|\bxapp-[A-Za-z0-9-]{8,}")),
    ("a GitLab token", re.compile(r"\bglpat-[A-Za-z0-9_-]{16,}")),
    ("a Google API key", re.compile(r"\bAIza[A-Za-z0-9_-]{35}")),
    ("an OpenAI/Anthropic key", re.compile(r"\bsk-(proj-|ant-)?[A-Za-z0-9_-]{20,}")),
    ("a private key", re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")),
)
HINT = (
    "put it in Secrets Manager (ecs secrets={NAME: SecretRef(arn)}) or as a SecureString in Parameter Store; "
    "if it is not a secret, list it in not_secret="
)


def secret_name(name: str) -> bool:
    return bool(_NAME.search(name))


def secret_value(value: str) -> str | None:
    """What the value looks like (e.g. "a GitHub token"), or None."""
    return next((what for what, pattern in _VALUES if pattern.search(value)), None)


def check_named(module: str, field: str, values: Mapping[str, Any], allowed: Collection[str]) -> None:
    """Environment-variable-like values: refused by name or by value unless listed in `allowed`."""
    for key, value in values.items():
        if key in allowed:
            continue
        what = "its name" if secret_name(str(key)) else secret_value(value) if isinstance(value, str) else None
        if what:
            raise InputError(
                f"{field}.{key}",
                f"looks like a secret ({_because(what)}) and would be committed in plain text; {HINT}({key!r},)",
                module=module,
            )


def check_strings(obj: object, allowed: Collection[str], path: str = "") -> None:
    """Every string in a config (dataclasses, mappings, sequences) refused by value unless its
    dotted path is in `allowed` (e.g. "tags.Build", "ecs.environment.SORT_KEY")."""
    for where, value in _strings(obj, path):
        what = secret_value(value)
        if what and where not in allowed:
            raise InputError(
                where,
                f"looks like a secret ({_because(what)}) and would be committed in plain "
                f"text; {HINT}({where!r},) on the Environment",
            )


def _because(what: str) -> str:
    return what if what == "its name" else f"it holds {what}"


def _without(value: object, keys: set[str]) -> object:
    return {k: v for k, v in value.items() if k not in keys} if keys and isinstance(value, Mapping) else value


def _strings(obj: object, path: str) -> list[tuple[str, str]]:
    if isinstance(obj, str):
        return [(path, obj)]
    prefix = f"{path}." if path else ""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        own = set(getattr(obj, "not_secret", ()) or ())  # the module's own opt-outs hold here too
        return [
            found
            for item in dataclasses.fields(obj)
            if item.name != "not_secret"
            for found in _strings(_without(getattr(obj, item.name), own), prefix + item.name)
        ]
    if isinstance(obj, Mapping):
        return [found for key, value in obj.items() for found in _strings(value, f"{prefix}{key}")]
    if isinstance(obj, (list, tuple, frozenset, set)):
        return [found for index, value in enumerate(obj) for found in _strings(value, f"{path}[{index}]")]
    return []
