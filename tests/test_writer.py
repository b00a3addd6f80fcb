"""Writes are atomic: a failure part-way leaves every environment's files as they were."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.errors import HclgenError
from generator.render import pipeline, writer


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_apply_writes_and_deletes_as_one_set(tmp_path: Path) -> None:
    (tmp_path / "keep.tf").write_text("old\n")
    (tmp_path / "gone.tf").write_text("bye\n")
    writer.apply({tmp_path / "keep.tf": "new\n", tmp_path / "sub" / "made.tf": "hi\n", tmp_path / "gone.tf": None})
    assert _tree(tmp_path) == {"keep.tf": b"new\n", "sub/made.tf": b"hi\n"}


def test_failure_in_the_middle_of_the_swap_restores_everything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("a.tf", "b.tf", "c.tf"):
        (tmp_path / name).write_text(f"old {name}\n")
    (tmp_path / "d.tf").write_text("to delete\n")
    before = _tree(tmp_path)
    real_replace = os.replace
    calls = {"n": 0}

    def flaky_replace(src: str | Path, dst: str | Path) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(writer.os, "replace", flaky_replace)
    changes: dict[Path, str | None] = {tmp_path / n: f"new {n}\n" for n in ("a.tf", "b.tf", "c.tf", "e.tf")}
    changes[tmp_path / "d.tf"] = None
    with pytest.raises(HclgenError, match="No space left on device; no file was changed"):
        writer.apply(changes)
    monkeypatch.setattr(writer.os, "replace", real_replace)
    assert _tree(tmp_path) == before, "no new, half-written, temporary or backup file may remain"


def test_failure_while_staging_touches_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.tf").write_text("old\n")
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where a folder is needed\n")
    before = _tree(tmp_path)
    with pytest.raises(HclgenError, match="no file was changed"):
        writer.apply({tmp_path / "a.tf": "new\n", blocked / "x.tf": "nope\n"})
    assert _tree(tmp_path) == before


def test_synth_of_all_envs_is_one_transaction(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for env in ("dev", "prod"):
        for path in (project / "environments" / env).glob("*.tf"):
            path.write_text(path.read_text() + "# drift\n")
    before = _tree(project / "environments")
    rendered = pipeline.render(project)
    real_replace = os.replace
    calls = {"n": 0}

    def fail_late(src: str | Path, dst: str | Path) -> None:
        calls["n"] += 1
        if calls["n"] == 15:  # dev is done and prod half-way when this fires
            raise OSError(5, "Input/output error")
        real_replace(src, dst)

    monkeypatch.setattr(writer.os, "replace", fail_late)
    with pytest.raises(HclgenError):
        pipeline.write(project, rendered)
    monkeypatch.setattr(writer.os, "replace", real_replace)
    assert _tree(project / "environments") == before
    pipeline.write(project, rendered)
    assert pipeline.stale_paths(project, use_cache=False) == []


STEPS = [("stage", "fsync"), ("backup", "link"), ("swap", "replace"), ("delete", "remove")]


@pytest.mark.parametrize(("step", "call"), STEPS, ids=[step for step, _ in STEPS])
@pytest.mark.parametrize("nth", [1, 2])
def test_an_injected_failure_at_each_step_leaves_the_files_and_no_leftovers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str, call: str, nth: int
) -> None:
    for name in ("a.tf", "b.tf", "gone1.tf", "gone2.tf"):
        (tmp_path / name).write_text(f"old {name}\n")
    before = _tree(tmp_path)
    real = getattr(writer.os, call)
    calls = {"n": 0}

    def failing(*args: object, **kwargs: object) -> object:
        calls["n"] += 1
        if calls["n"] == nth:
            raise OSError(5, f"injected failure in {step}")
        return real(*args, **kwargs)

    monkeypatch.setattr(writer.os, call, failing)
    with pytest.raises(HclgenError, match="no file was changed"):
        writer.apply(
            {
                tmp_path / "a.tf": "new a\n",
                tmp_path / "b.tf": "new b\n",
                tmp_path / "c.tf": "new c\n",
                tmp_path / "gone1.tf": None,
                tmp_path / "gone2.tf": None,
            }
        )
    assert calls["n"] >= nth, f"the {step} step was never reached"
    assert _tree(tmp_path) == before  # no .hclgen-tmp / .hclgen-bak left either


def test_a_folder_at_the_backup_path_is_a_clean_error(tmp_path: Path) -> None:
    (tmp_path / "a.tf").write_text("old\n")
    (tmp_path / ".a.tf.hclgen-bak").mkdir()
    with pytest.raises(HclgenError, match="could not write .*a.tf: .*; no file was changed"):
        writer.apply({tmp_path / "a.tf": "new\n"})
    assert (tmp_path / "a.tf").read_text() == "old\n"
    assert not (tmp_path / ".a.tf.hclgen-tmp").exists()


def test_leftovers_of_a_killed_run_are_cleaned_next_time_and_git_ignored(tmp_path: Path) -> None:
    (tmp_path / ".a.tf.hclgen-tmp").write_text("half\n")
    (tmp_path / ".b.tf.hclgen-bak").write_text("old\n")
    writer.apply({tmp_path / "a.tf": "new\n"})
    assert _tree(tmp_path) == {"a.tf": b"new\n"}
    ignored = (Path(__file__).parent.parent / ".gitignore").read_text().splitlines()
    assert ".*.hclgen-tmp" in ignored and ".*.hclgen-bak" in ignored
