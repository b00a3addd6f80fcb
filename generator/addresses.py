"""Terraform resource addresses (`aws_ecr_repository.app`, `aws_subnet.private[0]`): their form and type.

Environment (checking `moves`) and render/moved (detecting them) both read addresses; the rule
lives on the base floor so neither imports the other."""

from __future__ import annotations

import re

ADDRESS = re.compile(r'^[a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*(\[(\d+|"[^"\\]*")\])?$')


def resource_type(address: str) -> str:
    return address.split(".", 1)[0]
