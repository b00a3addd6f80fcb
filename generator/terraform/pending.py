"""The record of a deploy in flight (.hclgen/deploy/ENV.pending.json): written before the image tag
changes, removed once the deploy applied or put the tag back. It outlives a SIGKILLed deploy, so
`apply` can refuse to roll out a tag nobody tested. Its own file: deploy writes it, apply reads it."""

from __future__ import annotations

import json
import re
from pathlib import Path

from generator.errors import HclgenError, RefusedError
from generator.program import command

TAG = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")


def pending_path(root: Path, env: str) -> Path:
    """Written before the tag changes, removed once the deploy applied or put the tag back: when it
    survives, the deploy process itself was killed and the parameter may hold an untested tag."""
    from generator.paths import work_dir

    return work_dir(root) / "deploy" / f"{env}.pending.json"


def read_pending(root: Path, env: str) -> str | None:
    """The tag before a deploy that never finished, or None."""
    try:
        previous = json.loads(pending_path(root, env).read_text(encoding="utf-8")).get("previous")
    except (OSError, ValueError, AttributeError):
        return None
    return previous if isinstance(previous, str) and TAG.fullmatch(previous) else None


def check_no_pending(root: Path, env: str, local_flag: str) -> None:
    """apply refuses while a killed deploy may have left an untested tag in the parameter."""
    previous = read_pending(root, env)
    if previous is not None:
        raise RefusedError(
            f"a deploy of {env} was killed after writing a new image tag, which may be untested "
            f"({pending_path(root, env)}); put the tested one back with "
            f"`{command('deploy', env, '--image-tag', previous)}{local_flag}` or finish a deploy, "
            "then apply"
        )


def write_pending(root: Path, env: str, previous: str, tag: str) -> None:
    path = pending_path(root, env)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"previous": previous, "tag": tag}) + "\n", encoding="utf-8")
    except OSError as err:
        raise HclgenError(f"cannot record the deploy in {path}: {err.strerror or err}; nothing was changed") from None
