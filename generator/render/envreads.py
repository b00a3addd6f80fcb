"""Which environment variables the project's own Python (configs, modules) reads while rendering.

A config may say `image_tag=os.environ.get("IMAGE_TAG", "latest")`; the render cache must then
miss when IMAGE_TAG changes. While a render runs, os.environ records the names read from the
project's files (not the engine's, not a library's: jsii copies the whole environment for node);
the names are kept in .hclgen/cache/env-reads.json and their values go into the cache key.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from generator.paths import work_dir

_DEPTH = 4  # os.environ[...] / .get / os.getenv sit at most this many frames above the reader


def recorded(root: Path) -> list[str]:
    try:
        names = json.loads(_path(root).read_text())
    except (OSError, ValueError):
        return []
    return [name for name in names if isinstance(name, str)] if isinstance(names, list) else []


@contextmanager
def recording(root: Path) -> Iterator[set[str]]:
    """Record the variables user code reads inside the block; kept (added to the earlier ones) when it succeeds."""
    from generator.usercode import is_user_file

    names: set[str] = set()
    environ: Any = os.environ
    original = type(environ)
    # jsii reads os.environ on every message to node (over a thousand a render): judge each file once.
    judged: dict[str, bool] = {}

    def user(filename: str) -> bool:
        found = judged.get(filename)
        if found is None:
            found = judged[filename] = is_user_file(Path(filename), root)
        return found

    class Recording(original):  # type: ignore[misc, valid-type]
        def __getitem__(self, key: str) -> str:
            frame: FrameType | None = sys._getframe(1)
            for _ in range(_DEPTH):
                if frame is None:
                    break
                if user(frame.f_code.co_filename):
                    names.add(key)
                    break
                frame = frame.f_back
            return str(original.__getitem__(self, key))

    environ.__class__ = Recording
    try:
        yield names
    finally:
        environ.__class__ = original
    _save(root, names)  # only after a render that worked: a failed one caches nothing


def _save(root: Path, names: set[str]) -> None:
    known = set(recorded(root))
    if names <= known:
        return
    path = _path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(sorted(known | names)) + "\n")
    os.replace(tmp, path)


def _path(root: Path) -> Path:
    return work_dir(root) / "cache" / "env-reads.json"
