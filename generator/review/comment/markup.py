"""Markdown pieces of the comment: sizes as GitHub counts them, code fences and spans, an env's
one-line summary, source links, and the blank-line tidy after the template. Pure."""

from __future__ import annotations

import re

from generator.plan.model import EnvPlan
from generator.review.comment import mdescape
from generator.review.comment.parts import plural


def size(text: str) -> int:
    """Length as GitHub may count it: characters outside the BMP count twice (UTF-16)."""
    return len(text.encode("utf-16-le")) // 2


def fence(text: str, lang: str = "") -> str:
    """A fenced code block whose fence is longer than any backtick run inside."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{lang}\n{text.rstrip()}\n{ticks}"


def code(text: str) -> str:
    """Inline code that shows any string literally (see mdescape.code)."""
    return mdescape.code(text)


def summary(env: EnvPlan) -> str:
    """`3 to add, 1 to destroy` or `no changes`."""
    counts = env.counts
    parts = [
        (counts.add, "add"),
        (counts.change, "change"),
        (counts.destroy, "destroy"),
        (counts.replace, "replace"),
        (counts.imported, "import"),
        (counts.moved, "move"),
        (counts.forget, "forget"),
    ]
    words = [f"{n} to {verb}" for n, verb in parts if n]
    if env.refresh_only and env.drift:
        words.append(f"refresh-only: {plural(len(env.drift), 'drifted resource')} to accept into the state")
    if env.outputs_changed:
        words.append(f"{plural(env.outputs_changed, 'output')} to change")
    if env.actions:
        words.append(f"{plural(len(env.actions), 'action')} to run")
    if env.deferred:
        words.append(f"{len(env.deferred)} deferred")
    return ", ".join(words) or "no changes"


def source_link(source: str, source_url: str | None) -> str:
    """`modules/vpc.py:42` as a link to that line when the repository's blob URL is known."""
    path, _, line = source.rpartition(":")
    base = mdescape.safe_url(source_url)
    if base and path and line.isdigit():
        return f"[{code(source)}]({base.rstrip('/')}/{mdescape.url_path(path)}#L{line})"
    return code(source)


def tidy(text: str) -> str:
    """At most one blank line in a row outside code fences (the template's loops leave more)."""
    out: list[str] = []
    fence_open: str | None = None
    for line in text.split("\n"):
        ticks = re.match(r"^\s*(`{3,})", line)
        if ticks and (fence_open is None or ticks.group(1) == fence_open):
            fence_open = ticks.group(1) if fence_open is None else None
        elif fence_open is None and not line.strip() and out and not out[-1].strip():
            continue
        out.append(line)
    return "\n".join(out)
