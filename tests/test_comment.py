"""Model -> markdown: golden comments from real plans, and the 65,536-character budget.

Regenerate the goldens after an intended change with HCLGEN_UPDATE_GOLDENS=1 and review the diff.
"""

from __future__ import annotations

import importlib.util
import json
import re
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import pytest

from generator.plan.model import Counts, EnvPlan, PlanReport, env_plan
from generator.plan.resource import Action
from generator.plan.source import plan_diagrams
from generator.review.comment.markup import fence, size, tidy
from generator.review.comment.parts import WRAP, attribute_lines
from generator.review.comment.render import MARKER, MAX_CHARS, render_comment
from generator.review.cost.estimate import EnvCost, env_cost, plan_region
from generator.review.cost.pricing import load_prices
from generator.review.cost.usage import Usage
from tests.support import goldens

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures" / "plans"
GOLDEN = HERE / "golden" / "comment"
ARTIFACTS = "https://github.com/acme/infra/actions/runs/42"
BLOBS = "https://github.com/acme/infra/blob/0123abc"
LIFECYCLE = ("create", "noop", "update", "replace", "destroy", "resize", "move")


def load(name: str) -> EnvPlan:
    folder = FIXTURES / name
    meta = json.loads((folder / "meta.json").read_text())
    text = folder / "plan.txt"  # absent from plans recorded without terraform's text rendering
    return env_plan(
        meta["env"],
        json.loads((folder / "plan.json").read_text()),
        json.loads((folder / "sources.json").read_text()),
        text.read_text() if text.is_file() else None,
    )


def cost_of(name: str) -> EnvCost:
    """The fixture's cost estimate with the default usage (goldens do not follow usage.toml edits)."""
    folder = FIXTURES / name
    plan = json.loads((folder / "plan.json").read_text())
    return env_cost(
        json.loads((folder / "meta.json").read_text())["env"],
        plan,
        load_prices(plan_region(plan) or "us-east-1"),
        Usage(),
    )


def bench_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("comment_bench", HERE.parent / "benchmarks" / "comment_bench.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check_golden(name: str, text: str) -> None:
    goldens.check(GOLDEN / name, text)


@pytest.mark.parametrize(
    ("golden", "fixtures", "limit"),
    [
        ("nochange.md", ["nochange"], MAX_CHARS),
        ("create_and_mixed.md", ["create", "mixed"], MAX_CHARS),
        ("mixed_shortened.md", ["mixed"], 5000),
        ("no_envs.md", [], MAX_CHARS),
        ("project_envs.md", ["env-dev", "env-prod"], MAX_CHARS),  # the project's own envs on the local AWS
        # environments/dev through its lifecycle on the local AWS (refresh_plan_fixtures.py --lifecycle)
        *((f"dev_{scenario}.md", [f"dev-{scenario}"], MAX_CHARS) for scenario in LIFECYCLE),
    ],
)
def test_golden(golden: str, fixtures: list[str], limit: int) -> None:
    report = PlanReport(tuple(load(name) for name in fixtures))
    costs = [cost_of(name) for name in fixtures]
    # with the compact diagrams, so the browser test (test_github_render) sees them as GitHub would
    folders = tuple(FIXTURES / name for name in fixtures)
    diagrams = {
        env: text
        for folder, plan in zip(folders, report.envs)
        if (folder / "sources.json").is_file()
        for env, text in plan_diagrams((folder,), [plan], folder / "sources.json").items()
    }
    text = render_comment(
        report, artifacts_url=ARTIFACTS, source_url=BLOBS, limit=limit, costs=costs, diagrams=diagrams
    )
    assert text.startswith(MARKER + "\n") and size(text) <= limit
    if fixtures:
        assert "### 💰 Monthly cost" in text
    check_golden(golden, text)


def test_no_changes_is_said_plainly() -> None:
    text = render_comment(PlanReport((load("nochange"),)))
    assert "✅ **No changes.**" in text and "Destroyed" not in text
    assert "<details><summary>Full plan for <code>stage</code></summary>" in text


def test_full_comment_has_every_section_and_no_secret() -> None:
    text = render_comment(PlanReport((load("create"), load("mixed"))), source_url=BLOBS)
    assert text.index("Destroyed or replaced") < text.index("### `dev`") < text.index("### `prod`")
    assert "| `prod` | 2 | 3 | 2 | 3 | 1 | 1 |" in text
    assert "🗄️ **destroy** `aws_s3_bucket.logs`: **stateful**" in text
    assert "! secret_string = (sensitive value) -> (sensitive value)  # forces replacement" in text
    assert "+ vpc_security_group_ids = (known after apply)" in text
    assert f"[`modules/vpc.py:31`]({BLOBS}/modules/vpc.py#L31)" in text
    for secret in ("hunter2", "hunter3", "correct-horse-battery"):
        assert secret not in text


def test_degrades_in_order_and_says_what_was_cut() -> None:
    report = PlanReport((load("create"), load("mixed")))
    full = render_comment(report)
    destructive = [c.address for env in report.envs for c in env.destructive]
    previous = size(full)
    for cut in (
        "the full plan text",
        "the attribute changes of created, updated, imported and moved resources",
        "the attribute changes of each resource",
        "created, updated, imported or moved resources",
    ):
        limit = previous - 1
        while cut not in (text := render_comment(report, limit=limit)):
            limit -= 200
        assert size(text) <= limit
        assert all(f"`{address}`" in text for address in destructive)
        assert "workflow run's artifacts" in text
        previous = size(text)
    assert "<details>" not in text and "```diff" not in text


def test_destroys_are_cut_last_and_counted() -> None:
    plan = bench_module().synthetic_plan(3000)
    for rc in plan["resource_changes"]:
        rc["change"]["actions"] = ["delete"]
        rc["change"]["after"] = None
    env = env_plan("prod", plan)
    text = render_comment(PlanReport((env,)))
    assert size(text) <= MAX_CHARS
    shown = len(re.findall(r"^- 🗄️ \*\*destroy\*\*|^- \*\*destroy\*\*", text, flags=re.M))
    assert 0 < shown < 3000
    assert f"- … and {3000 - shown} more destroyed or replaced in `prod`: see the full plan." in text
    assert f"{3000 - shown} of the 3000 destroyed or replaced resources" in text
    assert "| `prod` | 0 | 0 | 3000 | 0 | 0 | 0 |" in text


def test_five_thousand_resources_fit_and_keep_every_destroy_and_replace() -> None:
    bench = bench_module()
    plan = bench.synthetic_plan(5000)
    env = env_plan("prod", plan, bench.synthetic_sources(plan))
    text = render_comment(PlanReport((env,)), artifacts_url=ARTIFACTS)
    assert size(text) <= MAX_CHARS
    assert len(env.destructive) == 500
    assert all(f"`{c.address}`" in text for c in env.destructive)
    assert "more created, updated, imported or moved in `prod`" in text
    assert f"[workflow run's artifacts]({ARTIFACTS})" in text


def test_size_counts_astral_characters_twice() -> None:
    assert size("a🗄b") == 4 and size("⚠") == 1


def test_fence_outgrows_backticks_and_tidy_keeps_code_blank_lines() -> None:
    assert fence("a ```` b", "text").startswith("`````text\n")
    assert tidy("a\n\n\n\nb\n```\nx\n\n\ny\n```\n\n\nc") == "a\n\nb\n```\nx\n\n\ny\n```\n\nc"


def lifecycle_comment(scenario: str) -> tuple[EnvPlan, str]:
    env = load(f"dev-{scenario}")
    return env, render_comment(PlanReport((env,)), source_url=BLOBS)


def test_lifecycle_create_adds_the_whole_env() -> None:
    env, text = lifecycle_comment("create")
    assert env.counts == Counts(add=85) and env.outputs_changed == 12
    assert "📝 **Changes planned, nothing destroyed:** `dev` 85 to add, 12 outputs to change." in text
    assert "| `dev` | 85 | 0 | 0 | 0 | 0 | 0 |" in text and "Destroyed or replaced" not in text
    assert all(f"**create** `{c.address}`" in text for c in env.changes)
    assert '+ db_name = "app"' in text and "+ retention_in_days = 14" in text


def test_lifecycle_noop_says_no_changes_plainly() -> None:
    env, text = lifecycle_comment("noop")
    assert env.no_changes and env.changes == ()
    assert "✅ **No changes.** The infrastructure in `dev` matches the configuration." in text
    assert "| `dev` | 0 | 0 | 0 | 0 | 0 | 0 |" in text
    assert "### `dev`" not in text and "Destroyed" not in text and "```diff" not in text
    assert "No changes. Your infrastructure matches the configuration." in text  # terraform's own words


def test_lifecycle_update_shows_each_changed_attribute_before_and_after() -> None:
    env, text = lifecycle_comment("update")
    assert env.counts == Counts(change=2) and env.outputs_changed == 0
    assert {c.address: [(a.path, a.before, a.after) for a in c.attributes] for c in env.changes} == {
        "aws_cloudwatch_log_group.service": [("retention_in_days", "14", "30")],
        "aws_db_instance.this": [("backup_retention_period", "1", "7")],
    }
    assert "📝 **Changes planned, nothing destroyed:** `dev` 2 to change." in text
    assert "! retention_in_days = 14 -> 30" in text and "! backup_retention_period = 1 -> 7" in text
    line = next(
        n
        for n, code in enumerate((HERE.parent / "modules" / "rds.py").read_text().splitlines(), 1)
        if "self.instance = tracked(" in code  # the call that records the instance's source line
    )
    assert (
        f"**update** `aws_db_instance.this` · defined in [`modules/rds.py:{line}`]({BLOBS}/modules/rds.py#L{line})"
        in text
    )


def test_lifecycle_replace_puts_the_stateful_database_first_with_its_warning() -> None:
    env, text = lifecycle_comment("replace")
    assert env.counts == Counts(change=2, replace=2) and env.outputs_changed == 2
    assert [(c.action, c.address, c.stateful) for c in env.destructive] == [
        (Action.REPLACE, "aws_db_instance.this", True),
        (Action.REPLACE, "aws_ecs_task_definition.this", False),
    ]
    assert "⚠️ **2 resources will be replaced**, 1 of them stateful." in text
    database = text.index("- 🗄️ **replace** `aws_db_instance.this`: **stateful**, its data goes with it")
    assert text.index("> [!WARNING]") < database < text.index("- **replace** `aws_ecs_task_definition.this`")
    assert text.index("### ⚠️ Destroyed or replaced") < database < text.index("### `dev`: 2 to change, 2 to replace")
    db = next(c for c in env.changes if c.address == "aws_db_instance.this")
    assert [(a.path, a.before, a.after, a.forces_replacement) for a in db.attributes] == [
        ("db_name", '"app"', '"api"', True)
    ]  # computed attributes turning unknown are noise here
    assert '! db_name = "app" -> "api"  # forces replacement' in text
    # a long value is cut below its name, so nothing said at the end of it scrolls out of sight
    assert "! container_definitions =  # forces replacement\n" in text and "!     jsonencode([{" in text
    assert all(len(line) <= 4 + WRAP + 6 for line in text.splitlines() if line.lstrip().startswith("! "))


def test_lifecycle_destroy_lists_the_removed_resource() -> None:
    env, text = lifecycle_comment("destroy")
    assert env.counts == Counts(destroy=1)
    assert [(c.action, c.address, c.reason) for c in env.changes] == [
        (Action.DESTROY, "aws_vpc_endpoint.s3", "removed from the configuration")
    ]
    assert "⚠️ **1 resource will be destroyed**. Review it below before merging." in text
    assert "- **destroy** `aws_vpc_endpoint.s3` · removed from the configuration\n" in text
    assert "| `dev` | 0 | 0 | 1 | 0 | 0 | 0 |" in text and "### `dev`" not in text


def test_cost_section_of_a_db_resize_shows_exactly_that_line_and_its_delta() -> None:
    text = render_comment(PlanReport((load("dev-resize"),)), costs=[cost_of("dev-resize")])
    section = text[text.index("### 💰 Monthly cost") :]
    assert "| `dev` | $121.55 | $139.80 ($139.80–$150.16) | +$18.25 |" in section
    rows = [line for line in section.splitlines() if line.startswith("| `aws_")]
    changed = section[section.index("the lines this plan changes") : section.index("<details>")]
    assert changed.count("| `aws_") == 1
    assert (
        "| `aws_db_instance.this` | db.t4g.micro Single-AZ instance hours → db.t4g.small Single-AZ instance hours "
        "| 730 hour × $0.025 = $18.25 | 730 hour × $0.05 = $36.50 | +$18.25 |"
    ) in changed
    assert rows and "Assumes (default usage): 100 GB/month through NAT" in section


def test_free_tier_is_its_own_line_in_the_cost_section_and_never_deducted() -> None:
    from generator.review.cost.estimate import money, total_text
    from generator.review.cost.freetier import savings

    cost = cost_of("dev-create")
    found = savings(cost.after.lines)
    assert found and all(saving.usd > 0 for saving in found)
    text = render_comment(PlanReport((load("dev-create"),)), costs=[cost])
    section = text[text.index("### 💰 Monthly cost") :]
    worth = money(sum(saving.usd for saving in found))
    line = next(line for line in section.splitlines() if line.startswith("Free tier in `dev`:"))
    assert line.startswith(f"Free tier in `dev`: −{worth}/month if no other env of the account uses it")
    assert "always-free" in line and line.endswith("not deducted from the totals.")
    assert all(f"{saving.allowance.what} {money(saving.usd)}" in line for saving in found)
    assert f"| `dev` | $0.00 | {total_text(cost.after)} |" in section  # the total keeps the full price
    covered = {saving.allowance.key for saving in found}
    uncovered = tuple(line for line in cost.after.lines if line.price.key not in covered)
    bare = replace(cost, after=replace(cost.after, lines=uncovered))
    assert "Free tier in" not in render_comment(PlanReport((load("dev-create"),)), costs=[bare])


def test_cost_lines_are_cut_before_any_resource_detail_and_totals_stay() -> None:
    report = PlanReport((load("create"), load("mixed")))
    costs = [cost_of("create"), cost_of("mixed")]
    full = render_comment(report, costs=costs)
    assert "Largest costs of <code>prod</code>" in full
    limit = size(full) - 1
    while "the top cost lines of each environment" not in (text := render_comment(report, costs=costs, limit=limit)):
        limit -= 200
    assert "Largest costs of" not in text and "attribute changes" not in text
    assert "```diff" in text and "the lines this plan changes" in text
    tiny = render_comment(report, costs=costs, limit=4000)
    assert "| `dev` | $0.00 |" in tiny and "| `prod` |" in tiny and "the changed cost lines" in tiny


def test_lifecycle_move_shows_moves_not_destroy_and_create() -> None:
    """A module refactor renamed the database, its parameter group and the VPC; moved.tf kept them."""
    env, text = lifecycle_comment("move")
    assert env.counts == Counts(moved=3) and env.destructive == ()
    assert [(c.action, c.moved_from, c.address) for c in env.changes] == [
        (Action.NOOP, "aws_db_instance.this", "aws_db_instance.primary"),
        (Action.NOOP, "aws_db_parameter_group.this", "aws_db_parameter_group.primary"),
        (Action.NOOP, "aws_vpc.this", "aws_vpc.main"),
    ]
    assert "| `dev` | 0 | 0 | 0 | 0 | 0 | 3 |" in text and "Destroyed or replaced" not in text
    assert "📝 **Changes planned, nothing destroyed:** `dev` 3 to move." in text
    assert "- **move** `aws_db_instance.primary` (from `aws_db_instance.this`)" in text
    assert "# aws_db_instance.this has moved to aws_db_instance.primary" in text  # terraform's own words


def test_a_failed_env_row_shows_dashes_not_zeros_and_verdict_lines_are_paragraphs() -> None:
    import dataclasses

    failed = dataclasses.replace(load("dev-update"), errored=True, error="boom")
    text = render_comment(PlanReport((failed, load("dev-create"))))
    row = next(line for line in text.splitlines() if line.startswith("| `dev` ❌ plan failed"))
    assert row.count("| – ") == 8 and " 0 " not in row
    lines = text.splitlines()
    for i, line in enumerate(lines):  # no two verdict lines share a paragraph (no reliance on newline -> <br>)
        if line[:1] in ("❌", "⚠", "📝", "✅", "🔀", "⏸") and i + 1 < len(lines):
            assert lines[i + 1] == "" or lines[i + 1].startswith(("- ", "|")), line


def test_update_lines_are_marked_for_githubs_diff_colours() -> None:
    change = next(c for c in load("dev-update").changes if c.attributes)
    assert all(line[0] in "+-!#" for line in attribute_lines(change))
