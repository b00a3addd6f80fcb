"""Strings from outside (plans, logs, meta.json, env and file names, terraform's errors) made safe
for a GitHub comment: they read as the text they are, never as markup.

`text` is for running prose (list items, table cells): markdown and HTML punctuation becomes a
character reference (CommonMark treats those as literal characters), line breaks become spaces (no
new block can start: no heading, table row, list or `</details>` on its own line), and an `@`
gets a word joiner after it so no one is mentioned. `code` is an inline code span: a backtick
span when that is already safe, else `<code>` with the same references (a `|` would split a table
cell even inside backticks, a line break could end the span).
"""

from __future__ import annotations

import re
from urllib.parse import quote

_REFERENCES = {"&": "&amp;", "<": "&lt;"}  # no tag can open without "<" (">" stays readable: "a -> b")
# what can open markup mid-line: code, emphasis, links and images ("[" alone cannot close one), table
# cells, strikethrough, issue references; "_" only emphasises at word edges and stays (for_each)
_MARKUP = "\\`*[#|~"
_BREAKS = re.compile(r"[\r\n\u2028\u2029\x0b\x0c]+")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_SAFE_CODE = re.compile(r"^[^`|\r\n\u2028\u2029\x00-\x1f\x7f]*$")
WORD_JOINER = "\u2060"


def _reference(char: str) -> str:
    return _REFERENCES.get(char) or (f"&#{ord(char)};" if char in _MARKUP else char)


def text(value: object) -> str:
    """Plain text for a markdown line: no markup, no HTML, no line breaks, no mentions."""
    flat = _CONTROL.sub("", _BREAKS.sub(" ", str(value)))
    escaped = "".join(_reference(char) for char in flat)
    return escaped.replace("@", "@" + WORD_JOINER)


def code(value: object) -> str:
    """Inline code: `value` as is when a backtick span shows it literally, else <code> with references."""
    raw = str(value)
    if _SAFE_CODE.match(raw) and raw.strip() == raw and raw:
        return f"`{raw}`"
    flat = _CONTROL.sub("", _BREAKS.sub(" ", raw))
    inner = "".join(
        _REFERENCES.get(char) or (f"&#{ord(char)};" if char in _MARKUP or char == "@" else char) for char in flat
    )
    return f"<code>{inner}</code>"


def url_path(value: str) -> str:
    """A repository path for a link target: every character that could end or bend the link encoded."""
    return quote(value, safe="/._-~")


_URL = re.compile(r"^https://[A-Za-z0-9.-]+(:\d+)?(/[A-Za-z0-9._~/%-]*)?$")


def safe_url(value: str | None) -> str | None:
    """A link target from the environment (GITHUB_SERVER_URL...) only when it is a plain https URL."""
    return value if value and _URL.match(value) else None
