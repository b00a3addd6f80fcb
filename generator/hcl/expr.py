"""A native HCL expression re-spaced exactly as `terraform fmt` prints it.

cdktf writes expressions with its own spacing (`[ for k, v in x: k]`); reviewers and `terraform fmt
-check` expect `[for k, v in x : k]`. The expression is split into tokens and joined again by the
spacing rules of hclwrite's formatter. Anything this small lexer does not understand (a heredoc, a
comment, a line break inside an expression) is refused rather than guessed at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.hcl.refusal import Unrenderable

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_OPERATORS = (
    "...",
    "::",
    "==",
    "!=",
    "<=",
    ">=",
    "&&",
    "||",
    "=>",
    "<",
    ">",
    "+",
    "-",
    "*",
    "/",
    "%",
    "!",
    "?",
    ":",
    "=",
    ",",
    ".",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
)
_OPEN = {"(", "[", "{"}
_CLOSE = {")", "]", "}"}
# After these a minus is a negation (no space after it), as hclwrite guesses.
_BEFORE_NEGATION = {
    "",
    "(",
    "{",
    "[",
    "=",
    ":",
    ",",
    "?",
    "+",
    "*",
    "/",
    "%",
    "-",
    "==",
    "!=",
    ">",
    ">=",
    "<",
    "<=",
    "&&",
    "||",
    "!",
}


@dataclass(frozen=True)
class Token:
    kind: str  # "ident" | "number" | "string" | "op"
    text: str


def normalise(text: str, where: str) -> str:
    """`text` (the inside of `${...}`) spaced as terraform fmt would print it."""
    tokens, end = _lex(text, 0, where, inside_template=False)
    if end != len(text):
        raise Unrenderable(f"unbalanced `}}` in expression `{text}`", where)
    if not tokens:
        raise Unrenderable("empty expression `${}`", where)
    return _join(tokens)


def template(raw: str, where: str, escape: bool) -> str:
    """A JSON-syntax template's text with every `${...}` / `%{...}` re-spaced; `escape` for inside quotes."""
    out, _ = _template(raw, 0, where, closing="", escape=escape)
    return out


def sole(raw: str, where: str) -> str | None:
    """The re-spaced expression when the whole template is exactly one `${...}`, else None."""
    if not raw.startswith("${"):
        return None
    tokens, end = _lex(raw, 2, where, inside_template=True)
    if end != len(raw) - 1:
        return None
    if not tokens:
        raise Unrenderable("empty expression `${}`", where)
    return _join(tokens)


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _join(tokens: list[Token]) -> str:
    out = [tokens[0].text]
    for index in range(1, len(tokens)):
        before = tokens[index - 2].text if index >= 2 else ""
        if _space(tokens[index - 1], tokens[index], before):
            out.append(" ")
        out.append(tokens[index].text)
    return "".join(out)


def _space(subject: Token, after: Token, before: str) -> bool:
    s, a = subject.text if subject.kind == "op" else "", after.text if after.kind == "op" else ""
    if subject.kind == "ident" and a == "(":
        return False
    if s in (".", "::") or a in (".", "::"):  # attribute access; provider::aws::fn(...)
        return False
    if a in (",", "..."):
        return False
    if s == ",":
        return True
    if s == "{" or a == "}":
        return not (s == "{" and a == "}")
    if s in _OPEN or a in _CLOSE:
        return False
    if a == "[" and (subject.kind in ("ident", "number", "string") or s in _CLOSE):
        return False
    if s == "-":
        return before not in _BEFORE_NEGATION
    if s == "!":
        return False
    return True


def _lex(text: str, i: int, where: str, inside_template: bool) -> tuple[list[Token], int]:
    """Tokens from `i` up to an unmatched `}` (returned position) or the end of text."""
    tokens: list[Token] = []
    depth = 0
    while i < len(text):
        ch = text[i]
        if ch == "\n" or ch == "\r":
            raise Unrenderable("an expression spanning lines", where)
        if ch in " \t":
            i += 1
            continue
        if ch == "#" or text.startswith("//", i) or text.startswith("/*", i):
            raise Unrenderable("a comment inside an expression", where)
        if text.startswith("<<", i):
            raise Unrenderable("a heredoc inside an expression", where)
        if ch == "~" and inside_template:
            raise Unrenderable("a template strip marker `~`", where)
        if ch == '"':
            body, i = _template(text, i + 1, where, closing='"', escape=False)
            tokens.append(Token("string", '"' + body + '"'))
            continue
        if ch == "}" and depth == 0:
            return tokens, i
        match = _IDENT.match(text, i) or _NUMBER.match(text, i)
        if match:
            tokens.append(Token("ident" if ch.isalpha() or ch == "_" else "number", match.group()))
            i = match.end()
            continue
        operator = next((op for op in _OPERATORS if text.startswith(op, i)), None)
        if operator is None:
            raise Unrenderable(f"unexpected character {ch!r} in expression", where)
        depth += (operator in _OPEN) - (operator in _CLOSE)
        if depth < 0:
            raise Unrenderable(f"unbalanced `{operator}` in expression", where)
        tokens.append(Token("op", operator))
        i += len(operator)
    if inside_template:
        raise Unrenderable("an unterminated interpolation", where)
    if depth:
        raise Unrenderable("an unbalanced bracket in expression", where)
    return tokens, i


def _template(text: str, i: int, where: str, closing: str, escape: bool) -> tuple[str, int]:
    """A template's body from `i` to `closing` ('"', or "" for the end), its sequences re-spaced.

    Inside an expression a string's escapes are kept as written; a raw JSON template's literal
    characters are escaped for a quoted HCL string when `escape` is set."""
    out: list[str] = []
    special = _SPECIAL_IN_STRING if closing else _SPECIAL_RAW
    while i < len(text):
        found = special.search(text, i)
        stop = found.start() if found else len(text)
        if stop > i:  # a run of plain literal characters
            out.append(text[i:stop].translate(_ESCAPE_TABLE) if escape else text[i:stop])
            i = stop
            continue
        if closing and text[i] == closing:
            return "".join(out), i + 1
        if text[i] == "\\" and closing:
            out.append(text[i : i + 2])
            i += 2
        elif text.startswith("$${", i) or text.startswith("%%{", i):
            out.append(text[i : i + 3])
            i += 3
        elif text.startswith("${", i) or text.startswith("%{", i):
            tokens, end = _lex(text, i + 2, where, inside_template=True)
            if not tokens:
                raise Unrenderable("empty template sequence", where)
            out.append(text[i : i + 2] + _sequence_inner(tokens) + "}")
            i = end + 1
        else:
            out.append(text[i].translate(_ESCAPE_TABLE) if escape else text[i])
            i += 1
    if closing:
        raise Unrenderable("an unterminated string in expression", where)
    return "".join(out), i


_SPECIAL_IN_STRING = re.compile(r'[\\"$%]')
_SPECIAL_RAW = re.compile(r"[$%]")
_ESCAPE_TABLE = {**{code: f"\\u{code:04x}" for code in range(0x20)}, **{ord(ch): text for ch, text in _ESCAPES.items()}}


def _sequence_inner(tokens: list[Token]) -> str:
    # `${ {a = 1} }`: fmt keeps a space between `${` and a leading `{` (and the closing pair).
    inner = _join(tokens)
    if tokens[0].text == "{" and tokens[0].kind == "op":
        inner = " " + inner
    if tokens[-1].text == "}" and tokens[-1].kind == "op":
        inner += " "
    return inner
