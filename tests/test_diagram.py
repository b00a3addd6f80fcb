"""ARCHITECTURE.md: the Mermaid is parsed and checked against the synthesized resources and references."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from generator.diagram.build import build, node_id
from generator.diagram.graph import from_cdktf
from generator.diagram.mermaid import mermaid
from generator.render import pipeline, writer
from scripts.projectcopy import env_names
from tests.conftest import ROOT

FIXTURE = Path(__file__).parent / "fixtures" / "diagram" / "synthetic_stack.json"
_NODE = re.compile(r'^\s*([A-Za-z0-9_]+)(\[\("|\["|\{\{"|\(\["|\(\("|\(")(.*?)("\)\]|"\]|"\}\}|"\]\)|"\)\)|"\))$')
_EDGE = re.compile(r"^\s*([A-Za-z0-9_]+) (-->|-\.->|-\.-|~~~)(?:\|\"([^|\"]*)\"\|)? ([A-Za-z0-9_]+)$")
_SUBGRAPH = re.compile(r'^\s*subgraph ([A-Za-z0-9_]+)\["(.*)"\]$')


def parse(text: str) -> tuple[dict[str, str], dict[str, list[str]], set[tuple[str, str, str]]]:
    """Mermaid flowchart -> (node -> label, node -> enclosing subgraphs outermost first, edges)."""
    labels: dict[str, str] = {}
    parents: dict[str, list[str]] = {}
    edges: set[tuple[str, str, str]] = set()
    stack: list[str] = []
    subgraphs: set[str] = set()
    lines = text.splitlines()
    assert lines[0].startswith("%%{init: ") and lines[1] == "flowchart TB"
    for line in lines[2:]:
        if match := _SUBGRAPH.match(line):
            stack.append(match.group(1))
            subgraphs.add(match.group(1))
        elif line.strip() == "end":
            stack.pop()
        elif match := _EDGE.match(line):
            if match.group(2) != "~~~":  # invisible links only lay the boxes out
                edges.add((match.group(1), match.group(4), match.group(3) or ""))
        elif match := _NODE.match(line):
            labels[match.group(1)] = match.group(3)
            parents[match.group(1)] = list(stack)
        else:
            assert line.strip().startswith(("classDef ", "class ", "linkStyle ")), f"unparsed Mermaid line: {line!r}"
    assert not stack, "unclosed subgraph"
    for source, target, _ in edges:
        known = labels.keys() | subgraphs  # Mermaid links to a subgraph too (the compact form's tiers)
        assert source in known and target in known, f"edge to an undeclared node: {source} -> {target}"
    return labels, parents, edges


def mermaid_block(markdown: str) -> str:
    match = re.search(r"```mermaid\n(.*?)```", markdown, re.S)
    assert match, "no mermaid block"
    return match.group(1)


def parse_all(markdown: str) -> tuple[dict[str, str], dict[str, list[str]], set[tuple[str, str, str]]]:
    """Every diagram of an ARCHITECTURE.md as one: a box repeated in a later part keeps its first place."""
    labels: dict[str, str] = {}
    parents: dict[str, list[str]] = {}
    edges: set[tuple[str, str, str]] = set()
    blocks = re.findall(r"```mermaid\n(.*?)```", markdown, re.S)
    assert blocks, "no mermaid block"
    for block in blocks:
        found, where, links = parse(block)
        for node, text in found.items():
            labels.setdefault(node, text)
            parents.setdefault(node, where[node])
        edges |= links
    return labels, parents, edges


def reference_graph(document: dict) -> dict[str, set[str]]:
    """Undirected address graph of every `${aws_x.y...}` reference (read independently of the engine)."""
    graph: dict[str, set[str]] = {}
    for type_, items in document["resource"].items():
        for name, spec in items.items():
            address = f"{type_}.{name}"
            graph.setdefault(address, set())
            for target in re.findall(r"(aws_[a-z0-9_]+\.[A-Za-z0-9_-]+)", json.dumps(spec)):
                if target != address and target.split(".")[0] in document["resource"]:
                    graph[address].add(target)
                    graph.setdefault(target, set()).add(address)
    return graph


def connected(graph: dict[str, set[str]], start: str, goal: str, drawn: set[str]) -> bool:
    """A reference path from start to goal that passes through no other drawn resource nor the VPC."""
    seen, todo = {start}, [start]
    while todo:
        current = todo.pop()
        for nxt in graph.get(current, ()):
            if nxt == goal:
                return True
            if nxt not in seen and nxt not in drawn and not nxt.startswith("aws_vpc."):
                seen.add(nxt)
                todo.append(nxt)
    return False


@pytest.fixture(scope="module")
def documents() -> dict:
    from generator.render.project import load
    from generator.render.synth import synthesize

    return {doc.env: doc for doc in synthesize(load(ROOT), ROOT)}


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_every_alb_service_database_nat_and_tier_is_drawn_in_place(env: str, documents: dict) -> None:
    markdown = (ROOT / "environments" / env / "ARCHITECTURE.md").read_text()
    labels, parents, _ = parse_all(markdown)
    resources = documents[env].document["resource"]
    for type_, tier in (
        ("aws_lb", "tier_public"),
        ("aws_ecs_service", "tier_private"),
        ("aws_db_instance", "tier_database"),
    ):
        assert resources.get(type_), f"{env} has no {type_}"
        for name in resources[type_]:
            node = node_id(f"{type_}.{name}")
            assert node in labels, f"{type_}.{name} missing from the diagram"
            assert parents[node] == ["vpc", tier], (node, parents[node])
    rows = {line.split(" | ")[0][2:]: line for line in markdown.splitlines() if line.startswith("| ")}
    for spec in resources["aws_subnet"].values():  # no box each: listed under their tier
        assert f"{spec['availability_zone']} {spec['cidr_block']}" in rows[f"{spec['tags']['Tier']} subnets"]
    db = labels[node_id("aws_db_instance.this")]
    assert ("Multi-AZ" in db) == (env == "prod") and ("Single-AZ" in db) == (env == "dev")
    service = labels[node_id("aws_ecs_service.this")]
    assert {"dev": "1 task (scales 1–2)<br/>0.25 vCPU / 512 MiB", "prod": "2 tasks (scales 2–6)<br/>1 vCPU / 2048 MiB"}[
        env
    ] in service
    assert parents["nat_tier_public"] == ["vpc", "tier_public"]  # one box for the tier's NAT gateways
    assert labels["nat_tier_public"].startswith(
        {"dev": "NAT gateway<br/>AZ a", "prod": "3 NAT gateways<br/>AZ a, b, c"}[env]
    )


@pytest.mark.parametrize("env", env_names())
def test_edges_follow_the_real_references(env: str, documents: dict) -> None:
    document = documents[env].document
    labels, _, edges = parse_all((ROOT / "environments" / env / "ARCHITECTURE.md").read_text())
    addresses = {node_id(f"{t}.{n}"): f"{t}.{n}" for t, items in document["resource"].items() for n in items}
    drawn = {addresses[n] for n in labels if n in addresses}
    graph = reference_graph(document)
    for source, target, _ in edges:
        if source in addresses and target in addresses:
            assert connected(graph, addresses[source], addresses[target], drawn), f"no reference: {source} -> {target}"
    pairs = {(s, t) for s, t, _ in edges}
    waf = [node_id(f"aws_wafv2_web_acl.{name}") for name in document["resource"].get("aws_wafv2_web_acl", {})]
    entry = {("internet", waf[0]), (waf[0], "aws_lb_this")} if waf else {("internet", "aws_lb_this")}
    assert entry <= pairs and (not waf or ("internet", "aws_lb_this") not in pairs)  # prod: through the WAF
    assert {
        ("aws_lb_this", "aws_ecs_service_this"),
        ("aws_ecs_service_this", "aws_db_instance_this"),
        ("aws_ecs_service_this", "aws_ecr_repository_app"),
        ("aws_ecs_service_this", "secret__aws_db_instance_this"),
    } <= pairs
    nat_routes: set[tuple[str, str]] = set()
    tiers = {name: spec["tags"]["Tier"] for name, spec in document["resource"]["aws_subnet"].items()}
    for route in document["resource"]["aws_route"].values():
        if "nat_gateway_id" in route:
            table = route["route_table_id"][2:-4]
            for assoc in document["resource"]["aws_route_table_association"].values():
                if assoc["route_table_id"][2:-4] == table:  # a line from the NAT box to the subnets' tier
                    nat_routes.add(("nat_tier_public", f"tier_{tiers[assoc['subnet_id'][2:-4].split('.')[1]]}"))
    assert nat_routes and nat_routes <= pairs and ("internet", "nat_tier_public") in pairs


def test_committed_architecture_is_the_render_and_marked_generated(rendered: list) -> None:
    for item in rendered:
        text = item.files["ARCHITECTURE.md"]
        assert text.startswith("<!-- Generated by `python main.py synth`")
        assert (item.root / "ARCHITECTURE.md").read_text(encoding="utf-8") == text
        assert item.root / "ARCHITECTURE.md" in list(writer.generated_files(item.root))


def test_examples_goldens(project: Path) -> None:
    examples = sorted(p for p in (ROOT / "examples").iterdir() if (p / "config.py").exists())
    for example in examples:
        shutil.copytree(example, project / "environments" / example.name, ignore=shutil.ignore_patterns("*.md"))
    for item in pipeline.render(project, [e.name for e in examples]):
        golden = ROOT / "examples" / item.env / "ARCHITECTURE.md"
        assert golden.read_text(encoding="utf-8") == item.files["ARCHITECTURE.md"], (
            f"{golden.relative_to(ROOT)} is stale: run `python scripts/refresh_example_diagrams.py`"
        )
    labels, parents, edges = parse_all((ROOT / "examples/https-two-zones/ARCHITECTURE.md").read_text())
    assert not [n for n in labels if n.startswith("aws_nat_gateway")]
    assert "HTTPS :443" in labels["aws_lb_this"] and "secret__stripe_AbCdEf" in labels
    assert ("aws_ecs_service_this", "secret__stripe_AbCdEf", "reads") in edges
    # the four interface endpoints are one box of the private tier, their services two to a line
    assert labels["endpoint_tier_private"] == "4 interface endpoints<br/>ECR API · ECR DKR<br/>LOGS · SECRETSMANAGER"
    assert parents["endpoint_tier_private"] == ["vpc", "tier_private"]


def test_types_added_by_other_modules_appear_from_the_type_table() -> None:
    document = json.loads(FIXTURE.read_text())
    labels, parents, edges = parse(mermaid(build("synthetic", from_cdktf(document, {"ci": "Delivery"}))))
    pairs = {(s, t): label for s, t, label in edges}
    assert parents["aws_wafv2_web_acl_edge"] == ["edge"]
    assert ("internet", "aws_wafv2_web_acl_edge") in pairs and ("aws_wafv2_web_acl_edge", "aws_lb_this") in pairs
    assert ("internet", "aws_lb_this") not in pairs  # the WAF stands in front of the ALB
    assert ("aws_ecs_service_this", "aws_db_proxy_this") in pairs and (
        "aws_db_proxy_this",
        "aws_rds_cluster_this",
    ) in pairs
    assert parents["aws_db_proxy_this"] == ["vpc", "tier_private"]
    assert parents["aws_rds_cluster_this"] == ["vpc", "tier_database"]
    assert "2 instances" in labels["aws_rds_cluster_this"] and "Multi-AZ" in labels["aws_rds_cluster_this"]
    assert "aws_rds_cluster_instance_writer" not in labels
    assert (
        "3 alarms" in labels["alarm_monitoring"] and pairs[("alarm_monitoring", "aws_sns_topic_alerts")] == "notifies"
    )
    assert {("alarm_monitoring", "aws_lb_this"), ("alarm_monitoring", "aws_rds_cluster_this")} <= set(pairs)
    assert parents["aws_iam_role_deploy"] == ["Delivery"]  # the module's grouping hint
    assert "aws_iam_role_task" not in labels  # an ECS task role is plumbing, not a CI role
    assert pairs[("aws_iam_role_deploy", "aws_ecr_repository_app")] == "pushes"
    assert pairs[("aws_codedeploy_deployment_group_this", "aws_ecs_service_this")] == "blue/green"
    assert ("aws_codedeploy_deployment_group_this", "aws_lb_this") in pairs
    assert pairs[("aws_ecs_service_this", "secret__aws_rds_cluster_this")] == "reads"


def test_render_is_deterministic() -> None:
    document = json.loads(FIXTURE.read_text())
    first = mermaid(build("synthetic", from_cdktf(document)))
    shuffled = {"resource": dict(reversed(list(document["resource"].items())))}
    assert mermaid(build("synthetic", from_cdktf(shuffled))) == first


def test_plan_comment_marks_changed_boxes_and_drops_diagrams_before_destroy_detail() -> None:
    from generator.plan.model import PlanReport
    from generator.plan.source import load_env_plan, plan_diagrams
    from generator.review.comment.markup import size
    from generator.review.comment.render import Extras, View, _render, render_comment

    folder = ROOT / "tests" / "fixtures" / "plans" / "dev-replace"
    plan = load_env_plan(folder, None, folder / "sources.json")
    diagrams = plan_diagrams((folder,), [plan], folder / "sources.json")
    assert [title for title, _ in diagrams["dev"]][0] == "Request path and network"
    text = "".join(picture for _, picture in diagrams["dev"])
    labels, parents, _ = parse(diagrams["dev"][0][1])
    assert "aws_subnet_public_a" not in labels  # compact: tiers without subnet boxes
    assert "  class aws_db_instance_this replaced" in text  # its own resource is replaced
    assert "  class aws_ecs_service_this changed" in text  # its task definition is replaced, the service updated
    report = PlanReport((plan,))
    full = render_comment(report, diagrams=diagrams)
    assert "```mermaid" in full and "🟧 replaced" in full
    without = render_comment(report)
    assert "```mermaid" not in without
    # A limit that fits the destroy detail but not the diagram as well: the diagram goes first.
    no_other_detail = _render(
        report, View(plan_text=False, other_attributes=False), None, None, extras=Extras(diagrams=diagrams)
    )
    bare = render_comment(report, diagrams=diagrams, limit=size(no_other_detail) - 10)
    assert "```mermaid" not in bare and "the architecture diagrams" in bare
    assert 'db_name = "app" -> "api"' in bare


def test_cli_diagram_prints_mermaid_and_png_needs_graphviz(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from generator.cli import cli

    result = CliRunner().invoke(cli, ["diagram", "dev"])
    assert result.exit_code == 0, result.output
    assert parse(result.output)[0]["aws_lb_this"].startswith("Application Load Balancer")
    monkeypatch.setenv("PATH", str(tmp_path))
    result = CliRunner().invoke(cli, ["diagram", "dev", "--png", str(tmp_path / "x.png")])
    assert result.exit_code != 0 and "graphviz" in result.output and not (tmp_path / "x.png").exists()


@pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz's `dot` is not on PATH (apt-get install graphviz)")
def test_png_renders_with_aws_icons(tmp_path: Path, documents: dict) -> None:
    pytest.importorskip("diagrams", reason="the `diagrams` extra is not installed (pip install -e '.[diagram]')")
    from generator.diagram.png import render_png
    from generator.render.architecture import diagram_of

    target = render_png(diagram_of(documents["prod"]), tmp_path / "prod.png")
    data = target.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width > 600 and height > 600


@pytest.mark.terraform
@pytest.mark.parametrize("env", env_names())
def test_a_plan_draws_the_same_boxes_and_arrows_as_synth(env: str, documents: dict) -> None:
    """The comment's picture comes from the plan alone; it must agree with the synthesized one."""
    from generator.diagram.graph import from_plan
    from generator.terraform.offlineplan import offline_plan

    # A real plan of the committed HCL (offline, empty state), so the comparison is always current.
    plan = offline_plan(ROOT, env, ROOT / "environments" / env)
    from_synth = build(env, from_cdktf(documents[env].document))
    from_terraform = build(env, from_plan(plan))
    assert [(n.id, n.place) for n in from_terraform.nodes] == [(n.id, n.place) for n in from_synth.nodes]
    assert from_terraform.edges == from_synth.edges


def test_comment_command_draws_diagrams_unless_told_not_to() -> None:
    from click.testing import CliRunner

    from generator.cli import cli

    folder = str(ROOT / "tests" / "fixtures" / "plans" / "dev-replace")
    sources = str(ROOT / "tests" / "fixtures" / "plans" / "dev-replace" / "sources.json")
    drawn = CliRunner().invoke(cli, ["comment", folder, "--sources", sources])
    assert drawn.exit_code == 0, drawn.output
    assert "### Architecture, changes marked" in drawn.output and "class aws_db_instance_this replaced" in drawn.output
    plain = CliRunner().invoke(cli, ["comment", folder, "--sources", sources, "--no-diagram"])
    assert plain.exit_code == 0 and "```mermaid" not in plain.output
    unchanged = CliRunner().invoke(cli, ["comment", str(ROOT / "tests" / "fixtures" / "plans" / "dev-noop")])
    assert unchanged.exit_code == 0 and "```mermaid" not in unchanged.output  # nothing to mark, no picture


def test_a_huge_plan_gets_no_picture_rather_than_one_github_cannot_render() -> None:
    from benchmarks.comment_bench import synthetic_plan, synthetic_sources
    from generator.diagram.plan import MAX_DIAGRAM_CHARS, plan_diagram

    small = synthetic_plan(200)
    pictures = plan_diagram("prod", small, synthetic_sources(small))
    assert pictures and all(len(text) <= MAX_DIAGRAM_CHARS for _, text in pictures)
    huge = synthetic_plan(5000)  # 150 databases, 150 buckets...: hundreds of boxes
    assert plan_diagram("prod", huge, synthetic_sources(huge)) is None


def test_aurora_example_counts_instances_once_keeps_them_under_the_cluster_and_attaches_alarms() -> None:
    markdown = (ROOT / "examples" / "aurora-blue-green" / "ARCHITECTURE.md").read_text()
    labels, _, edges = parse_all(markdown)
    assert "3 instances · db.r7g.large" in labels["aws_rds_cluster_this"]
    rows = {line.split(" | ")[0]: line for line in markdown.splitlines() if line.startswith("| ")}
    aurora = next(row for title, row in rows.items() if title.startswith("| Aurora"))
    alarms = next(row for title, row in rows.items() if title.startswith("| CloudWatch alarms"))
    assert "`aws_rds_cluster_instance.writer`" in aurora and "aws_rds_cluster_instance" not in alarms
    assert ("alarm_monitoring", "aws_rds_cluster_this", "") in edges


def test_a_plan_of_undrawn_types_says_so_instead_of_an_empty_picture() -> None:
    from generator.diagram.graph import Inventory

    labels, _, _ = parse(mermaid(build("dev", Inventory((), {})), marks={}))
    assert list(labels) == ["none"] and "no resource of a kind the diagram draws" in labels["none"]


def test_moves_and_imports_are_marked() -> None:
    from generator.diagram.plan import plan_diagram

    folder = ROOT / "tests" / "fixtures" / "plans" / "dev-move"
    plan = json.loads((folder / "plan.json").read_text())
    pictures = plan_diagram("dev", plan, json.loads((folder / "sources.json").read_text()))
    assert pictures is not None and "  class aws_db_instance_primary,vpc moved" in pictures[0][1]
    for change in plan["resource_changes"]:
        if change.get("previous_address"):
            change.pop("previous_address")
            change["change"]["importing"] = {"id": "x"}
    imported = plan_diagram("dev", plan, json.loads((folder / "sources.json").read_text()))
    assert imported is not None and "imported" in imported[0][1].split("classDef imported", 1)[1]
