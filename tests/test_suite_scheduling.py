"""`make test`'s xdist scheduling keeps each test file, and the resource-stack files together, on one worker."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT
from tests.support.scheduling import LONG_FIRST, rank, unit_of

CONFTEST = """
import pytest

@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    from tests.support.scheduling import FileScheduling
    return FileScheduling(config, log)
"""

TESTS = """
import os
from pathlib import Path

def _note(name):
    with open(Path(__file__).parent / "workers.txt", "a") as out:
        out.write(f"{__name__} {name} {os.environ['PYTEST_XDIST_WORKER']}\\n")

""" + "".join(f"def test_{n}():\n    _note('{n}')\n\n" for n in range(6))


def test_units_are_files_but_the_resource_stack_files_are_one() -> None:
    assert unit_of("tests/test_queue.py::test_a[x]") == unit_of("tests/test_uploads.py::test_b")
    assert unit_of("tests/test_runner.py::test_a") == "tests/test_runner.py"
    assert unit_of("tests/test_runner.py::test_a") != unit_of("tests/test_queue.py::test_a")


def test_the_long_units_start_first_and_name_real_files() -> None:
    assert rank("tests/test_e2e_local.py") < rank("tests/resstack") < rank("tests/test_runner.py")
    stems = {path.stem for path in (ROOT / "tests").glob("test_*.py")} | {"resstack"}
    assert not set(LONG_FIRST) - stems, "LONG_FIRST names a file that is gone"


def test_two_workers_never_split_a_file_or_the_shared_unit(tmp_path: Path) -> None:
    suite = tmp_path / "suite"
    suite.mkdir()
    (suite / "conftest.py").write_text(CONFTEST)
    for stem in ("test_queue", "test_uploads", "test_alpha", "test_beta", "test_gamma"):
        (suite / f"{stem}.py").write_text(TESTS)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "2", "--dist", "loadfile"]
        + ["--basetemp", str(tmp_path / "tmp"), "--rootdir", str(suite), str(suite)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    workers: dict[str, set[str]] = {}
    for line in (suite / "workers.txt").read_text().splitlines():
        module, _, worker = line.split()
        unit = "shared" if module in ("test_queue", "test_uploads") else module
        workers.setdefault(unit, set()).add(worker)
    assert len(workers) == 4 and all(len(ran_on) == 1 for ran_on in workers.values()), workers
    assert set().union(*workers.values()) == {"gw0", "gw1"}  # the work was shared all the same
