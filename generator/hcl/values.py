"""JSON-syntax values -> HCL value nodes with the same meaning.

A JSON string is a template: exactly one `${expr}` becomes the native `expr`; a string that is
exactly what jsonencode() writes becomes `jsonencode({...})`; a multi-line string becomes a heredoc
when that reads better and means the same; anything else is a quoted template. Every `where` is the
JSON path named when something cannot be rendered exactly.
"""

from __future__ import annotations

import re
from typing import Any

from generator.hcl import expr
from generator.hcl.refusal import Unrenderable
from generator.hcl.syntax import Call, Expr, Heredoc
from generator.jsonenc import as_document

_KEYWORD = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_IDENT_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_RESERVED_KEYS = {"true", "false", "null", "for", "in", "if", "endfor", "endif"}


def value(raw: Any, where: str, heredoc: bool = True) -> Any:
    """The HCL node for a JSON value in an expression position."""
    if isinstance(raw, str):
        return string(raw, where, heredoc)
    if isinstance(raw, dict):
        return {
            key(name, f"{where}.{name}"): value(item, f"{where}.{name}") for name, item in raw.items() if name != "//"
        }
    if isinstance(raw, list):
        return [value(item, f"{where}[{index}]", heredoc=False) for index, item in enumerate(raw)]
    if raw is None or isinstance(raw, (bool, int, float)):
        return raw
    raise Unrenderable(f"a {type(raw).__name__} value", where)


def string(raw: str, where: str, heredoc: bool = True) -> Any:
    document = as_document(raw)
    if document is not None:
        return Call("jsonencode", value(document, where, heredoc=False))
    sole = expr.sole(raw, where)
    if sole is not None:
        return Expr(sole)
    if heredoc and _heredoc_fits(raw):
        return Heredoc(expr.template(raw, where, escape=False))
    return Expr('"' + expr.template(raw, where, escape=True) + '"')


def key(name: str, where: str) -> Any:
    """An object key: bare when it is an identifier, `(expr)` for one interpolation, else quoted."""
    if _IDENT_KEY.match(name) and name not in _RESERVED_KEYS:
        return name
    sole = expr.sole(name, where)
    if sole is not None:
        return Expr(f"({sole})")
    return Expr('"' + expr.template(name, where, escape=True) + '"')


def reference(raw: Any, where: str) -> Expr:
    """A static reference written as a plain string (`aws.west`, `aws_instance.web`).

    cdktf sometimes wraps these in `${...}` (replace_triggered_by), which Terraform rejects; the
    reference meant is the same either way."""
    if not isinstance(raw, str) or not raw:
        raise Unrenderable(f"a reference that is not a string ({raw!r})", where)
    inner = expr.sole(raw, where)
    return Expr(inner if inner is not None else expr.normalise(raw, where))


def references(raw: Any, where: str) -> list[Expr]:
    if not isinstance(raw, list):
        raise Unrenderable("a reference list that is not a list", where)
    return [reference(item, f"{where}[{index}]") for index, item in enumerate(raw)]


def keyword(raw: Any, where: str, allowed: tuple[str, ...]) -> Expr:
    """A bare keyword such as `all`, `destroy`, `continue`."""
    text = raw if isinstance(raw, str) else ""
    inner = expr.sole(text, where) if text else None
    word = inner if inner is not None else text
    if word not in allowed or not _KEYWORD.match(word):
        raise Unrenderable(f"the keyword {raw!r} (expected one of {', '.join(allowed)})", where)
    return Expr(word)


def type_constraint(raw: Any, where: str) -> Expr:
    """A variable's type: the JSON string holds a type expression (`list(string)`)."""
    if not isinstance(raw, str):
        raise Unrenderable("a variable type that is not a string", where)
    inner = expr.sole(raw, where)
    return Expr(inner if inner is not None else expr.normalise(raw, where))


def _heredoc_fits(raw: str) -> bool:
    # A heredoc always ends with a newline and cannot hold a line equal to its marker.
    if not raw.endswith("\n") or "\n" not in raw[:-1] or "\r" in raw:
        return False
    if any(ch < " " and ch not in "\n\t" for ch in raw):
        return False
    return all(line.strip() != "EOT" for line in raw.split("\n"))
