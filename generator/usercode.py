"""Errors raised by the user's Python (an env config, a module): one line naming their file and line.

The traceback is kept on the error (`traceback` below) and printed only with `-v`/`--verbose`,
so a typo in a module reads like a compiler message, not like a crash of the tool.
"""

from __future__ import annotations

import sys
import traceback as tb
from pathlib import Path

from generator.errors import ConfigError

_ENGINE = Path(__file__).resolve().parent


def where(err: BaseException, root: Path) -> str | None:
    """ "modules/queue.py:12" for the innermost frame in the project's own code (not the engine, not a library)."""
    found = None
    trace = err.__traceback__
    while trace is not None:
        path = Path(trace.tb_frame.f_code.co_filename)
        if is_user_file(path, root):
            found = f"{_relative(path, root)}:{trace.tb_lineno}"
        trace = trace.tb_next
    return found


def user_error(err: BaseException, root: Path, env: str | None = None) -> ConfigError:
    """The one-line error for an exception out of the user's code; `-v` shows `traceback`."""
    text = str(err).splitlines()[0] if str(err) else ""
    detail = f"{type(err).__name__}: {text}" if text else type(err).__name__
    located = where(err, root)
    error = ConfigError(f"{located}: {detail}" if located else detail, env=env)
    error.traceback = "".join(tb.format_exception(err))
    return error


def is_user_file(path: Path, root: Path) -> bool:
    if not path.is_absolute():  # "<frozen posixpath>", "<string>": Python's own, never the user's
        return False
    try:
        resolved = path.resolve()
    except OSError:
        return False
    if resolved.is_relative_to(_ENGINE) or any(part in ("site-packages", "dist-packages") for part in resolved.parts):
        return False
    return resolved.is_relative_to(root.resolve()) or resolved.parent.name == "modules"


def _relative(path: Path, root: Path) -> str:
    resolved = path.resolve()
    for base in (root, *(Path(entry) for entry in sys.path if entry)):
        try:
            return resolved.relative_to(base.resolve()).as_posix()
        except (ValueError, OSError):
            continue
    return str(path)
