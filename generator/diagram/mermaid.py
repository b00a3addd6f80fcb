"""Diagram model -> Mermaid flowchart text (GitHub renders it; it diffs as text). Pure.

`mermaid(diagram)` is the full picture of ARCHITECTURE.md: subnets per AZ inside their tiers.
`mermaid(diagram, marks=...)` is the compact one of the PR comment: no subnet boxes, two-line
labels, and the nodes a plan touches coloured by what happens to them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from generator.diagram.build import INTERNET, Diagram, Edge, Node
from generator.diagram.kinds import KINDS

_SHAPES = {"box": ('["', '"]'), "cylinder": ('[("', '")]'), "hexagon": ('{{"', '"}}'), "stadium": ('(["', '"])'),
           "circle": ('(("', '"))'), "subnet": ('("', '")')}
MARKS = ("added", "changed", "replaced", "destroyed")
_MARK_STYLE = {
    "added": "fill:#dafbe1,stroke:#1a7f37,stroke-width:2px",
    "changed": "fill:#fff8c5,stroke:#9a6700,stroke-width:2px",
    "replaced": "fill:#ffe2cc,stroke:#bc4c00,stroke-width:3px",
    "destroyed": "fill:#ffebe9,stroke:#cf222e,stroke-width:3px,stroke-dasharray:5 3",
}
LEGEND = "🟩 added · 🟨 changed · 🟧 replaced · 🟥 destroyed"


def text(value: str) -> str:
    """Mermaid label text: quotes and angle brackets as entities, so no label can break the syntax."""
    return value.replace("&", "&amp;").replace('"', "#quot;").replace("<", "&lt;").replace(">", "&gt;")


def tier_id(tier: str) -> str:
    return f"tier_{tier}"


def mermaid(diagram: Diagram, marks: Mapping[str, str] | None = None) -> str:
    """The flowchart; with `marks` (node id -> added/changed/replaced/destroyed) the compact form."""
    compact = marks is not None
    lines = ["flowchart LR"]
    by_place: dict[str, list[Node]] = {}
    for node in diagram.nodes:
        if not (compact and node.kind == "subnet"):
            by_place.setdefault(node.place, []).append(node)
    lines += [_node(node, compact, 1) for node in by_place.get("outside", [])]
    for key, title in diagram.groups:
        lines += _subgraph(key, title, by_place.get(key, []), compact, 1)
    if diagram.vpc:
        lines.append(f'  subgraph vpc["{text(" · ".join(diagram.vpc))}"]')
        for tier in diagram.tiers:
            lines += _subgraph(tier_id(tier), _tier_title(diagram, tier), by_place.get(f"tier:{tier}", []),
                               compact, 2)
        lines += [_node(node, compact, 2) for node in by_place.get("vpc", [])]
        lines.append("  end")
    lines += [_edge(edge) for edge in _edges(diagram, compact)]
    if marks:
        lines += _mark_lines(diagram, marks)
    return "\n".join(lines) + "\n"


def _tier_title(diagram: Diagram, tier: str) -> str:
    return f"{tier} subnets · {zones_title(diagram, tier)}".rstrip(" ·")


def zones_title(diagram: Diagram, tier: str) -> str:
    """`AZ a, b, c` for ap-northeast-2a..c: the zone letters of a tier's subnets."""
    zones = sorted({n.label[0] for n in diagram.nodes if n.kind == "subnet" and n.place == f"tier:{tier}"})
    return f"AZ {', '.join(zone[-1:] for zone in zones)}" if zones else ""


def _subgraph(key: str, title: str, nodes: list[Node], compact: bool, depth: int) -> list[str]:
    pad = "  " * depth
    return [f'{pad}subgraph {key}["{text(title)}"]', *(_node(n, compact, depth + 1) for n in nodes), f"{pad}end"]


def _node(node: Node, compact: bool, depth: int) -> str:
    shape = "subnet" if node.kind == "subnet" else KINDS[node.kind].shape
    opening, closing = _SHAPES[shape]
    lines = node.label[:2] if compact else node.label
    return f"{'  ' * depth}{node.id}{opening}{'<br/>'.join(text(line) for line in lines)}{closing}"


def _edges(diagram: Diagram, compact: bool) -> list[Edge]:
    """In the compact form subnet boxes are gone: their edges start at the tier instead."""
    if not compact:
        return list(diagram.edges)
    places = {n.id: n.place for n in diagram.nodes}
    out: dict[tuple[str, str], Edge] = {}
    for edge in diagram.edges:
        source, target = (tier_id(places[end][5:]) if places.get(end, "").startswith("tier:") and
                          end.startswith("aws_subnet_") else end for end in (edge.source, edge.target))
        out.setdefault((source, target), replace(edge, source=source, target=target))
    return list(out.values())


def _edge(edge: Edge) -> str:
    arrow = ("-->" if edge.flow else "-.->") if edge.arrow else "-.-"
    label = f'|"{text(edge.label)}"|' if edge.label else ""
    return f"  {edge.source} {arrow}{label} {edge.target}"


def _mark_lines(diagram: Diagram, marks: Mapping[str, str]) -> list[str]:
    lines = [f"  classDef {mark} {_MARK_STYLE[mark]}" for mark in MARKS]
    places = {n.id: n.place for n in diagram.nodes}
    targets: dict[str, set[str]] = {}
    for node_id, mark in marks.items():
        shown = tier_id(places[node_id][5:]) if node_id.startswith("aws_subnet_") and node_id in places else node_id
        if shown in places or shown.startswith("tier_") or (shown == "vpc" and diagram.vpc):
            targets.setdefault(mark, set()).add(shown)
    for mark in MARKS:
        if targets.get(mark):
            lines.append(f"  class {','.join(sorted(targets[mark]))} {mark}")
    return lines


__all__ = ["INTERNET", "LEGEND", "MARKS", "mermaid", "text", "tier_id", "zones_title"]
