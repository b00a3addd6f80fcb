"""Checks shared by module input objects. Each raises InputError(field, message, module=...)."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable

from generator.errors import InputError

_IDENT = re.compile(r"^[a-z][a-z0-9_]*$")


def cidr(module: str, field: str, value: str) -> ipaddress.IPv4Network:
    try:
        network = ipaddress.IPv4Network(value, strict=True)
    except ValueError as err:
        raise InputError(field, f"{value!r} is not a valid IPv4 CIDR ({err})", module=module) from None
    return network


def in_range(module: str, field: str, value: int, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InputError(field, f"{value!r} must be a whole number from {low} to {high}", module=module)


def one_of(module: str, field: str, value: object, allowed: Iterable[object]) -> None:
    options = list(allowed)
    if value not in options:
        raise InputError(field, f"{value!r} must be one of {', '.join(map(repr, options))}", module=module)


def matches(module: str, field: str, value: str, pattern: str, what: str) -> None:
    if not isinstance(value, str) or not re.fullmatch(pattern, value):
        raise InputError(field, f"{value!r} is not {what}", module=module)


def identifier(module: str, field: str, value: str) -> None:
    if not isinstance(value, str) or not _IDENT.match(value):
        raise InputError(field, f"{value!r} must start with a letter and hold only a-z, 0-9 and _", module=module)


def no_overlap(module: str, field: str, networks: list[ipaddress.IPv4Network]) -> None:
    for i, first in enumerate(networks):
        for second in networks[i + 1:]:
            if first.overlaps(second):
                raise InputError(field, f"subnets {first} and {second} overlap", module=module)


def within(module: str, field: str, networks: list[ipaddress.IPv4Network], parent: ipaddress.IPv4Network) -> None:
    for network in networks:
        if not network.subnet_of(parent):
            raise InputError(field, f"subnet {network} is outside the VPC CIDR {parent}", module=module)


def tf_name(value: str) -> str:
    """A Terraform-safe local name from a human one ('my-app' -> 'my_app')."""
    return re.sub(r"[^a-z0-9_]", "_", value.lower())
