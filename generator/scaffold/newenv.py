"""`new env NAME --from ENV`: a copy of ENV's config with its own name, state bucket and a VPC range of its own.

The copy is made from the source config's text (so its comments and layout stay), rewritten
through its syntax tree: the Environment's `name` and `state_bucket`, every string equal to the
source's name (tags, APP_ENV...) except in `after`, and the VPC CIDR. The provider lock file and
usage.toml come along; then synth renders every env and the workflows. Nothing is written when a
check fails, and a failed render removes the new folder again.
"""

from __future__ import annotations

import ast
import ipaddress
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import UsageError
from generator.render.project import CONFIG_FILE, LoadedEnv, env_names, load
from generator.render.writer import Difference

NAME = re.compile(r"^[a-z][a-z0-9-]{0,20}$")
COPIED = (".terraform.lock.hcl", "usage.toml")
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class NewEnv:
    name: str
    folder: Path
    config: str  # the new config.py text
    cidr: str | None
    state_bucket: str


def plan_env(root: Path, name: str, source: str, cidr: str | None = None) -> NewEnv:
    """Everything `new env` would write, checked; raises UsageError (nothing written)."""
    if not NAME.match(name):
        raise UsageError(
            f"new env: {name!r} is not an environment name (lowercase letters, digits and dashes, "
            "starting with a letter, at most 21)"
        )
    folder = root / "environments" / name
    if folder.exists():
        raise UsageError(f"new env: environments/{name} already exists")
    if source not in env_names(root):
        raise UsageError(f"new env: unknown environment '{source}' (known: {', '.join(env_names(root)) or 'none'})")
    loaded = load(root)
    origin = next(item for item in loaded if item.env.name == source)
    taken = {item.env.name: net for item in loaded if (net := _vpc_cidr(item)) is not None}
    old_cidr = taken.get(source)
    new_cidr = _choose_cidr(cidr, old_cidr, taken)
    bucket = _bucket(origin, name)
    if bucket in {item.env.state_bucket for item in loaded}:
        raise UsageError(f"new env: state bucket {bucket} is already used by another environment")
    text = _rewrite(
        origin.config_path.read_text(encoding="utf-8"),
        source,
        name,
        bucket,
        str(old_cidr) if old_cidr else None,
        str(new_cidr) if new_cidr else None,
    )
    return NewEnv(name, folder, text, str(new_cidr) if new_cidr else None, bucket)


def write_env(root: Path, new: NewEnv, source: str) -> list[Path]:
    """Create the folder (config.py plus the copied lock file and usage.toml); returns the files written."""
    new.folder.mkdir(parents=True)
    written = [new.folder / CONFIG_FILE]
    try:
        written[0].write_text(new.config, encoding="utf-8")
        for item in COPIED:
            if (root / "environments" / source / item).is_file():
                shutil.copy2(root / "environments" / source / item, new.folder / item)
                written.append(new.folder / item)
    except OSError:
        shutil.rmtree(new.folder, ignore_errors=True)
        raise
    return written


def create_env(root: Path, name: str, source: str, cidr: str | None) -> tuple[NewEnv, list[Path], list[Difference]]:
    """`new env`: plan, write, then render every env and the workflows; a failed render removes
    the new folder again. Returns the plan, the files written and what the render changed."""
    from generator.render import pipeline

    planned = plan_env(root, name, source, cidr)
    written = write_env(root, planned, source)
    try:
        diffs = pipeline.write(root, pipeline.render(root))
    except BaseException:
        shutil.rmtree(planned.folder, ignore_errors=True)  # never leave a half-made env behind
        raise
    return planned, written, diffs


def _vpc_cidr(item: LoadedEnv) -> Network | None:
    vpc: Any = getattr(item.env.stack, "vpc", None)
    value = getattr(vpc, "cidr", None)
    return ipaddress.ip_network(value) if isinstance(value, str) else None


def _choose_cidr(wanted: str | None, old: Network | None, taken: dict[str, Network]) -> Network | None:
    if wanted is not None:
        try:
            network = ipaddress.ip_network(wanted)
        except ValueError:
            raise UsageError(f"new env: --cidr {wanted!r} is not a network like 10.1.0.0/18") from None
        clash = sorted(env for env, net in taken.items() if net.version == network.version and net.overlaps(network))
        if clash:
            raise UsageError(f"new env: --cidr {wanted} overlaps the VPC of {', '.join(clash)}")
        if old is None:
            raise UsageError("new env: --cidr given but the source environment sets no VPC cidr to replace")
        return network
    if old is None:
        return None
    # The next free block of the source's size inside its /8 (10.0.0.0/18 -> 10.0.64.0/18...).
    for candidate in old.supernet(new_prefix=8).subnets(new_prefix=old.prefixlen):
        if not any(net.version == candidate.version and net.overlaps(candidate) for net in taken.values()):
            return candidate
    raise UsageError(f"new env: no free /{old.prefixlen} left beside the other VPCs; pass --cidr")


def _bucket(origin: LoadedEnv, name: str) -> str:
    old, source = origin.env.state_bucket, origin.env.name
    return old[: -len(source)] + name if old.endswith(source) else f"{origin.env.project}-terraform-state-{name}"


def _rewrite(text: str, source: str, name: str, bucket: str, old_cidr: str | None, new_cidr: str | None) -> str:
    """Replace string literals by their positions in the syntax tree, so nothing else moves."""
    tree = ast.parse(text)
    skip = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr) or (isinstance(node, ast.keyword) and node.arg == "after")
        for inner in ast.walk(node)
    }
    replacements: list[tuple[ast.Constant, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == "state_bucket" and isinstance(node.value, ast.Constant):
            replacements.append((node.value, bucket))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            if node.value == source:
                replacements.append((node, name))
            elif old_cidr is not None and new_cidr is not None and node.value == old_cidr:
                replacements.append((node, new_cidr))
    lines = text.splitlines(keepends=True)
    seen: set[int] = set()
    for node, value in sorted(replacements, key=lambda r: (r[0].lineno, r[0].col_offset), reverse=True):
        if id(node) in seen or node.end_lineno != node.lineno or node.end_col_offset is None:
            continue
        seen.add(id(node))
        line = lines[node.lineno - 1].encode()
        quote = line[node.col_offset : node.col_offset + 1].decode()
        if quote not in ("'", '"') or line[node.end_col_offset - 1 : node.end_col_offset].decode() != quote:
            continue  # prefixed or triple-quoted strings are left as they are
        lines[node.lineno - 1] = (
            line[: node.col_offset] + f"{quote}{value}{quote}".encode() + line[node.end_col_offset :]
        ).decode()
    result = "".join(lines)
    docstring = ast.get_docstring(tree)
    if docstring and docstring.startswith(f"{source}:"):
        result = result.replace(f'"""{source}:', f'"""{name} (from {source}):', 1)
    return result
