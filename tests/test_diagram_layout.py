"""How the diagrams are laid out to fit GitHub's column (issue 26): parts, rows, and links that never loop.

The widths themselves are measured in a browser by test_github_render; these check the rules behind
them on the committed ARCHITECTURE.md files and on real plans, fast and without a browser.
"""

from __future__ import annotations

import json
import re

from generator.diagram.build import build
from generator.diagram.graph import from_plan
from generator.diagram.mermaid import parts
from generator.diagram.plan import plan_diagram
from tests.conftest import ROOT

_LINK = re.compile(r"^\s*([A-Za-z0-9_]+) (?:-->|-\.->|-\.-|~~~)(?:\|\"[^|\"]*\"\|)? ([A-Za-z0-9_]+)$", re.M)
DOCUMENTS = sorted([*ROOT.glob("environments/*/ARCHITECTURE.md"), *ROOT.glob("examples/*/ARCHITECTURE.md")])
PLANS = ROOT / "tests" / "fixtures" / "plans"


def _blocks(markdown: str) -> list[str]:
    return re.findall(r"```mermaid\n(.*?)```", markdown, re.S)


def _has_loop(text: str) -> bool:
    below: dict[str, set[str]] = {}
    for source, target in _LINK.findall(text):
        below.setdefault(source, set()).add(target)
    state: dict[str, int] = {}  # 1: on the path, 2: done

    def visit(node: str) -> bool:
        state[node] = 1
        for nxt in below.get(node, set()):
            if state.get(nxt) == 1 or (nxt not in state and visit(nxt)):
                return True
        state[node] = 2
        return False

    return any(node not in state and visit(node) for node in list(below))


def test_invisible_links_never_close_a_loop_with_the_arrows() -> None:
    """Mermaid turns an arrow around to break a loop, which tangles the picture and widens it."""
    assert DOCUMENTS
    for path in DOCUMENTS:
        for number, block in enumerate(_blocks(path.read_text(encoding="utf-8")), 1):
            assert "~~~" in block or number > 1, f"{path} diagram {number}: nothing stacks the boxes"
            assert not _has_loop(block), f"{path} diagram {number}: its links form a loop"
    assert _has_loop("  a --> b\n  b ~~~ a\n") and not _has_loop("  a --> b\n  a ~~~ b\n")


def test_many_regional_services_get_a_part_of_their_own_with_their_users_above() -> None:
    markdown = (ROOT / "examples" / "queue-worker" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    titles = re.findall(r"^## (.+)$", markdown, re.M)
    assert titles[:2] == ["Request path and network", "Regional services"]
    request, regional = _blocks(markdown)[:2]
    assert "aws_sqs_queue_images[" not in request and "aws_sqs_queue_images[" in regional
    # the services that use them stand above them: their box is declared first and stacks above
    assert regional.index('subgraph linked["') < regional.index('subgraph regional["')
    assert re.search(r"^  aws_ecs_service_\w+ ~~~ aws_\w+$", regional, re.M)
    # dev keeps its two regional boxes in the request picture
    dev = (ROOT / "environments" / "dev" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    assert "## Regional services" not in dev and "aws_ecr_repository_app[" in _blocks(dev)[0]


def test_a_crowded_tier_breaks_into_rows() -> None:
    markdown = (ROOT / "examples" / "web-worker-cache" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    request = _blocks(markdown)[0]
    private = re.search(r'subgraph tier_private\["[^"]*"\]\n(.*?)\n    end', request, re.S)
    assert private is not None
    members = re.findall(r"^      ([A-Za-z0-9_]+)[\[({]", private.group(1), re.M)
    assert len(members) > 3
    assert f"  {members[0]} ~~~ {members[3]}" in request  # three to a row


def test_the_comment_shows_the_parts_the_plan_touches() -> None:
    for name, expected in (("dev-create", 3), ("dev-replace", 1)):
        folder = PLANS / name
        plan = json.loads((folder / "plan.json").read_text())
        sources = json.loads((folder / "sources.json").read_text())
        pictures = plan_diagram("dev", plan, sources)
        assert pictures is not None
        modules = {a: s.rsplit(":", 1)[0].rsplit("/", 1)[-1].removesuffix(".py") for a, s in sources.items()}
        every = [title for title, _ in parts(build("dev", from_plan(plan, modules)))]
        titles = [title for title, _ in pictures]
        assert titles[0] == "Request path and network" and set(titles) <= set(every)
        assert len(titles) == expected, titles  # a create touches every part, a database replace the first only
        for title, text in pictures[1:]:  # a later part is there because one of its own boxes is marked
            own = re.search(r'subgraph (?!linked)\w+\["[^"]*"\]\n(.*?)\n  end', text, re.S)
            marked = {n for line in re.findall(r"^  class (\S+) \w+$", text, re.M) for n in line.split(",")}
            assert own is not None and marked & set(re.findall(r"^    (\w+)[\[({]", own.group(1), re.M)), title


def test_sibling_stand_ins_share_one_box_that_names_them() -> None:
    """Five ECS services using the regional boxes are one stand-in there (one arrow per box they use, not
    five side by side), naming each service; a single stand-in shows its name too."""
    markdown = (ROOT / "examples" / "web-worker-cache" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    regional = _blocks(markdown)[1]
    stand_in = re.findall(r"^    (aws_ecs_service_\w+)\[\"([^\"]*)\"\]$", regional, re.M)
    assert len(stand_in) == 1, stand_in
    shared, label = stand_in[0]
    assert label.startswith("5 × ECS service (Fargate)<br/>annyang-web-worker-cache<br/>and -api, -beat")
    assert "-inference, -worker" in label
    targets = re.findall(rf"^  {shared} -\.?->(?:\|[^|]*\|)? (\w+)$", regional, re.M)
    assert len(targets) == len(set(targets)) >= 4  # one arrow into each box
    assert 'aws_db_instance_this[("RDS PostgreSQL 16<br/>annyang-web-worker-cache")]' in regional


def test_stand_in_names_and_arrows_back_up_a_part() -> None:
    from generator.diagram.model import Edge
    from generator.diagram.stand_ins import against, names_lines

    assert names_lines(["app", "app-api", "app-beat", "app-worker"]) == ("app", "and -api, -beat", "-worker")
    assert names_lines(["web", "jobs"]) == ("web", "jobs")  # no shared stem: each name whole
    assert names_lines(["app-a", "app-b"]) == ("app-a", "app-b")  # a stem that is no name is not shown
    up = Edge("schedule", "database", "runs")
    assert against(up, {"schedule"}, inward=True) == Edge("database", "schedule", "runs", arrow=False)
    assert against(up, {"schedule"}, inward=False) == up  # stand-ins below: the arrow already points down
    assert against(Edge("service", "queue"), {"queue"}, inward=True) == Edge("service", "queue")
