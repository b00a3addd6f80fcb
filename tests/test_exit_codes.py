"""Exit codes: "changes or drift found" (2) and "you called me wrong" (64) never share a value,
and the one table in generator/errors.py is what `--help` and README.md show."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.errors import EXIT_MEANINGS, ExitCode, exit_table
from tests.conftest import ROOT


def hclgen(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(root / "main.py"), *args], cwd=root, capture_output=True, text=True)


def test_every_code_is_distinct_and_described() -> None:
    values = [int(code) for code in ExitCode]
    assert len(values) == len(set(values)), "two meanings share an exit code"
    assert ExitCode.CHANGES != ExitCode.USAGE
    assert set(EXIT_MEANINGS) == set(ExitCode)


def test_help_and_readme_show_the_one_table() -> None:
    help_text = hclgen(ROOT, "--help").stdout
    readme = (ROOT / "README.md").read_text()
    for line in exit_table().splitlines():
        assert line in help_text
        assert line in readme


@pytest.mark.parametrize(
    "args", [("synth", "--no-such-flag"), ("no-such-command",), ("synth", "no-such-env"), ("plan",)]
)
def test_a_wrong_call_exits_usage(args: tuple[str, ...]) -> None:
    result = hclgen(ROOT, *args)
    assert result.returncode == ExitCode.USAGE, result.stderr
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr


def test_changes_across_envs_exit_2_and_a_failure_wins() -> None:
    """plan --all --detailed-exitcode: terraform's per-env 0/2 (and failures) -> the command's code.
    The real terraform -> 2 path runs in tests/test_e2e_local.py (drift exits 2)."""
    from generator.terraform.multiplan import _overall

    assert _overall([0, 0]) == ExitCode.OK
    assert _overall([0, 2]) == ExitCode.CHANGES
    assert _overall([2, 1]) == ExitCode.FAILURE
    assert _overall([2, int(ExitCode.INTERRUPTED)]) == ExitCode.INTERRUPTED
