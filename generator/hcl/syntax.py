"""Pure HCL writer: a small syntax tree rendered exactly as `terraform fmt` would print it.

Strings follow Terraform's JSON-syntax rule (they are templates): a string that is exactly one
`${expr}` becomes the native expression `expr`; any other string becomes a quoted interpolation.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from generator.hcl import interpolation

INDENT = "  "
MAX_INLINE = 80  # longest single-line list we print before breaking it up, for reviewers
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_RESERVED = {"true", "false", "null", "for", "in", "if", "endfor", "endif"}


@dataclass(frozen=True)
class Expr:
    """A native HCL expression written verbatim, e.g. `aws_vpc.this.id`."""

    text: str


@dataclass(frozen=True)
class Call:
    """A function call with one argument, e.g. jsonencode({...})."""

    name: str
    argument: Any


@dataclass(frozen=True)
class Heredoc:
    """A multi-line string as `<<EOT` ... `EOT`: its text ends with a newline and has no `EOT` line."""

    text: str  # the template body, its `${...}` already spaced as fmt prints them
    marker: str = "EOT"


@dataclass(frozen=True)
class Attr:
    name: str | Expr
    value: Any


@dataclass(frozen=True)
class Block:
    type: str
    labels: tuple[str, ...] = ()
    body: list[Item] = field(default_factory=list)


@dataclass(frozen=True)
class Blank:
    """An empty line between groups of a body."""


Item = Attr | Block | Blank


def render_file(header: list[str], blocks: list[Block]) -> str:
    """A whole file: comment header, then top-level blocks separated by blank lines."""
    chunks = ["\n".join(render_block(block, 0)) for block in blocks]
    head = "\n".join(f"# {line}" if line else "#" for line in header)
    return head + "\n\n" + "\n\n".join(chunks) + "\n"


def render_block(block: Block, depth: int) -> list[str]:
    pad = INDENT * depth
    opening = " ".join([block.type, *(json.dumps(label) for label in block.labels)])
    if not block.body:
        return [f"{pad}{opening} {{}}"]
    return [f"{pad}{opening} {{", *render_body(block.body, depth + 1), f"{pad}}}"]


def render_body(items: list[Item], depth: int) -> list[str]:
    """Lines of a block body; `=` aligned over runs of single-line attributes, as fmt does."""
    lines: list[str] = []
    chain: list[tuple[str, list[str]]] = []
    pad = INDENT * depth

    def flush() -> None:
        width = max((len(name) for name, _ in chain), default=0)
        for name, value in chain:
            lines.append(f"{pad}{name.ljust(width)} = {value[0]}")
            lines.extend(value[1:])  # a heredoc's body and marker, verbatim
        chain.clear()

    for item in _trim_blanks(items):
        if isinstance(item, Attr):
            value_lines = render_value(item.value, depth)
            if len(value_lines) == 1 or isinstance(item.value, Heredoc):  # fmt aligns a heredoc's `=` too
                chain.append((_key(item.name, attribute=True), value_lines))
                continue
            flush()
            lines.append(f"{pad}{_key(item.name, attribute=True)} = {value_lines[0]}")
            lines.extend(value_lines[1:])
            continue
        flush()
        lines.extend([""] if isinstance(item, Blank) else render_block(item, depth))
    flush()
    return lines


def render_value(value: Any, depth: int) -> list[str]:
    """A value's lines: the first continues the `key = ` line, the rest carry their indent."""
    if isinstance(value, dict):
        return _render_object(value, depth)
    if isinstance(value, (list, tuple)):
        return _render_list(list(value), depth)
    if isinstance(value, Heredoc):
        return [f"<<{value.marker}", *value.text.split("\n")[:-1], value.marker]
    if isinstance(value, Call):
        inner = render_value(value.argument, depth)
        return (
            [f"{value.name}({inner[0]}", *inner[1:-1], inner[-1] + ")"]
            if len(inner) > 1
            else [f"{value.name}({inner[0]})"]
        )
    return [_scalar(value)]


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if isinstance(value, Expr):
        return value.text
    if isinstance(value, str):
        expression = interpolation.sole_expression(value)
        return expression if expression is not None else interpolation.quote(value)
    raise TypeError(f"cannot render {type(value).__name__} as HCL")


def _render_object(value: dict[Any, Any], depth: int) -> list[str]:
    if not value:
        return ["{}"]
    body: list[Item] = [Attr(_key(key), item) for key, item in value.items()]
    return ["{", *render_body(body, depth + 1), INDENT * depth + "}"]


def _render_list(items: list[Any], depth: int) -> list[str]:
    if not items:
        return ["[]"]
    rendered = [render_value(item, depth + 1) for item in items]
    if all(len(lines) == 1 for lines in rendered):
        inline = "[" + ", ".join(lines[0] for lines in rendered) + "]"
        if len(inline) <= MAX_INLINE or len(items) == 1:
            return [inline]
    pad = INDENT * (depth + 1)
    out = ["["]
    for lines in rendered:
        out.append(pad + lines[0])
        out.extend(lines[1:])
        out[-1] += ","
    return [*out, INDENT * depth + "]"]


def _key(name: str | Expr, attribute: bool = False) -> str:
    if isinstance(name, Expr):
        return name.text
    if attribute or (_IDENT.match(name) and name not in _RESERVED):
        return name
    return json.dumps(name)


def _trim_blanks(items: list[Item]) -> list[Item]:
    """Drop leading, trailing and doubled blank lines."""
    out: list[Item] = []
    for item in items:
        if isinstance(item, Blank) and (not out or isinstance(out[-1], Blank)):
            continue
        out.append(item)
    while out and isinstance(out[-1], Blank):
        out.pop()
    return out
