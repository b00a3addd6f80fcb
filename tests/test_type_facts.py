"""Every resource type the project renders has a diagram, a cost and a stateful decision (generator/facts/).

The failure names the type and what to add where, so a new module's types are covered before
they reach a diagram that draws them in the wrong box or a cost report that cannot price them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import facts
from generator.errors import ConfigError
from generator.facts.kinds import KINDS, NODE_TYPES
from generator.facts.services import SERVICES, USAGE_PRICED
from generator.review.cost.decision import cost_decision, missing
from scripts.projectcopy import with_examples


@pytest.fixture(scope="module")
def rendered_types(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    """Managed resource type -> the envs and examples that render it (one cdktf run for all)."""
    from generator.render.project import load
    from generator.render.synth import synthesize

    root = with_examples(tmp_path_factory.mktemp("facts") / "project")
    found: dict[str, set[str]] = {}
    for document in synthesize(load(root), root):
        for type_ in document.document.get("resource", {}):
            found.setdefault(type_, set()).add(document.env)
    return found


def test_every_rendered_type_has_its_facts(rendered_types: dict[str, set[str]]) -> None:
    problems = [
        f"{line} (rendered in {', '.join(sorted(rendered_types[line.split(':')[0]]))})"
        for line in missing(rendered_types)
    ]
    assert not problems, "\n".join(problems)
    assert "aws_vpc" in rendered_types  # the render really happened


def test_missing_names_the_type_and_where_to_decide() -> None:
    lines = missing(["aws_gamelift_fleet"], Path("/nonexistent"))
    assert len(lines) == 3 and all(line.startswith("aws_gamelift_fleet: no ") for line in lines)
    assert "SERVICES['aws_gamelift_']" in lines[0] and "generator/facts/services.py" in lines[0]
    assert "generator/review/cost/rules.py" in lines[2] and "TYPE_FACTS" in lines[2]


def test_service_facts_derive_from_the_type_prefix() -> None:
    root = Path("/nonexistent")
    assert facts.diagram_kind("aws_sqs_queue", root) == "queue"
    assert facts.diagram_kind("aws_sqs_queue_policy", root) is None  # a detail of the queue
    assert facts.is_stateful("aws_sqs_queue", root) and not facts.is_stateful("aws_sqs_queue_policy", root)
    assert facts.is_stateful("aws_rds_cluster", root) and not facts.is_stateful("aws_lb", root)
    assert cost_decision("aws_lb", root) == "rule" and cost_decision("aws_vpc", root) == "free"
    assert cost_decision("aws_lambda_function", root) == "usage"


def test_the_tables_name_real_kinds_and_real_provider_types() -> None:
    from generator import cdk, cdknames

    # Binding folders drop or add underscores now and then (aws_servicediscovery_service -> service_discovery_service).
    provider = {f"aws{name.replace('_', '')}" for name in cdknames._provider_submodules(cdk.PROVIDER_PACKAGE)}
    for prefix, service in SERVICES.items():
        assert set(service.nodes.values()) <= set(KINDS), prefix
        for type_ in [*service.nodes, *service.stateful]:
            assert type_.replace("_", "") in provider and type_.startswith(prefix), type_
    assert set(NODE_TYPES.values()) <= set(KINDS)
    assert {type_.replace("_", "") for type_ in USAGE_PRICED} <= provider


def _project_with(tmp_path: Path, text: str) -> Path:
    (tmp_path / "modules").mkdir(parents=True)
    (tmp_path / "modules" / "jobs.py").write_text(text)
    return tmp_path


def test_a_module_decides_for_its_types_next_to_its_code(tmp_path: Path) -> None:
    root = _project_with(
        tmp_path,
        '"""Jobs."""\n\nTYPE_FACTS = {"aws_gamelift_fleet": {"diagram": "service", '
        '"group": "ci", "stateful": True, "cost": "usage"}}\n',
    )
    assert facts.diagram_kind("aws_gamelift_fleet", root) == "service"
    assert facts.diagram_group("aws_gamelift_fleet", root) == "ci"
    assert facts.is_stateful("aws_gamelift_fleet", root) and cost_decision("aws_gamelift_fleet", root) == "usage"
    assert missing(["aws_gamelift_fleet"], root) == []


@pytest.mark.parametrize(
    ("literal", "words"),
    [
        ('{"aws_x": {"diagram": "spaceship"}}', "'spaceship' is not 'detail' or a kind"),
        ('{"aws_x": {"stateful": "yes"}}', "['stateful']: expected one of"),
        ('{"aws_x": {"cost": "cheap"}}', "['cost'] must be 'free' or 'usage'"),
        ('{"aws_x": make()}', "must be a literal dict of dicts"),
    ],
)
def test_a_bad_module_fact_is_one_line_naming_file_and_line(tmp_path: Path, literal: str, words: str) -> None:
    root = _project_with(tmp_path, f"X = 1\nTYPE_FACTS = {literal}\n")
    with pytest.raises(ConfigError) as caught:
        facts.overrides(root)
    assert str(caught.value).startswith("modules/jobs.py:2: TYPE_FACTS") and words in str(caught.value)
    assert "\n" not in str(caught.value)
