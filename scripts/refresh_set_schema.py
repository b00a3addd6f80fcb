"""Regenerate generator/plan/data/aws_sets.json.gz from the AWS provider's own schema.

The plan comment diffs set-typed attributes as sets (added / removed elements), not by
position; `terraform show -json` renders sets as arrays and does not say which arrays are
sets, the provider schema does. The table maps resource type -> dotted attribute paths (no
indices) that are sets: set-nested blocks (`ingress`) and set attributes
(`network_configuration.subnets`). Run after changing the provider version:

    HCLGEN_PLUGIN_MIRROR=/path/to/mirror python scripts/refresh_set_schema.py
"""

from __future__ import annotations

import gzip
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from refresh_block_schema import _schema  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "generator" / "review" / "data" / "aws_sets.json.gz"


def _type_sets(kind: Any, path: str) -> list[str]:
    """Set paths inside a cty type expression: ["set", ["object", {"cidr": "string"}]]."""
    if not isinstance(kind, list) or len(kind) != 2:
        return []
    if kind[0] == "object" and isinstance(kind[1], dict):
        return [found for key, sub in kind[1].items() for found in _type_sets(sub, f"{path}.{key}")]
    return ([path] if kind[0] == "set" else []) + _type_sets(kind[1], path)


def set_paths(block: dict[str, Any], prefix: str = "") -> list[str]:
    """Dotted paths of the set-typed attributes and set-nested blocks below one schema block."""
    out: list[str] = []
    for name, spec in block.get("attributes", {}).items():
        nested = spec.get("nested_type")
        out += _type_sets(spec.get("type"), prefix + name)
        if nested and nested.get("nesting_mode") == "set":
            out.append(prefix + name)
        if nested:
            out += set_paths(nested, f"{prefix}{name}.")
    for name, spec in block.get("block_types", {}).items():
        if spec.get("nesting_mode") == "set":
            out.append(prefix + name)
        out += set_paths(spec["block"], f"{prefix}{name}.")
    return sorted(set(out))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        schema = _schema(Path(tmp))
    found = {name: set_paths(spec["block"]) for name, spec in sorted(schema["resource_schemas"].items())}
    table = {name: paths for name, paths in found.items() if paths}
    text = json.dumps(table, sort_keys=True, separators=(",", ":")).encode()
    OUT.write_bytes(gzip.compress(text, mtime=0))
    print(f"wrote {OUT} ({len(table)} resource types with set attributes)")


if __name__ == "__main__":
    main()
