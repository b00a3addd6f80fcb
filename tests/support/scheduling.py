"""How `make test` shares the suite between its xdist workers: one test file per work unit.

A file's tests share module fixtures (one local AWS, one apply) and run in order, so a file goes
to one worker whole. The files that share the session's resource-stack apply form one unit, so
that apply runs once. This is xdist's loadfile scheduling with that one merge; it replaces the
`xdist_group` marks, which xdist 3.8 turns into node ids that pytest 9.2 no longer reads (the
files were spread over both workers, each half with its own empty local AWS).
"""

from __future__ import annotations

from pathlib import PurePosixPath

from xdist.scheduler import LoadFileScheduling

SHARED_UNITS = {
    stem: "tests/resstack"
    for stem in ("test_apigw", "test_elasticache", "test_endpoints", "test_queue", "test_uploads")
}


def unit_of(nodeid: str) -> str:
    """The work unit of a test: its file, or the shared unit its file belongs to."""
    path = nodeid.split("::", 1)[0]
    return SHARED_UNITS.get(PurePosixPath(path).stem, path)


class FileScheduling(LoadFileScheduling):  # type: ignore[misc]
    def _split_scope(self, nodeid: str) -> str:
        return unit_of(nodeid)
