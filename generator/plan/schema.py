"""Which attributes of an AWS resource type are sets, from the provider schema (package data).

`terraform show -json` renders sets as arrays in no meaningful order; diffing them by position
turns one swapped element into a shifted list. generator/plan/data/aws_sets.json.gz, written by
scripts/refresh_set_schema.py from `terraform providers schema -json`, says which are sets.
"""

from __future__ import annotations

import functools
import gzip
import json
from pathlib import Path

SETS_FILE = Path(__file__).parent / "data" / "aws_sets.json.gz"


@functools.cache
def _table() -> dict[str, frozenset[str]]:
    raw = json.loads(gzip.decompress(SETS_FILE.read_bytes()))
    return {name: frozenset(paths) for name, paths in raw.items()}


def set_paths(resource_type: str) -> frozenset[str]:
    """Dotted attribute paths (no indices) of the type's sets: `ingress`, `network_configuration.subnets`."""
    return _table().get(resource_type, frozenset())
