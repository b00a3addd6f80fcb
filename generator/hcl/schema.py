"""Which keys of a resource, data source or provider body are nested blocks, per provider.

Terraform's JSON syntax writes a nested block and an object-valued attribute the same way, so only
the provider's schema can tell them apart. The AWS schema is bundled; any other provider's comes
from `terraform providers schema -json` output given by the user. Without one, a body whose keys
are ambiguous is refused, naming the provider.
"""

from __future__ import annotations

import gzip
import json
import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from generator.errors import UsageError

BUNDLED = Path(__file__).resolve().parent.parent / "render" / "data" / "aws_blocks.json.gz"
Blocks = dict[str, Any]  # block name -> its own nested blocks


@cache
def bundled_aws() -> dict[str, Any]:
    """{"provider": Blocks, "resource": {type: Blocks}, "data": {type: Blocks}} of the AWS provider."""
    table: dict[str, Any] = json.loads(gzip.decompress(BUNDLED.read_bytes()))
    return table


@dataclass(frozen=True)
class Schemas:
    """Block tables per provider local name ("aws", "random"); a type's provider is its first word."""

    tables: dict[str, dict[str, Any]] = field(default_factory=dict)

    def blocks(self, kind: str, type_name: str) -> Blocks | None:
        """Nested blocks of a `resource`/`data` type or a `provider`; None when no schema is known."""
        provider = type_name if kind == "provider" else type_name.split("_", 1)[0]
        table = self.tables.get(provider)
        if table is None:
            return None
        if kind == "provider":
            found: Blocks = table["provider"]
            return found
        return dict(table[kind].get(type_name, {}))


def default_schemas() -> Schemas:
    return Schemas({"aws": bundled_aws()})


def with_schema_file(path: Path) -> Schemas:
    """The bundled AWS table plus every provider in a `terraform providers schema -json` file."""
    try:
        return _from_text(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise UsageError(f"{path}: not the output of `terraform providers schema -json` ({err})") from None


def installed(folder: Path) -> Schemas | None:
    """The providers installed in an initialised folder (`.terraform/providers`), by asking terraform."""
    if not (folder / ".terraform" / "providers").is_dir():
        return None
    from generator.runner import run_terraform

    done = run_terraform(
        ["providers", "schema", "-json"], cwd=folder, env=os.environ, echo_stdout=False, echo_stderr=False
    )
    try:
        return _from_text(done.stdout) if done.code == 0 else None
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def _from_text(text: str) -> Schemas:
    providers = json.loads(text)["provider_schemas"]
    tables = {"aws": bundled_aws()}
    for address, schema in providers.items():
        tables[address.rsplit("/", 1)[-1]] = _table(schema)
    return Schemas(tables)


def _table(schema: dict[str, Any]) -> dict[str, Any]:
    kinds = {"resource": "resource_schemas", "data": "data_source_schemas"}
    table: dict[str, Any] = {"provider": _blocks(schema.get("provider", {}).get("block", {}))}
    for kind, key in kinds.items():
        table[kind] = {name: _blocks(spec["block"]) for name, spec in schema.get(key, {}).items()}
    return table


def _blocks(block: dict[str, Any]) -> Blocks:
    return {name: _blocks(spec["block"]) for name, spec in block.get("block_types", {}).items()}
