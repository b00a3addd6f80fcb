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


# The units that apply real stacks on the local AWS, longest first (minutes on 2 busy cores, from
# `make test`'s --durations). They start first, so the short files fill the gaps around them
# instead of one long apply running alone at the end.
LONG_FIRST = (
    "test_e2e_local",
    "test_faults_local",
    "test_plan_fixtures",
    "test_e2e_services_examples",
    "test_e2e_prodlike",
    "resstack",
    "test_e2e_reviewed",
    "test_e2e_upgrade",
    "test_e2e_aurora_example",
    "test_e2e_moved",
    "test_convert_oracle",
    "test_cost",
    "test_policy",
    "test_engines",
)


def unit_of(nodeid: str) -> str:
    """The work unit of a test: its file, or the shared unit its file belongs to."""
    path = nodeid.split("::", 1)[0]
    return SHARED_UNITS.get(PurePosixPath(path).stem, path)


def rank(unit: str) -> int:
    """Where a unit starts: the long ones in LONG_FIRST's order, then the rest."""
    stem = PurePosixPath(unit).stem
    return LONG_FIRST.index(stem) if stem in LONG_FIRST else len(LONG_FIRST)


class FileScheduling(LoadFileScheduling):  # type: ignore[misc]
    _ranked = False

    def _split_scope(self, nodeid: str) -> str:
        return unit_of(nodeid)

    def _assign_work_unit(self, node: object) -> None:
        if not self._ranked:  # the queue is complete by the first assignment
            ranked = sorted(self.workqueue.items(), key=lambda unit: (rank(unit[0]), -len(unit[1])))
            self.workqueue.clear()
            self.workqueue.update(ranked)
            self._ranked = True
        super()._assign_work_unit(node)
