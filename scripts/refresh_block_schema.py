"""Regenerate generator/render/data/aws_blocks.json.gz from the AWS provider's own schema.

The HCL emitter must know which nested keys are blocks (`load_balancer { }`) and which are
attributes holding maps (`tags = { }`); cdktf's JSON does not say. Run after changing the
provider version:

    HCLGEN_PLUGIN_MIRROR=/path/to/mirror python scripts/refresh_block_schema.py
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from generator.environment import AWS_PROVIDER_CONSTRAINT, AWS_PROVIDER_SOURCE  # noqa: E402
from generator.terraform.cliconfig import MIRROR_ENV_VAR, cli_config_text  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "generator" / "render" / "data" / "aws_blocks.json.gz"
PROVIDER = f"registry.terraform.io/{AWS_PROVIDER_SOURCE}"


def _blocks(block: dict[str, Any]) -> dict[str, Any]:
    return {name: _blocks(spec["block"]) for name, spec in sorted(block.get("block_types", {}).items())}


def _schema(workdir: Path) -> dict[str, Any]:
    (workdir / "main.tf").write_text(
        "terraform {\n  required_providers {\n    aws = {\n"
        f'      source  = "{AWS_PROVIDER_SOURCE}"\n      version = "{AWS_PROVIDER_CONSTRAINT}"\n'
        "    }\n  }\n}\n"
    )
    env = dict(os.environ)
    mirror = os.environ.get(MIRROR_ENV_VAR)
    if mirror:
        rc = workdir / "terraform.rc"
        rc.write_text(cli_config_text(mirror))
        env["TF_CLI_CONFIG_FILE"] = str(rc)
    subprocess.run(
        ["terraform", "init", "-input=false", "-no-color"], cwd=workdir, env=env, check=True, stdout=subprocess.DEVNULL
    )
    raw = subprocess.run(
        ["terraform", "providers", "schema", "-json"], cwd=workdir, env=env, check=True, capture_output=True
    ).stdout
    return json.loads(raw)["provider_schemas"][PROVIDER]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        schema = _schema(Path(tmp))
    kinds = {"resource": "resource_schemas", "data": "data_source_schemas"}
    table: dict[str, Any] = {"provider": _blocks(schema["provider"]["block"])}
    for kind, key in kinds.items():
        found = {name: _blocks(spec["block"]) for name, spec in sorted(schema[key].items())}
        table[kind] = {name: blocks for name, blocks in found.items() if blocks}
    text = json.dumps(table, sort_keys=True, separators=(",", ":")).encode()
    OUT.write_bytes(gzip.compress(text, mtime=0))
    print(f"wrote {OUT} ({len(table['resource'])} resource types with blocks)")


if __name__ == "__main__":
    main()
