"""Reading a Terraform JSON configuration: one *.tf.json file, a folder of them, or cdktf's stacks folder."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import UsageError
from generator.hcl.document import TOP_LEVEL

_MERGED_BY_NAME = ("variable", "output", "module", "check", "provider")


@dataclass(frozen=True)
class Stack:
    """One configuration to convert: its name (the subfolder in --out), files read, merged document."""

    name: str  # "" for a single configuration written straight into --out
    files: tuple[Path, ...]
    document: dict[str, Any]


def stacks(path: Path) -> list[Stack]:
    """The configurations at PATH; cdktf.out/stacks (folders of cdk.tf.json) gives one per stack."""
    if not path.exists():
        raise UsageError(f"{path}: no such file or folder")
    if path.is_file():
        return [Stack("", (path,), read(path))]
    files = sorted(path.glob("*.tf.json"))
    if not files and (path / "stacks").is_dir():  # cdktf.out itself
        path = path / "stacks"
    if files:
        return [Stack("", tuple(files), merge([(file, read(file)) for file in files]))]
    nested = sorted(folder for folder in path.iterdir() if folder.is_dir() and any(folder.glob("*.tf.json")))
    if not nested:
        raise UsageError(f"{path}: no *.tf.json file in this folder (nor in its subfolders, as cdktf.out/stacks has)")
    return [
        Stack(
            folder.name,
            tuple(sorted(folder.glob("*.tf.json"))),
            merge([(file, read(file)) for file in sorted(folder.glob("*.tf.json"))]),
        )
        for folder in nested
    ]


def read(path: Path) -> dict[str, Any]:
    """A parsed *.tf.json; one line for an empty file, invalid JSON, or JSON that is not a configuration."""
    if path.name == "override.tf.json" or path.name.endswith("_override.tf.json"):
        raise UsageError(
            f"{path}: an override file (Terraform merges it by its own rules); apply it to the "
            "configuration first, or move it out of the folder"
        )
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise UsageError(f"{path}: cannot read it ({err})") from None
    if not text.strip():
        raise UsageError(f"{path}: the file is empty")
    try:
        document = json.loads(text)
    except ValueError as err:
        raise UsageError(f"{path}: not valid JSON ({err})") from None
    if (
        not isinstance(document, dict)
        or not document
        or any(key not in TOP_LEVEL for key in document)
        or set(document) <= {"//"}
    ):
        raise UsageError(
            f"{path}: not a Terraform JSON configuration (a JSON object of top-level blocks such as "
            "`resource`, `variable`, `terraform`)"
        )
    return document


def merge(documents: list[tuple[Path, dict[str, Any]]]) -> dict[str, Any]:
    """Several files of one configuration as one document; a name defined twice is refused."""
    if len(documents) == 1:
        return documents[0][1]
    merged: dict[str, Any] = {}
    for path, document in documents:
        for key, value in document.items():
            if key in ("resource", "data"):
                if not isinstance(value, dict):
                    raise UsageError(f"{path}: `{key}` is not a JSON object")
                types = merged.setdefault(key, {})
                for type_name, named in value.items():
                    _merge_names(types.setdefault(type_name, {}), named, f"{key}.{type_name}", path)
            elif key in _MERGED_BY_NAME:
                _merge_names(merged.setdefault(key, {}), value, key, path)
            else:
                existing = merged.setdefault(key, [])
                existing.extend(value if isinstance(value, list) else [value])
    return merged


def _merge_names(into: dict[str, Any], named: Any, where: str, path: Path) -> None:
    if not isinstance(named, dict):
        raise UsageError(f"{path}: `{where}` is not a JSON object")
    for name, spec in named.items():
        if name in into and where != "provider":
            raise UsageError(f"{path}: `{where}.{name}` is defined in more than one file")
        if where == "provider" and name in into:
            into[name] = [*_as_list(into[name]), *_as_list(spec)]
        else:
            into[name] = spec


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
