"""moved.tf of one environment: the committed HCL and moved.tf on disk + the new synthesis -> its text.

The committed resources are read from the env folder's generated files (the goldens that were
applied); only files holding an address that disappears are parsed (python-hcl2). Earlier moved
blocks are carried forward until `python main.py moved --prune ENV` drops them, so synth and
`synth --check` give the same moved.tf in a fresh clone.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from generator.addresses import ADDRESS
from generator.errors import ConfigError
from generator.render import moved
from generator.render.emit import GENERATED_MARK, SCHEMA_FILE, EnvDocument
from generator.render.moved import MOVED_FILE, Declared, Move, MoveConflict, Resource
from generator.render.writer import generated_files

IDENTITY_FILE = SCHEMA_FILE.parent / "aws_identity.json.gz"
_RESOURCE_LINE = re.compile(r'^resource "([^"]+)" "([^"]+)" \{', re.MULTILINE)


@cache
def identity_table() -> dict[str, list[str]]:
    """Resource type -> identity attribute paths (scripts/refresh_identity_schema.py)."""
    table: dict[str, list[str]] = json.loads(gzip.decompress(IDENTITY_FILE.read_bytes()))
    return table


def header(env: str) -> list[str]:
    return [
        f"{GENERATED_MARK} where resource addresses changed: Terraform moves these",
        "objects in the state instead of destroying and recreating them. Do not edit by hand;",
        f"kept until `python main.py moved --prune {env}` finds the state no longer needs them.",
    ]


def existing_moves(env_root: Path, env: str) -> list[Move]:
    path = env_root / MOVED_FILE
    if not path.is_file():
        return []
    try:
        return moved.parse(path.read_text(encoding="utf-8"))
    except MoveConflict as err:
        raise ConfigError(f"environments/{env}/{err}", env=env) from None
    except ValueError:  # not UTF-8
        raise ConfigError(f"environments/{env}/{MOVED_FILE} is not UTF-8 text; restore it from git", env=env) from None


def text(env: str, moves: Sequence[Move]) -> str | None:
    return moved.render(header(env), moves) if moves else None


def is_canonical(path: Path, env: str) -> bool:
    """True when a moved.tf on disk is exactly what synth writes for its own blocks."""
    try:
        moves = moved.parse(path.read_text(encoding="utf-8"))
        return text(env, moves) == path.read_text(encoding="utf-8")
    except (OSError, ValueError, MoveConflict):  # ValueError: not UTF-8
        return False


def moved_tf(env_root: Path, document: EnvDocument, declared: Sequence[Declared]) -> str | None:
    """The moved.tf this synthesis needs (None: no file). ConfigError on an ambiguous match."""
    env = document.env
    new = _synthesized(document)
    old_files = _committed_addresses(env_root)
    removed = {address for address in old_files if address not in new}
    try:
        found = (
            moved.detect(_committed(env_root, old_files, removed), new, declared, identity_table())
            if (removed or declared)
            else []
        )
        moves = moved.merge(existing_moves(env_root, env), found, new)
    except MoveConflict as err:
        raise ConfigError(str(err), env=env, field="moves") from None
    return text(env, moves)


def declared_moves(document: EnvDocument, env_moves: Mapping[str, str]) -> list[Declared]:
    """moved_from= given to tracked() and Environment.moves, as full addresses."""
    out = []
    for origin in document.origins:
        if origin.kind == "resource" and origin.moved_from:
            source = origin.moved_from if "." in origin.moved_from else f"{origin.type}.{origin.moved_from}"
            if not ADDRESS.match(source):
                raise ConfigError(
                    f"moved_from={origin.moved_from!r} at {origin.source} is not a resource name or address",
                    env=document.env,
                )
            out.append(Declared(source, f"{origin.type}.{origin.name}", f"moved_from= at {origin.source}"))
    where = f"Environment.moves in {document.config_path}"
    out += [Declared(source, target, where) for source, target in sorted(env_moves.items())]
    return out


def _synthesized(document: EnvDocument) -> dict[str, Resource]:
    resources = document.document.get("resource", {})
    return {
        f"{o.type}.{o.name}": Resource(f"{o.type}.{o.name}", o.file, resources[o.type][o.name], o.source)
        for o in document.origins
        if o.kind == "resource"
    }


def _committed_addresses(env_root: Path) -> dict[str, str]:
    """Address -> file of every resource in the env's generated files (moved.tf aside)."""
    found: dict[str, str] = {}
    if not env_root.is_dir():
        return found
    for path in generated_files(env_root):
        if path.name != MOVED_FILE:
            for type_, name in _RESOURCE_LINE.findall(path.read_text(encoding="utf-8", errors="replace")):
                found[f"{type_}.{name}"] = path.name
    return found


def _committed(env_root: Path, files: Mapping[str, str], wanted: set[str]) -> dict[str, Resource]:
    """The committed resources; attributes parsed only for `wanted` (the others keep their address)."""
    import hcl2

    parsed: dict[str, dict[str, Any]] = {}
    for name in sorted({files[address] for address in wanted}):
        try:
            document = hcl2.loads((env_root / name).read_text(encoding="utf-8"))
        except Exception as err:  # noqa: BLE001 - not UTF-8 or not HCL (lark's errors): one line
            raise ConfigError(
                f"environments/{env_root.name}/{name} cannot be read as HCL "
                f"({type(err).__name__}); restore it from git or delete it, then synth"
            ) from None
        for entry in document.get("resource", []):
            for type_, named in entry.items():
                for label, body in named.items():
                    parsed[f"{_unquote(type_)}.{_unquote(label)}"] = {
                        key: _value(value) for key, value in body.items() if not key.startswith("__")
                    }
    return {address: Resource(address, file, parsed.get(address, {})) for address, file in files.items()}


def _unquote(text: str) -> str:
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == '"' else text


def _value(value: Any) -> Any:
    """python-hcl2 keeps string quotes and writes expressions as "${...}": make both look like cdktf's JSON."""
    if isinstance(value, str):
        if len(value) >= 2 and value[0] == value[-1] == '"':
            try:
                return str(json.loads(value))
            except ValueError:
                return value[1:-1]
        return value
    if isinstance(value, list):
        return [_value(item) for item in value]
    if isinstance(value, dict):
        return {_unquote(key): _value(item) for key, item in value.items() if not key.startswith("__")}
    return value
