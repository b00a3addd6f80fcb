"""`artifact ENV`: the uploaded plan folder has no sensitive value and renders the same comment."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.paths import OWNED_MARKER
from generator.plan.redact import STRIPPED_KEY, strip_plan

HERE = Path(__file__).parent
PLANS = HERE / "fixtures" / "plans"
REVIEW = HERE / "fixtures" / "review"
NO_GITHUB = {"GITHUB_STEP_SUMMARY": "", "GITHUB_SERVER_URL": "", "GITHUB_REPOSITORY": "", "GITHUB_EVENT_PATH": ""}


def _leaves(value: Any, marks: Any) -> Iterator[Any]:
    """The values a sensitive-marker tree marks."""
    if marks is True:
        yield value
    elif isinstance(marks, dict) and isinstance(value, dict):
        for key, sub in marks.items():
            yield from _leaves(value.get(key), sub)
    elif isinstance(marks, list) and isinstance(value, list):
        for index, sub in enumerate(marks):
            yield from _leaves(value[index] if index < len(value) else None, sub)


def secrets(plan: dict[str, Any]) -> set[str]:
    """Every non-trivial string terraform marks sensitive anywhere in the plan, as JSON text."""
    found: list[Any] = []
    for rc in [
        *plan.get("resource_changes", []),
        *plan.get("resource_drift", []),
        *({"change": c} for c in plan.get("output_changes", {}).values()),
    ]:
        change = rc["change"]
        for side in ("before", "after"):
            found += _leaves(change.get(side), change.get(f"{side}_sensitive"))
    variables = plan.get("configuration", {}).get("root_module", {}).get("variables", {})
    found += [plan["variables"][name]["value"] for name, var in variables.items() if var.get("sensitive")]
    texts = {json.dumps(value) for value in found if value not in (None, "", [], {})}
    return {text for text in texts if len(text) > 6}  # short ones (true, 1) occur everywhere


def plan_folder(base: Path, source: Path, env: str, text: Path | None = None) -> Path:
    folder = base / ".hclgen" / "plans" / env
    folder.mkdir(parents=True)
    shutil.copyfile(source, folder / "plan.json")
    if text is not None and text.is_file():
        shutil.copyfile(text, folder / "plan.txt")
    (folder / "meta.json").write_text(json.dumps({"env": env, "has_changes": True}))
    (folder / "plan.tfplan").write_bytes(b"raw plan with secrets")
    return folder


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "environments").mkdir()
    (tmp_path / "pyproject.toml").write_text("")
    monkeypatch.setenv("HCLGEN_ROOT", str(tmp_path))
    return tmp_path


def test_review_fixture_secrets_are_gone_and_the_markers_stay() -> None:
    plan = json.loads((REVIEW / "update.json").read_text())
    hidden = secrets(plan)
    assert '"first-secret"' in hidden and '"second-secret"' in hidden
    stripped = strip_plan(plan)
    text = json.dumps(stripped)
    assert [s for s in hidden if s in text] == [] and "first-secret" not in text and "second-secret" not in text
    assert stripped[STRIPPED_KEY] is True and STRIPPED_KEY not in plan  # the input is not changed
    out = stripped["output_changes"]["db_password"]
    assert out["before_sensitive"] is True and out["before"] != out["after"]  # a change stays a change
    assert stripped["variables"]["db_password"]["value"].startswith("(sensitive value ")
    assert stripped["variables"]["greeting"] == plan["variables"]["greeting"]


FIXTURES = [
    (PLANS / name / "plan.json", PLANS / name / "sources.json", PLANS / name / "plan.txt")
    for name in ("mixed", "nochange", "dev-update", "dev-create", "env-prod")
] + [(REVIEW / f"{name}.json", None, None) for name in ("update", "refresh-only", "errored")]


@pytest.mark.parametrize(
    ("plan", "sources", "text"), FIXTURES, ids=lambda p: p.parent.name + "/" + p.name if p else "-"
)
def test_the_comment_renders_the_same_from_the_stripped_folder(
    project: Path, plan: Path, sources: Path | None, text: Path | None
) -> None:
    env = "dev"
    original = plan_folder(project, plan, env, text)
    if sources is not None:
        (project / ".hclgen" / "sources").mkdir()
        shutil.copyfile(sources, project / ".hclgen" / "sources" / f"{env}.json")
    made = CliRunner().invoke(cli, ["artifact", env], env=NO_GITHUB)
    assert made.exit_code == 0, made.output
    out = project / ".hclgen" / "artifacts" / env
    expected = (
        {"meta.json", "plan.json"}
        | ({"plan.txt"} if text and text.is_file() else set())
        | ({"sources.json"} if sources else set())
    )
    assert {p.name for p in out.iterdir()} == expected | {OWNED_MARKER}  # never the raw .tfplan unless asked
    stripped = (out / "plan.json").read_text()
    assert [s for s in secrets(json.loads(plan.read_text())) if s in stripped] == []
    before = CliRunner().invoke(cli, ["comment", str(original)], env=NO_GITHUB)
    shutil.rmtree(project / ".hclgen" / "plans")  # the comment job has only the artifact
    if sources is not None:
        shutil.rmtree(project / ".hclgen" / "sources")
    after = CliRunner().invoke(cli, ["comment", str(out)], env=NO_GITHUB)
    assert before.exit_code == 0 and after.exit_code == 0, before.output + after.output
    assert after.output == before.output


def test_include_tfplan_and_bad_input(project: Path) -> None:
    plan_folder(project, PLANS / "mixed" / "plan.json", "dev")
    target = project / "out"
    (target).mkdir()
    (target / "stale.txt").write_text("from an earlier run")
    (target / OWNED_MARKER).write_text("")  # an earlier artifact: ours to replace (a user's folder is refused)
    result = CliRunner().invoke(cli, ["artifact", "dev", "--out", str(target), "--include-tfplan"], env=NO_GITHUB)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in target.iterdir()) == [OWNED_MARKER, "meta.json", "plan.json", "plan.tfplan"]
    missing = CliRunner().invoke(cli, ["artifact", "qa"], env=NO_GITHUB)
    assert missing.exit_code == 64 and missing.output.startswith("error: qa has no saved plan in ")
    assert missing.output.count("\n") == 1 and not (project / ".hclgen" / "artifacts" / "qa").exists()


def test_a_failed_plan_is_copied_as_failed(project: Path) -> None:
    folder = project / ".hclgen" / "plans" / "prod"
    folder.mkdir(parents=True)
    (folder / "meta.json").write_text(json.dumps({"env": "prod", "failed": True, "error": "AccessDenied"}))
    assert CliRunner().invoke(cli, ["artifact", "prod"], env=NO_GITHUB).exit_code == 0
    out = project / ".hclgen" / "artifacts" / "prod"
    assert sorted(p.name for p in out.iterdir()) == [OWNED_MARKER, "meta.json"]
    comment = CliRunner().invoke(cli, ["comment", str(out)], env=NO_GITHUB)
    assert "❌ **The plan failed for `prod`**" in comment.output and "- `prod`: AccessDenied" in comment.output
