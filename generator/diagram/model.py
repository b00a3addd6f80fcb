"""The architecture diagram as data: boxes, arrows, and which resources each box stands for."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

INTERNET = "internet"
Pictures = tuple[tuple[str, str], ...]  # a diagram in parts: (title, Mermaid text) of each, the request path first


@dataclass(frozen=True)
class Node:
    id: str
    kind: str  # a KINDS key, or "subnet"
    label: tuple[str, ...]
    place: str  # "tier:public", "vpc", "outside", or a group key ("edge", "ci", or a module's hint)
    addresses: tuple[str, ...] = ()  # the resources it stands for


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str = ""
    flow: bool = False  # on the request path: drawn solid
    arrow: bool = True  # False: a plain line (a subnet routed through a NAT gateway), drawn NAT first


@dataclass(frozen=True)
class Diagram:
    env: str
    vpc: tuple[str, ...]  # the VPC box's label; () when the env has no VPC
    tiers: tuple[str, ...]  # tiers present, in drawing order
    groups: tuple[tuple[str, str], ...]  # (key, title) of the boxes outside the VPC, in drawing order
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    owners: dict[str, str] = field(default_factory=dict)  # resource address -> node id it is drawn in


def node_id(address: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", address)
