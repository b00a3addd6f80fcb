"""The files terraform reads besides the HCL: the CLI config and the local backend settings.

HCLGEN_PLUGIN_MIRROR: a folder holding providers in Terraform's unpacked mirror layout.
When set, every terraform run uses a generated CLI config that installs providers only
from there (for machines without access to the Terraform registry).
"""

from __future__ import annotations

import os
from pathlib import Path

from generator.localaws.server import ACCESS_KEY, SECRET_KEY, Server
from generator.paths import work_dir

MIRROR_ENV_VAR = "HCLGEN_PLUGIN_MIRROR"


def local_backend_config(server: Server) -> str:
    """-backend-config for the S3 backend against the local server (partial configuration)."""
    return "\n".join(
        [
            f'endpoints = {{ s3 = "{server.endpoint}" }}',
            "use_path_style = true",
            "skip_credentials_validation = true",
            "skip_requesting_account_id = true",
            "skip_metadata_api_check = true",
            "skip_region_validation = true",
            f'access_key = "{ACCESS_KEY}"',
            f'secret_key = "{SECRET_KEY}"',
            "",
        ]
    )


def cli_config_text(mirror: str) -> str:
    path = mirror.replace("\\", "\\\\").replace('"', '\\"')
    return "\n".join(
        [
            "provider_installation {",
            "  filesystem_mirror {",
            f'    path    = "{path}"',
            '    include = ["registry.terraform.io/*/*"]',
            "  }",
            "  direct {",
            '    exclude = ["registry.terraform.io/*/*"]',
            "  }",
            "}",
            "",
        ]
    )


def write_cli_config(root: Path) -> Path | None:
    """The CLI config file for HCLGEN_PLUGIN_MIRROR, or None (the user's own config stays)."""
    mirror = os.environ.get(MIRROR_ENV_VAR)
    if not mirror:
        return None
    path = work_dir(root) / "terraform.rc"
    text = cli_config_text(str(Path(mirror).resolve()))
    if not path.is_file() or path.read_text() != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return path
