"""environments/<env>/ARCHITECTURE.md: the env's architecture as Mermaid, drawn from the synthesized stack.

Pure: EnvDocument + source map in, Markdown text out; `synth` writes it beside the HCL, and
`synth --check` holds it to the same byte-for-byte standard.
"""

from __future__ import annotations

from collections.abc import Mapping

from generator.diagram.build import Diagram, build
from generator.diagram.graph import from_cdktf
from generator.diagram.mermaid import mermaid, parts
from generator.render.emit import GENERATED_MARK, EnvDocument

ARCHITECTURE_FILE = "ARCHITECTURE.md"


def diagram_of(doc: EnvDocument) -> Diagram:
    return build(doc.env, from_cdktf(doc.document, doc.diagram_groups))


def architecture_markdown(doc: EnvDocument, sources: Mapping[str, str]) -> str:
    diagram = diagram_of(doc)
    header = (
        f"<!-- {GENERATED_MARK} from the synthesized stack of {doc.config_path}. "
        "Do not edit by hand: change the Python and re-run synth. -->"
    )
    lines = [
        header,
        f"# `{doc.env}` architecture",
        "",
        f"Drawn by `python main.py synth` from the resources synthesized for `{doc.config_path}` and the",
        "references between them, so it changes exactly when the infrastructure does. Solid arrows are the",
        "request path; dashed ones are dependencies (images, secrets, egress, monitoring, CI).",
        f"`python main.py diagram {doc.env} --png FILE` draws the same picture with AWS icons.",
        "",
        *_pictures(diagram),
        *_table(diagram, sources),
    ]
    return "\n".join(lines) + "\n"


def _subnet_rows(diagram: Diagram) -> list[str]:
    """The subnets, which the picture draws as their tier only: one row per tier, AZ and CIDR each."""
    rows = []
    for tier in diagram.tiers:
        subnets = [" ".join(n.label) for n in diagram.nodes if n.kind == "subnet" and n.place == f"tier:{tier}"]
        if subnets:
            rows.append(f"| {tier} subnets | {', '.join(subnets)} | |")
    return rows


def _pictures(diagram: Diagram) -> list[str]:
    lines: list[str] = []
    for title, part in parts(diagram):
        lines += [f"## {title}", "", "```mermaid", mermaid(part).rstrip("\n"), "```", ""]
    return lines


def _table(diagram: Diagram, sources: Mapping[str, str]) -> list[str]:
    """Which Terraform resources each box stands for, and the Python file that defines them."""
    members: dict[str, list[str]] = {}
    for address, owner in diagram.owners.items():
        members.setdefault(owner, []).append(address)
    rows = ["| Box | Terraform resources | Defined in |", "| :-- | :-- | :-- |"]
    for node in diagram.nodes:
        addresses = sorted(members.get(node.id, []))
        if node.kind == "subnet" or not addresses:
            continue
        files = sorted({sources[a].rsplit(":", 1)[0] for a in addresses if a in sources})
        rows.append(
            f"| {' · '.join(node.label[:2])} | {', '.join(f'`{a}`' for a in addresses)} | "
            f"{', '.join(f'`{f}`' for f in files)} |"
        )
    rows += _subnet_rows(diagram)
    subnets = sorted(a for a, owner in diagram.owners.items() if owner.startswith("aws_subnet_") or owner == "vpc")
    if subnets:
        files = sorted({sources[a].rsplit(":", 1)[0] for a in subnets if a in sources})
        rows.append(
            f"| VPC, subnets and routing | {', '.join(f'`{a}`' for a in subnets)} | "
            f"{', '.join(f'`{f}`' for f in files)} |"
        )
    return rows
