"""Regenerate generator/render/data/aws_identity.json.gz: per resource type, the attributes that name the real object.

synth writes a `moved` block when a resource's address changes but its identity does not
(generator/render/moved.py). The provider schema says which attributes each type has and
whether they are settable; the vocabulary below says which of those name the object:

  * a type with a naming attribute (`name`, `identifier`, `bucket`, `family`, ...) is
    identified by it, plus the attributes scoping that name (`role`, `cluster`, `vpc_id`...);
  * a type without one (subnets, routes, NAT gateways, rules) by its locating attributes
    (`cidr_block`, `subnet_id`, `route_table_id`, ports...) and, when it has tags, `tags.Name`.

Types with neither get no entry: their moves are never guessed, only declared. Run after
changing the provider version:

    HCLGEN_PLUGIN_MIRROR=/path/to/mirror python scripts/refresh_identity_schema.py
"""

from __future__ import annotations

import gzip
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from refresh_block_schema import _schema  # noqa: E402  (same provider, same way of asking it)

from generator.render.emit import SCHEMA_FILE  # noqa: E402

OUT = SCHEMA_FILE.parent / "aws_identity.json.gz"
NAMING = (
    "name",
    "name_prefix",
    "identifier",
    "identifier_prefix",
    "bucket",
    "bucket_prefix",
    "family",
    "function_name",
    "cluster_identifier",
    "replication_group_id",
    "domain_name",
    "table_name",
)
SCOPES = (
    "role",
    "user",
    "group",
    "cluster",
    "repository",
    "vpc_id",
    "rest_api_id",
    "api_id",
    "log_group_name",
    "resource_id",
    "scalable_dimension",
    "service_namespace",
    "load_balancer_arn",
)
LOCATORS = (
    "cidr_block",
    "ipv6_cidr_block",
    "destination_cidr_block",
    "destination_ipv6_cidr_block",
    "destination_prefix_list_id",
    "availability_zone",
    "vpc_id",
    "subnet_id",
    "route_table_id",
    "allocation_id",
    "service_name",
    "security_group_id",
    "ip_protocol",
    "from_port",
    "to_port",
    "cidr_ipv4",
    "cidr_ipv6",
    "referenced_security_group_id",
    "prefix_list_id",
    "load_balancer_arn",
    "listener_arn",
    "target_group_arn",
    "port",
    "protocol",
    "priority",
    "repository",
    "role",
    "policy_arn",
    "resource_id",
    "scalable_dimension",
    "service_namespace",
)


def _settable(block: dict[str, Any]) -> set[str]:
    return {name for name, spec in block.get("attributes", {}).items() if spec.get("required") or spec.get("optional")}


def identity(block: dict[str, Any]) -> list[str]:
    """The identity attribute paths of one resource type ([] when nothing names it)."""
    settable = _settable(block)
    naming = [name for name in NAMING if name in settable]
    if naming:
        return naming + [name for name in SCOPES if name in settable and name not in naming]
    located = [name for name in LOCATORS if name in settable]
    return located + (["tags.Name"] if "tags" in settable else [])


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        schema = _schema(Path(tmp))
    table = {name: ids for name, spec in sorted(schema["resource_schemas"].items()) if (ids := identity(spec["block"]))}
    text = json.dumps(table, sort_keys=True, separators=(",", ":")).encode()
    OUT.write_bytes(gzip.compress(text, mtime=0))
    print(f"wrote {OUT} ({len(table)} of {len(schema['resource_schemas'])} resource types have an identity)")


if __name__ == "__main__":
    main()
