"""Issue 21 item 8: the plan comment is safe to post whatever the plan, log, meta.json, file path,
CI record or error text holds.

Hostile strings go into each source of the real `comment` command (a plan folder with plan.json,
meta.json, a source map, a usage file and CI step records); the body must keep its own structure:
no extra `</details>` or `<!--`, no heading, table row or list started by outside text, and no
live @mention outside code.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.plan.model import PlanReport, env_plan, failed_plan
from generator.review.comment import mdescape
from generator.review.comment.render import MARKER, render_comment

ROOT = Path(__file__).resolve().parent.parent
PLAN = Path(__file__).parent / "fixtures" / "planjson" / "every-action.json"
HOSTILE = (
    "</details><!-- x --> @octocat\n## Pwned\n| a | b |\n<img src=x onerror=alert(1)> "
    "[link](https://evil.example) **bold** `tick` ``` ~~~ \r\n- item"
)


def outside_code(body: str) -> str:
    """The body without fenced blocks, backtick spans and <code> elements (where text is literal)."""
    body = re.sub(r"(?ms)^\s*(`{3,})[^\n]*\n.*?^\s*\1\s*$", "", body)
    body = re.sub(r"<code>.*?</code>", "", body)
    return re.sub(r"(`+)(?!`).+?(?<!`)\1(?!`)", "", body)


def assert_safe(body: str, expected_details: int | None = None) -> None:
    plain = outside_code(body)
    assert "@octocat" not in plain, "live mention"
    assert "<img" not in plain and "<!-- x" not in plain
    assert plain.count("</details>") == plain.count("<details"), "a </details> from outside text"
    assert not re.search(r"(?m)^\s*#+ Pwned", plain), "a heading from outside text"
    assert not re.search(r"(?m)^\| a \| b \|", plain)
    assert "[link](https://evil.example)" not in plain
    assert body.count(MARKER) == 1


def test_text_and_code_escape_everything() -> None:
    text = mdescape.text(HOSTILE)
    assert "\n" not in text and "<" not in text and "|" not in text and "@octocat" not in text
    code = mdescape.code(HOSTILE)
    assert code.startswith("<code>") and "\n" not in code and "|" not in code and "</details>" not in code
    assert mdescape.code('module.app.aws_s3_bucket.b["x"]') == '`module.app.aws_s3_bucket.b["x"]`'


def hostile_plan() -> dict[str, object]:
    plan: dict[str, object] = json.loads(PLAN.read_text())
    changes = plan["resource_changes"]
    assert isinstance(changes, list)
    for rc in changes:
        if rc["address"] == "terraform_data.upd":
            rc["change"]["after"]["input"] = HOSTILE
            rc["action_reason"] = "because_" + HOSTILE
    plan["output_changes"] = {
        "o": {
            "actions": ["create"],
            "before": None,
            "after": HOSTILE,
            "after_unknown": False,
            "before_sensitive": False,
            "after_sensitive": False,
        }
    }
    plan["checks"] = [
        {
            "address": {"kind": "check", "to_display": "check.x" + HOSTILE},
            "status": "fail",
            "instances": [{"problems": [{"message": HOSTILE}]}],
        }
    ]
    plan["deferred_changes"] = [
        {
            "reason": HOSTILE,
            "resource_change": {
                "address": "terraform_data.d",
                "type": "terraform_data",
                "name": "d",
                "change": {"actions": ["create"]},
            },
        }
    ]
    return plan


def test_hostile_plan_strings_in_the_model_render_safely() -> None:
    plan = env_plan("dev", hostile_plan(), sources={"terraform_data.upd": "modules/a)(b.py:3"})
    body = render_comment(
        PlanReport((plan, failed_plan("prod", HOSTILE))), source_url="https://github.com/o/r/blob/abc"
    )
    assert_safe(body)
    assert "https://github.com/o/r/blob/abc/modules/a%29%28b.py#L3" in body


def test_source_url_that_is_not_a_plain_link_is_dropped() -> None:
    plan = env_plan("dev", hostile_plan(), sources={"terraform_data.upd": "modules/a.py:3"})
    body = render_comment(
        PlanReport((plan,)), source_url="javascript:alert(1)//", artifacts_url="https://x.example/a) [evil](https://e"
    )
    assert "javascript:" not in body and "[evil]" not in outside_code(body)


def _write_folder(folder: Path, meta: dict[str, object], plan: dict[str, object] | None) -> None:
    folder.mkdir(parents=True)
    (folder / "meta.json").write_text(json.dumps(meta))
    if plan is not None:
        (folder / "plan.json").write_text(json.dumps(plan))
        (folder / "plan.txt").write_text(HOSTILE + "\n```\n</details>\n")
        (folder / "sources.json").write_text(json.dumps({"terraform_data.upd": f"modules/{HOSTILE}.py:1"}))


def _comment(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "comment", *args],
        cwd=tmp_path,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_cli_comment_with_hostile_meta_log_paths_and_ci_records(tmp_path: Path) -> None:
    _write_folder(tmp_path / "plans" / "dev", {"env": "dev"}, hostile_plan())
    _write_folder(tmp_path / "plans" / "prod", {"env": "prod", "failed": True, "error": HOSTILE}, None)
    status = tmp_path / "status"
    status.mkdir()
    (status / "check.json").write_text(
        json.dumps(
            {
                "job": "check",
                "env": None,
                "affected": ["dev", "prod"],
                "schema": 1,
                "steps": [{"id": "synth", "name": HOSTILE, "outcome": "failure", "conclusion": "failure"}],
            }
        )
    )
    done = _comment(
        tmp_path,
        str(tmp_path / "plans" / "dev"),
        str(tmp_path / "plans" / "prod"),
        "--no-diagram",
        "--status-dir",
        str(status),
        env={
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_REPOSITORY": "o/r",
            "GITHUB_SHA": "abc",
            "GITHUB_RUN_ID": "1",
        },
    )
    assert done.returncode == 0, done.stderr
    assert_safe(done.stdout)


@pytest.mark.parametrize("env_name", ["dev --> <img src=x>", "../../etc", "@octocat", "a|b", "", "x" * 80])
def test_env_name_from_meta_json_is_validated(tmp_path: Path, env_name: str) -> None:
    _write_folder(tmp_path / "plan", {"env": env_name}, json.loads(PLAN.read_text()))
    done = _comment(tmp_path, str(tmp_path / "plan"), "--no-diagram")
    assert done.returncode == 64 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "<img" not in done.stdout


def test_apply_summary_env_names_from_the_flag_stay_in_code() -> None:
    from generator.review.reports.applysummary import markdown, rows

    table = rows(["dev", "a|b`\n## x @octocat"], {"apply-dev": "failure"})
    text = markdown(table)
    assert_table = [line for line in text.splitlines() if line.startswith("| ")]
    assert all(line.count("|") == 4 for line in assert_table), text  # no cell split by a name
    assert "@octocat" not in outside_code(text) and not re.search(r"(?m)^## x", text)
