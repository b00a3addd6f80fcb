"""Diagram model -> Mermaid flowchart text (GitHub renders it; it diffs as text). Pure.

`mermaid(diagram)` is the full picture of ARCHITECTURE.md (`parts` cuts it in narrow pieces first).
`mermaid(diagram, marks=...)` is the compact one of the PR comment: two-line labels, no subnet
list, and the nodes a plan touches coloured by what happens to them.

Both are drawn top-down with no box per subnet (nor per NAT gateway), so they fit GitHub's
~900 px column without shrinking the text, and arrows end at the tier instead of crossing it. Marked
boxes set their text colour with their fill: GitHub's dark theme would otherwise draw light text on them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import replace

from generator.diagram.build import INTERNET, Diagram, Edge, Node
from generator.diagram.stand_ins import against, stand_ins
from generator.facts.kinds import KINDS

_SHAPES = {
    "box": ('["', '"]'),
    "cylinder": ('[("', '")]'),
    "hexagon": ('{{"', '"}}'),
    "stadium": ('(["', '"])'),
    "circle": ('(("', '"))'),
    "subnet": ('("', '")'),
}
MARKS = ("added", "changed", "replaced", "destroyed", "moved", "imported")
# Light fills with dark text in both of GitHub's themes (contrast >= 7:1); the stroke tells them apart too.
_MARK_STYLE = {
    "added": "fill:#dafbe1,stroke:#1a7f37,stroke-width:2px,color:#1f2328",
    "changed": "fill:#fff8c5,stroke:#9a6700,stroke-width:2px,color:#1f2328",
    "replaced": "fill:#ffe2cc,stroke:#bc4c00,stroke-width:3px,color:#1f2328",
    "destroyed": "fill:#ffebe9,stroke:#cf222e,stroke-width:3px,stroke-dasharray:5 3,color:#1f2328",
    "moved": "fill:#ddf4ff,stroke:#0969da,stroke-width:2px,stroke-dasharray:2 2,color:#1f2328",
    "imported": "fill:#fbefff,stroke:#8250df,stroke-width:2px,color:#1f2328",
}
LEGEND = "🟩 added · 🟨 changed · 🟧 replaced · 🟥 destroyed · 🟦 moved · 🟪 imported"


def text(value: str) -> str:
    """Mermaid label text: quotes and angle brackets as entities, so no label can break the syntax."""
    return value.replace("&", "&amp;").replace('"', "#quot;").replace("<", "&lt;").replace(">", "&gt;")


def tier_id(tier: str) -> str:
    return f"tier_{tier}"


# Edge labels in dark text on a light patch in both of GitHub's themes (Mermaid's dark theme draws #ccc
# on #585858, 4.4:1); every other theme variable stays the theme's.
_INIT = (
    '%%{init: {"flowchart": {"nodeSpacing": 16, "padding": 6, "wrappingWidth": 150}, '
    '"themeVariables": {"edgeLabelBackground": "#f6f8fa"}}}%%'
)
_LABEL_STYLE = "  linkStyle default color:#1f2328"
# Boxes of these groups (and of any module's own group) are the operations picture of ARCHITECTURE.md.
_REQUEST_GROUPS = ("edge", "regional")
# Up to this many regional boxes stay in the request picture; more get a picture of their own, where
# the boxes that use them stand above them instead of a whole VPC's width of arrows.
_REGIONAL_INLINE = 3
# Boxes side by side at most in a VPC tier (wide service boxes) and in a group, before a new row starts.
_TIER_ROW = 3
_GROUP_ROW = 2


def parts(diagram: Diagram) -> list[tuple[str, Diagram]]:
    """ARCHITECTURE.md's picture in parts, each narrow enough for GitHub's column: the request path and
    network (internet, edge, VPC, a few regional services), then each other group (many regional
    services, monitoring, CI/CD...) with the boxes it uses, watches or deploys repeated as plain links.
    A part with no box is left out."""
    counts = Counter(n.place for n in diagram.nodes)
    inline = {"edge", "regional"} if counts["regional"] <= _REGIONAL_INLINE else {"edge"}
    request_ids = {n.id for n in diagram.nodes if n.place not in {k for k, _ in diagram.groups} or n.place in inline}
    found = [
        (
            "Request path and network",
            replace(
                diagram,
                groups=tuple(g for g in diagram.groups if g[0] in inline),
                nodes=tuple(n for n in diagram.nodes if n.id in request_ids),
                edges=tuple(e for e in diagram.edges if e.source in request_ids and e.target in request_ids),
            ),
        )
    ]
    split = {key for key, _ in diagram.groups} - inline
    found += [(title, _group_part(diagram, key, title, split)) for key, title in diagram.groups if key in split]
    drawn = [(title, part) for title, part in found if any(n.kind != "subnet" for n in part.nodes)]
    return drawn or [("Architecture", diagram)]


def _group_part(diagram: Diagram, key: str, title: str, split: set[str]) -> Diagram:
    """One group's boxes and the boxes they link to, those above the group when most arrows point into it.
    An arrow from another group with a picture of its own (an alarm on a queue) is drawn in that one only."""
    places = {n.id: n.place for n in diagram.nodes}
    own = {n.id for n in diagram.nodes if n.place == key}
    edges = tuple(
        e for e in diagram.edges if e.source in own or (e.target in own and places.get(e.source) not in split)
    )
    linked = {end for e in edges for end in (e.source, e.target)} - own
    stubs, edges = stand_ins([n for n in diagram.nodes if n.id in linked], edges)
    inward = sum(e.target in own for e in edges) > sum(e.source in own for e in edges)
    edges = tuple(against(e, own, inward) for e in edges)
    groups = ((key, title), ("linked", "Watched, used or deployed"))
    return replace(
        diagram,
        vpc=(),
        tiers=(),
        groups=groups[::-1] if inward else groups,
        nodes=tuple(n for n in diagram.nodes if n.id in own) + stubs,
        edges=edges,
    )


def mermaid(diagram: Diagram, marks: Mapping[str, str] | None = None) -> str:
    """The flowchart; with `marks` (node id -> a MARKS word) the compact form."""
    compact = marks is not None
    lines = [_INIT, "flowchart TB"]
    by_place: dict[str, list[Node]] = {}
    for node in diagram.nodes:
        if node.kind != "subnet":
            by_place.setdefault(node.place, []).append(node)
    lines += [_node(node, compact, 1) for node in by_place.get("outside", [])]
    for key, title in diagram.groups:
        if by_place.get(key):
            lines += _subgraph(key, title, by_place[key], compact, 1)
    if diagram.vpc:
        lines.append(f'  subgraph vpc["{text(" · ".join(diagram.vpc))}"]')
        for tier in diagram.tiers:
            lines += _subgraph(tier_id(tier), _tier_title(diagram, tier), by_place.get(f"tier:{tier}", []), compact, 2)
        lines += [_node(node, compact, 2) for node in by_place.get("vpc", [])]
        lines.append("  end")
    if len(lines) == 2:  # nothing the diagram draws: say so rather than show an empty picture
        lines.append(f'  none["{text(f"{diagram.env}: no resource of a kind the diagram draws")}"]')
    edges = _edges(diagram)
    lines += [_edge(edge) for edge in edges]
    lines += _stacking(diagram, by_place, edges)
    if any(edge.label for edge in edges):
        lines.append(_LABEL_STYLE)
    if marks:
        lines += _mark_lines(diagram, marks)
    return "\n".join(lines) + "\n"


def _egress(edge: Edge) -> Edge:
    """Traffic out to the internet is a plain line from the Internet on top down to the NAT gateways: an
    arrow up would pull them above it, and a second Internet circle below them stood beside the VPC,
    widening the picture by its own width."""
    out = edge.target == INTERNET and not edge.flow
    return replace(edge, source=INTERNET, target=edge.source, arrow=False) if out else edge


def _stacking(diagram: Diagram, by_place: Mapping[str, list[Node]], edges: list[Edge]) -> list[str]:
    """Invisible links that stack the boxes top-down (internet, edge, VPC tiers, the rest) and break a
    crowded tier or group into rows: unlinked boxes would otherwise stand side by side and make the
    picture as wide as all of them. A link that would close a loop with the arrows is left out (Mermaid
    would turn an arrow around for it and tangle the picture)."""
    below: dict[str, set[str]] = {}
    for edge in edges:
        below.setdefault(edge.source, set()).add(edge.target)
    blocks = [(n.id, n.id, [n.id]) for n in by_place.get("outside", [])][:1]
    blocks += [(key, key, _ids(by_place[key])) for key, _ in diagram.groups if key == "edge" and by_place.get(key)]
    tiers = [(tier_id(t), f"tier:{t}", _ids(by_place.get(f"tier:{t}", []))) for t in diagram.tiers]
    loose = _ids(by_place.get("vpc", []))  # in the VPC but no tier (a gateway endpoint): below the tiers
    blocks += [*tiers, *([(loose[0], "vpc", loose)] if loose else [])] if diagram.vpc else []
    blocks += [(key, key, _ids(by_place[key])) for key, _ in diagram.groups if key != "edge" and by_place.get(key)]
    links = []
    for (upper, _, highs), (lower, place, lows) in zip(blocks, blocks[1:]):
        if not (highs and lows):
            links.append((upper, lower))
            continue
        # every lowest box of a block above the first row of the next: a link to a box stands for all of it
        step = _TIER_ROW if place.startswith("tier:") else _GROUP_ROW
        links += [(a, b) for a in highs if not below.get(a, set()) & set(highs) for b in lows[:step]]
    for place, members in by_place.items():
        step = _TIER_ROW if place.startswith("tier:") else _GROUP_ROW
        if place != "outside":
            links += [(a.id, b.id) for a, b in zip(members, members[step:])]
    kept = []
    for first, second in links:
        if not _reaches(below, second, first):
            below.setdefault(first, set()).add(second)
            kept.append(f"  {first} ~~~ {second}")
    return kept


def _ids(nodes: list[Node]) -> list[str]:
    return [n.id for n in nodes]


def _reaches(below: Mapping[str, set[str]], start: str, goal: str) -> bool:
    seen, stack = {start}, [start]
    while stack:
        current = stack.pop()
        if current == goal:
            return True
        for nxt in below.get(current, set()) - seen:
            seen.add(nxt)
            stack.append(nxt)
    return False


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


def _edges(diagram: Diagram) -> list[Edge]:
    """Subnets are no boxes of their own: their edges start at their tier instead."""
    places = {n.id: n.place for n in diagram.nodes}
    out: dict[tuple[str, str], Edge] = {}
    for edge in diagram.edges:
        source, target = (
            tier_id(places[end][5:])
            if places.get(end, "").startswith("tier:") and end.startswith("aws_subnet_")
            else end
            for end in (edge.source, edge.target)
        )
        out.setdefault((source, target), _egress(replace(edge, source=source, target=target)))
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


__all__ = ["INTERNET", "LEGEND", "MARKS", "mermaid", "parts", "text", "tier_id", "zones_title"]
