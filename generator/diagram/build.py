"""An environment's resources and references -> the architecture sketch as a typed model. Pure.

Nodes come from the type table (diagram_kinds); edges from real references: a node links to
another it reaches through connectors (task definition, target group, IAM policy...), two nodes
meeting at a junction (target group) are linked, and a security-group rule links the owners of
its two groups. Subnets place nodes in their tier; route tables link subnets to NAT gateways.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from generator import facts
from generator.diagram.edges import Edges, network_edges, reference_edges, secret_nodes, security_group_edges
from generator.diagram.graph import Inventory, Resource
from generator.diagram.labels import Context, label, literal, zone_of
from generator.diagram.model import INTERNET, Diagram, Edge, Node, node_id
from generator.facts.kinds import GROUPS, KINDS, SUBNET_GROUP_TYPES, TIER_ORDER, TIER_WORDS, ci_trust

__all__ = ["INTERNET", "Diagram", "Edge", "Node", "build", "node_id"]


def build(env: str, inventory: Inventory) -> Diagram:
    resources = inventory.by_address()
    ctx = Context(resources)
    kinds = {address: _kind(resource) for address, resource in resources.items()}
    subnets = {a: r for a, r in resources.items() if r.type == "aws_subnet"}
    tiers = {a: _tier(r) for a, r in subnets.items()}
    nodes: dict[str, Node] = {}
    owners: dict[str, str] = {}
    members: dict[str, list[Resource]] = {}
    has_vpc = any(r.type == "aws_vpc" for r in resources.values())
    for address, kind in sorted(kinds.items()):
        if kind is None:
            continue
        resource = resources[address]
        place = _place(resource, kind, resources, tiers, has_vpc, inventory.group_hints)
        key = f"{kind}_{node_id(place)}" if KINDS[kind].aggregate else node_id(address)
        members.setdefault(key, []).append(resource)
        owners[address] = key
        nodes[key] = Node(key, kind, (), place)
    for key, group in members.items():
        nodes[key] = Node(
            key, nodes[key].kind, label(nodes[key].kind, group, ctx), nodes[key].place, tuple(r.address for r in group)
        )
    for address, subnet in subnets.items():
        cidr = literal(subnet.values.get("cidr_block")) or ""
        nodes[node_id(address)] = Node(
            node_id(address), "subnet", (zone_of(subnet) or subnet.name, cidr), f"tier:{tiers[address]}", (address,)
        )
        owners[address] = node_id(address)
    edges = Edges(nodes)
    reference_edges(resources, kinds, owners, edges)
    security_group_edges(resources, owners, edges)
    secret_nodes(resources, owners, nodes, edges)
    network_edges(resources, owners, nodes, edges)
    _owner_of_rest(resources, kinds, owners)
    _watch_edges(resources, kinds, owners, edges)
    vpc = next((r for r in resources.values() if r.type == "aws_vpc"), None)
    present = {n.place for n in nodes.values()}
    return Diagram(
        env=env,
        vpc=_vpc_label(vpc) if vpc else (),
        tiers=tuple(t for t in _tier_order(tiers.values()) if f"tier:{t}" in present),
        groups=tuple((key, GROUPS.get(key, key)) for key in _group_order(present)),
        nodes=tuple(sorted(nodes.values(), key=lambda n: (KINDS[n.kind].rank if n.kind in KINDS else 99, n.id))),
        edges=edges.sorted(),
        owners=owners,
    )


def _kind(resource: Resource) -> str | None:
    if resource.type == "aws_iam_role":
        return (
            "ci_role"
            if ci_trust(resource.values.get("assume_role_policy"))
            or any(ref.address.startswith("aws_iam_openid_connect_provider.") for ref in resource.refs)
            else None
        )
    return facts.diagram_kind(resource.type)


def _tier(subnet: Resource) -> str:
    tags = subnet.values.get("tags") or {}
    words = [str(tags.get("Tier", "")).lower(), subnet.name.lower(), str(tags.get("Name", "")).lower()]
    for text in words:
        for tier, keys in TIER_WORDS:
            if any(re.search(rf"(^|[^a-z]){key}([^a-z]|$)", text) for key in keys):
                return tier
    return "public" if subnet.values.get("map_public_ip_on_launch") is True else "private"


def _tier_order(tiers: Iterable[str]) -> list[str]:
    found = set(tiers)
    return [t for t in TIER_ORDER if t in found] + sorted(found - set(TIER_ORDER))


def _group_order(places: set[str]) -> list[str]:
    outside = {p for p in places if not p.startswith("tier:") and p not in ("vpc", "outside")}
    return [g for g in GROUPS if g in outside] + sorted(outside - set(GROUPS))


def _place(
    resource: Resource,
    kind: str,
    resources: dict[str, Resource],
    tiers: dict[str, str],
    has_vpc: bool,
    hints: dict[str, str] | object,
) -> str:
    group = KINDS[kind].group
    if group != "vpc":
        hint = facts.diagram_group(resource.type) or (hints.get(resource.module) if isinstance(hints, dict) else None)
        return str(hint or group)
    placed = [tiers[a] for a in _subnets_of(resource, resources) if a in tiers]
    if placed:
        return f"tier:{max(sorted(set(placed)), key=placed.count)}"
    return "vpc" if has_vpc else "regional"


def _subnets_of(resource: Resource, resources: dict[str, Resource]) -> list[str]:
    found = []
    for ref in resource.refs:
        if ref.address.startswith("aws_subnet."):
            found.append(ref.address)
        elif ref.address in resources and resources[ref.address].type in SUBNET_GROUP_TYPES:
            found += [r.address for r in resources[ref.address].refs if r.address.startswith("aws_subnet.")]
    return sorted(set(found))


def _vpc_label(vpc: Resource) -> tuple[str, ...]:
    name = literal((vpc.values.get("tags") or {}).get("Name"))
    return tuple(part for part in (f"VPC {name or vpc.name}", literal(vpc.values.get("cidr_block"))) if part)


_WATCHERS = frozenset({"alarm", "dashboard"})


def _watch_edges(
    resources: dict[str, Resource], kinds: dict[str, str | None], owners: dict[str, str], edges: Edges
) -> None:
    """An alarm points at the box of what it watches, also when that is a part of the box (an instance)."""
    for address, kind in sorted(kinds.items()):
        if kind in _WATCHERS:
            for ref in resources[address].refs:
                if ref.address in resources and kinds.get(ref.address) not in _WATCHERS and ref.address in owners:
                    edges.add(owners[address], owners[ref.address])


def _owner_of_rest(resources: dict[str, Resource], kinds: dict[str, str | None], owners: dict[str, str]) -> None:
    """Every other resource belongs to the nearest drawn node (its change marks that node).

    Nearest first by what references it (the service owns its task definition), then by what it
    references; the VPC itself is drawn as the VPC box."""
    incoming: dict[str, set[str]] = {address: set() for address in resources}
    outgoing: dict[str, set[str]] = {address: set() for address in resources}
    for resource in resources.values():
        for ref in resource.refs:
            if ref.address in resources and resources[ref.address].type != "aws_vpc":
                outgoing[resource.address].add(ref.address)
                incoming[ref.address].add(resource.address)
    drawn = dict(owners)
    # An alarm or dashboard watches what it names; it owns none of it (the instance belongs to its cluster).
    watchers = {a for a, kind in kinds.items() if kind in _WATCHERS}
    for address in sorted(set(resources) - set(drawn)):
        if resources[address].type == "aws_vpc":
            owners[address] = "vpc"
            continue
        frontier, seen = {address}, {address}
        for _ in range(3):
            for links in (incoming, outgoing):
                found = sorted(drawn[n] for a in frontier for n in links[a] if n in drawn and n not in watchers)
                if found:
                    owners[address] = found[0]
                    break
            if address in owners:
                break
            frontier = {n for a in frontier for n in incoming[a] | outgoing[a]} - seen
            seen |= frontier
