"""Split Terraform template strings (as cdktf writes them in JSON) into literal and `${...}` parts."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Literal:
    text: str


@dataclass(frozen=True)
class Interpolation:
    expression: str  # the text between `${` and `}`


Part = Literal | Interpolation


def split(template: str) -> list[Part]:
    """Parts of a template; `$${` and `%%{` escapes stay inside literals untouched."""
    parts: list[Part] = []
    literal: list[str] = []
    i = 0
    while i < len(template):
        if template.startswith("$${", i) or template.startswith("%%{", i):
            literal.append(template[i : i + 3])
            i += 3
        elif template.startswith("${", i):
            end = _closing_brace(template, i + 2)
            if literal:
                parts.append(Literal("".join(literal)))
                literal = []
            parts.append(Interpolation(template[i + 2 : end].strip()))
            i = end + 1
        else:
            literal.append(template[i])
            i += 1
    if literal:
        parts.append(Literal("".join(literal)))
    return parts


def sole_expression(template: str) -> str | None:
    """The expression when the whole string is exactly one `${...}`, else None."""
    parts = split(template)
    if len(parts) == 1 and isinstance(parts[0], Interpolation):
        return parts[0].expression
    return None


def quote(template: str) -> str:
    """An HCL quoted template with the same meaning as the JSON-syntax template string."""
    out: list[str] = []
    for part in split(template):
        if isinstance(part, Interpolation):
            out.append("${" + part.expression + "}")
        else:
            out.append(_escape(part.text))
    return '"' + "".join(out) + '"'


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(text: str) -> str:
    return "".join(_ESCAPES.get(ch, ch if ch >= " " else f"\\u{ord(ch):04x}") for ch in text)


def _closing_brace(text: str, start: int) -> int:
    """Index of the `}` closing an interpolation whose body starts at `start`."""
    depth = 0
    i = start
    while i < len(text):
        ch = text[i]
        if ch == '"':
            i = _end_of_string(text, i + 1)
        elif ch in "{([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "}":
            if depth == 0:
                return i
            depth -= 1
        i += 1
    raise ValueError(f"unterminated interpolation in {text!r}")


def _end_of_string(text: str, i: int) -> int:
    """Index of the closing quote of a string literal inside an expression."""
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text.startswith("${", i):
            i = _closing_brace(text, i + 2) + 1
            continue
        if text[i] == '"':
            return i
        i += 1
    raise ValueError(f"unterminated string in {text!r}")
