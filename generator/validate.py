"""Checks shared by module input objects. Each raises InputError(field, message, module=...)."""

from __future__ import annotations

import dataclasses
import functools
import gzip
import importlib.util
import ipaddress
import json
import re
import types as types_module
import typing
from collections import abc
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from generator.errors import InputError

_IDENT = re.compile(r"^[a-z][a-z0-9_]*$")

# The retention periods CloudWatch Logs accepts (days); 0 is not one: it means never expire.
LOG_RETENTION_DAYS: tuple[int, ...] = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)


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
        for second in networks[i + 1 :]:
            if first.overlaps(second):
                raise InputError(field, f"subnets {first} and {second} overlap", module=module)


def within(module: str, field: str, networks: list[ipaddress.IPv4Network], parent: ipaddress.IPv4Network) -> None:
    for network in networks:
        if not network.subnet_of(parent):
            raise InputError(field, f"subnet {network} is outside the VPC CIDR {parent}", module=module)


def tf_name(value: str) -> str:
    """A Terraform-safe local name from a human one ('my-app' -> 'my_app')."""
    return re.sub(r"[^a-z0-9_]", "_", value.lower())


# Generic type check of input dataclasses, from their resolved type hints ---------------------

TAG_KEY_MAX = 128  # AWS tag limits (keys 128, values 256 characters)
TAG_VALUE_MAX = 256


def types(obj: object, module: str | None = None, prefix: str = "") -> None:
    """Check every field of a dataclass instance against its type hints, recursively.

    Raises InputError naming the dotted field ("environment.PORT", module "ecs"). Nested
    dataclasses are walked too, so any new inputs dataclass is covered without extra code."""
    hints = _hints(type(obj))
    for item in dataclasses.fields(obj):  # type: ignore[arg-type]
        name = f"{prefix}{item.name}"
        value = getattr(obj, item.name)
        _check(value, hints.get(item.name, Any), module, name)
        if item.name == "tags" and isinstance(value, Mapping):
            tag_limits(module, name, value)


def tag_limits(module: str | None, field: str, tags: Mapping[object, object]) -> None:
    for key, value in tags.items():
        if not 1 <= len(str(key)) <= TAG_KEY_MAX:
            raise InputError(field, f"tag key {str(key)[:40]!r}... must be 1..{TAG_KEY_MAX} characters", module=module)
        if len(str(value)) > TAG_VALUE_MAX:
            raise InputError(
                f"{field}.{key}",
                f"tag value is {len(str(value))} characters; AWS allows {TAG_VALUE_MAX}",
                module=module,
            )


def _hints(cls: type) -> dict[str, Any]:
    try:
        return typing.get_type_hints(cls)
    except (NameError, TypeError):  # a hint that cannot be resolved (TYPE_CHECKING import): skip it
        return {}


def _describe(value: object) -> str:
    shown = repr(value)
    return f"{shown[:60]}..." if len(shown) > 60 else shown


def _fail(module: str | None, name: str, value: object, expected: str) -> typing.NoReturn:
    raise InputError(name, f"{_describe(value)} is {type(value).__name__}, expected {expected}", module=module)


_SIMPLE: dict[type, str] = {str: "a string", int: "a whole number", float: "a number", bool: "True or False"}


def _check(value: object, hint: Any, module: str | None, name: str) -> None:
    if hint is Any or isinstance(hint, typing.TypeVar):
        return
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if hint in _SIMPLE:
        _check_simple(value, hint, module, name)
    elif hint is type(None):
        if value is not None:
            _fail(module, name, value, "None")
    elif origin is typing.Literal:
        if value not in args or type(value) is not type(next(a for a in args if a == value)):
            raise InputError(name, f"{_describe(value)} must be one of {', '.join(map(repr, args))}", module=module)
    elif origin in (typing.Union, types_module.UnionType):
        _check_union(value, args, module, name)
    elif dataclasses.is_dataclass(hint) and isinstance(hint, type):
        if not isinstance(value, hint):
            _fail(module, name, value, f"{hint.__name__}(...)")
        types(value, module, f"{name}.")
    elif origin is not None:
        _check_generic(value, origin, args, module, name)
    elif isinstance(hint, type) and not _is_protocol(hint) and not isinstance(value, hint):
        _fail(module, name, value, hint.__name__)


def _check_simple(value: object, hint: type, module: str | None, name: str) -> None:
    if hint is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    elif hint is int:
        ok = isinstance(value, int) and not isinstance(value, bool)  # bool is a subclass of int
    else:
        ok = isinstance(value, hint)
    if not ok:
        _fail(module, name, value, _SIMPLE[hint])


def _check_union(value: object, args: tuple[Any, ...], module: str | None, name: str) -> None:
    errors: list[InputError] = []
    for arg in args:
        try:
            _check(value, arg, module, name)
            return
        except InputError as err:
            errors.append(err)
    inner = [err for err in errors if err.field != name]  # an error deeper down says more
    if inner:
        raise inner[0]
    expected = " or ".join("None" if arg is type(None) else getattr(arg, "__name__", str(arg)) for arg in args)
    _fail(module, name, value, expected)


def _check_generic(value: object, origin: Any, args: tuple[Any, ...], module: str | None, name: str) -> None:
    if origin in (tuple, list, Sequence, abc.Sequence, set, frozenset):
        kind = {tuple: tuple, list: list, set: set, frozenset: frozenset}.get(origin, (list, tuple))
        if not isinstance(value, kind) or isinstance(value, str):
            _fail(module, name, value, f"a {getattr(origin, '__name__', 'sequence')}")
        items = list(value)
        if origin is tuple and args and not (len(args) == 2 and args[1] is Ellipsis):
            if len(items) != len(args):
                raise InputError(name, f"needs {len(args)} items, got {len(items)}", module=module)
            for index, (item, arg) in enumerate(zip(items, args)):
                _check(item, arg, module, f"{name}[{index}]")
            return
        for index, item in enumerate(items):
            _check(item, args[0] if args else Any, module, f"{name}[{index}]")
    elif origin in (dict, Mapping, abc.Mapping, abc.MutableMapping):
        if not isinstance(value, abc.Mapping):
            raise InputError(
                name, f"{_describe(value)} is {type(value).__name__}, expected a mapping (dict)", module=module
            )
        key_hint, value_hint = args if len(args) == 2 else (Any, Any)
        for key, item in value.items():
            _check(key, key_hint, module, f"{name} key {key!r}" if not isinstance(key, str) else name)
            _check(item, value_hint, module, f"{name}.{key}")
    elif isinstance(origin, type) and not isinstance(value, origin):
        _fail(module, name, value, origin.__name__)


def _is_protocol(hint: type) -> bool:
    return bool(getattr(hint, "_is_protocol", False))


# Facts from botocore's bundled data (a dependency already), not lists typed by hand -------------


# Read from botocore's data folder as files, not through a Session (a session resolves the user's
# profile, and a config must load the same whatever AWS_PROFILE says) nor its loader: importing the
# loader and building the EC2 service model cost ~0.25 s of CPU on every config load, while the one
# list needed is a few KB of a 4 MB model.
def _botocore_data() -> Path:
    spec = importlib.util.find_spec("botocore")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("botocore is not installed")
    return Path(spec.submodule_search_locations[0]) / "data"


@functools.lru_cache(maxsize=1)
def aws_regions() -> frozenset[str]:
    """Every region botocore's endpoint data knows, across partitions (aws, aws-cn, aws-us-gov...)."""
    partitions = json.loads((_botocore_data() / "endpoints.json").read_bytes())["partitions"]
    return frozenset(name for partition in partitions for name in partition["regions"])


# The InstanceType shape as botocore's EC2 model writes it: a string enum.
_INSTANCE_TYPE_SHAPE = re.compile(rb'"InstanceType":\{\s*"type":"string",\s*"enum":(\[[^\]]*\])')


@functools.lru_cache(maxsize=1)
def ec2_instance_types() -> frozenset[str]:
    """EC2 instance types from botocore's EC2 model (its newest API version); RDS classes are "db."
    plus one of them. Only the InstanceType enum is parsed; the whole model if it is written otherwise."""
    newest = max(path for path in (_botocore_data() / "ec2").iterdir() if path.is_dir())
    packed = newest / "service-2.json.gz"
    text = gzip.decompress(packed.read_bytes()) if packed.is_file() else (newest / "service-2.json").read_bytes()
    found = _INSTANCE_TYPE_SHAPE.search(text)
    if found is not None:
        return frozenset(json.loads(found.group(1)))
    return frozenset(json.loads(text)["shapes"]["InstanceType"]["enum"])


def region(module: str | None, field: str, value: str) -> None:
    if value not in aws_regions():
        raise InputError(
            field, f"{value!r} is not an AWS region botocore knows (e.g. us-east-1, ap-northeast-2)", module=module
        )


def rds_instance_class(module: str, field: str, value: str) -> None:
    if value == "db.serverless" or (value.startswith("db.") and value[3:] in ec2_instance_types()):
        return
    raise InputError(
        field, f"{value!r} is not an RDS instance class (db.<EC2 instance type>, e.g. db.t4g.micro)", module=module
    )
