"""An environment's resources and references -> the architecture sketch as a typed model. Pure.

Nodes come from the type table (diagram_kinds); edges from real references: a node links to
another it reaches through connectors (task definition, target group, IAM policy...), two nodes
meeting at a junction (target group) are linked, and a security-group rule links the owners of
its two groups. Subnets place nodes in their tier; route tables link subnets to NAT gateways.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from generator.render.diagram_graph import Inventory, Resource, parse_ref
from generator.render.diagram_kinds import (CONNECTOR_TYPES, EDGE_LABELS, FLOW_KINDS, GROUPS, INVERTED,
                                            JUNCTION_TYPES, KINDS, NODE_TYPES, SG_RULE_TYPES,
                                            SUBNET_GROUP_TYPES, TIER_ORDER, TIER_WORDS, Role, ci_trust)
from generator.render.diagram_labels import Context, label, literal, zone_of

INTERNET = "internet"


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
        nodes[key] = Node(key, nodes[key].kind, label(nodes[key].kind, group, ctx), nodes[key].place,
                          tuple(r.address for r in group))
    for address, subnet in subnets.items():
        cidr = literal(subnet.values.get("cidr_block")) or ""
        nodes[node_id(address)] = Node(node_id(address), "subnet", (zone_of(subnet) or subnet.name, cidr),
                                       f"tier:{tiers[address]}", (address,))
        owners[address] = node_id(address)
    edges = _Edges(nodes)
    _reference_edges(resources, kinds, owners, edges)
    _security_group_edges(resources, owners, edges)
    _secret_nodes(resources, owners, nodes, edges)
    _network_edges(resources, owners, nodes, edges)
    _owner_of_rest(resources, kinds, owners)
    vpc = next((r for r in resources.values() if r.type == "aws_vpc"), None)
    present = {n.place for n in nodes.values()}
    return Diagram(
        env=env,
        vpc=_vpc_label(vpc) if vpc else (),
        tiers=tuple(t for t in _tier_order(tiers.values()) if f"tier:{t}" in present),
        groups=tuple((key, GROUPS.get(key, key)) for key in _group_order(present)),
        nodes=tuple(sorted(nodes.values(), key=lambda n: (KINDS[n.kind].rank if n.kind in KINDS else 99, n.id))),
        edges=edges.sorted(), owners=owners)


def _kind(resource: Resource) -> str | None:
    if resource.type == "aws_iam_role":
        return "ci_role" if ci_trust(resource.values.get("assume_role_policy")) or any(
            ref.address.startswith("aws_iam_openid_connect_provider.") for ref in resource.refs) else None
    return NODE_TYPES.get(resource.type)


def role(resource: Resource, kind: str | None) -> Role:
    if kind is not None:
        return Role.NODE
    return Role.CONNECTOR if resource.type in CONNECTOR_TYPES else Role.DETAIL


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


def _place(resource: Resource, kind: str, resources: dict[str, Resource], tiers: dict[str, str], has_vpc: bool,
           hints: dict[str, str] | object) -> str:
    group = KINDS[kind].group
    if group != "vpc":
        hint = hints.get(resource.module) if isinstance(hints, dict) else None
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


class _Edges:
    """Edges keyed by node pair: one edge per pair, oriented as found or by request-flow rank."""

    def __init__(self, nodes: dict[str, Node]) -> None:
        self.nodes = nodes
        self.found: dict[frozenset[str], Edge] = {}

    def add(self, source: str, target: str, by_rank: bool = False) -> None:
        if source == target or source not in self.nodes or target not in self.nodes:
            return
        a, b = self.nodes[source].kind, self.nodes[target].kind
        if by_rank and (KINDS[b].rank, target) < (KINDS[a].rank, source):
            source, target, a, b = target, source, b, a
        key = frozenset((source, target))
        if key in self.found and not by_rank:
            return
        self.found.setdefault(key, Edge(source, target, EDGE_LABELS.get((a, b), ""),
                                        a in FLOW_KINDS and b in FLOW_KINDS))

    def sorted(self) -> tuple[Edge, ...]:
        return tuple(sorted(self.found.values(), key=lambda e: (e.source, e.target)))


def _directed(resources: dict[str, Resource]) -> dict[str, set[str]]:
    """Reference graph with ownership references (listener -> load balancer...) turned around."""
    out: dict[str, set[str]] = {address: set() for address in resources}
    for resource in resources.values():
        for ref in resource.refs:
            target = resources.get(ref.address)
            # The master secret is drawn as its own node: `db.master_user_secret` is no link to the db.
            if target is None or ref.attribute.startswith("master_user_secret"):
                continue
            if (resource.type, target.type) in INVERTED:
                out[target.address].add(resource.address)
            else:
                out[resource.address].add(ref.address)
    return out


def _reference_edges(resources: dict[str, Resource], kinds: dict[str, str | None], owners: dict[str, str],
                     edges: _Edges) -> None:
    graph = _directed(resources)
    meetings: dict[str, set[str]] = {}
    for start in sorted(a for a in resources if kinds[a] is not None):
        seen, stack = {start}, sorted(graph[start])
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            resource = resources[current]
            if kinds[current] is not None:
                edges.add(owners[start], owners[current])
            elif resource.type in CONNECTOR_TYPES:
                if resource.type in JUNCTION_TYPES:
                    meetings.setdefault(current, set()).add(owners[start])
                stack += sorted(graph[current])
    for junction in sorted(meetings):
        ends = sorted(meetings[junction])
        for i, first in enumerate(ends):
            for second in ends[i + 1:]:
                edges.add(first, second, by_rank=True)


def _security_group_edges(resources: dict[str, Resource], owners: dict[str, str], edges: _Edges) -> None:
    groups: dict[str, list[str]] = {}
    for resource in resources.values():
        if resource.address in owners and resources[resource.address].type != "aws_subnet":
            for ref in resource.refs:
                if ref.address.startswith("aws_security_group."):
                    groups.setdefault(ref.address, []).append(owners[resource.address])
    for rule in (r for r in resources.values() if r.type in SG_RULE_TYPES):
        if rule.values.get("type", "ingress") != "ingress":
            continue
        target = _ref_in(rule.values.get("security_group_id"))
        source = _ref_in(rule.values.get("referenced_security_group_id") or rule.values.get("source_security_group_id"))
        for src in sorted(set(groups.get(source or "", []))):
            for dst in sorted(set(groups.get(target or "", []))):
                edges.add(src, dst, by_rank=True)


def _ref_in(value: object) -> str | None:
    text = str(value or "")
    ref = parse_ref(text.removeprefix("${")) if text.startswith("${") else parse_ref(text)
    return ref.address if ref else None


def _secret_nodes(resources: dict[str, Resource], owners: dict[str, str], nodes: dict[str, Node],
                  edges: _Edges) -> None:
    """RDS-managed master passwords and secrets referenced by literal ARN: secrets without a resource."""
    for resource in sorted(resources.values(), key=lambda r: r.address):
        if resource.type in ("aws_db_instance", "aws_rds_cluster") and \
                resource.values.get("manage_master_user_password") is True:
            key = f"secret__{node_id(resource.address)}"
            nodes[key] = Node(key, "secret", ("Secret (managed by RDS)", "master credentials"), "regional")
            edges.add(owners[resource.address], key)
    for resource in sorted(resources.values(), key=lambda r: r.address):
        for arn in resource.secret_arns:
            key = f"secret__{node_id(arn.rsplit(':', 1)[-1])}"
            nodes.setdefault(key, Node(key, "secret", ("Secret (external)", arn.rsplit(":", 1)[-1]), "regional"))
    _secret_users(resources, owners, nodes, edges)


def _secret_users(resources: dict[str, Resource], owners: dict[str, str], nodes: dict[str, Node],
                  edges: _Edges) -> None:
    """Who reads a secret: the node owning the task definition or policy that names it."""
    users: dict[str, set[str]] = {}
    for resource in resources.values():
        targets = {f"secret__{node_id(ref.address)}" for ref in resource.refs
                   if ref.attribute.startswith("master_user_secret")}
        targets |= {f"secret__{node_id(arn.rsplit(':', 1)[-1])}" for arn in resource.secret_arns}
        if targets and resource.type == "aws_ecs_task_definition":
            for service in (r for r in resources.values() if any(x.address == resource.address for x in r.refs)):
                for target in targets:
                    users.setdefault(owners.get(service.address, ""), set()).add(target)
        elif targets and resource.address in owners:
            for target in targets:
                users.setdefault(owners[resource.address], set()).add(target)
    for user in sorted(users):
        for target in sorted(users[user]):
            edges.add(user, target)


def _network_edges(resources: dict[str, Resource], owners: dict[str, str], nodes: dict[str, Node],
                   edges: _Edges) -> None:
    """Internet in front of public load balancers (or their WAF); private subnets out through NAT."""
    public = [n for n in nodes.values() if n.kind == "alb" and not any(
        resources[a].values.get("internal") is True for a in n.addresses)]
    nats = [n for n in nodes.values() if n.kind == "nat"]
    if not (public or nats or any(r.type == "aws_internet_gateway" for r in resources.values())):
        return
    nodes[INTERNET] = Node(INTERNET, "internet", ("Internet",), "outside")
    for alb in public:
        shields = [e.source for e in edges.found.values() if e.target == alb.id and nodes[e.source].kind in ("waf",)]
        for front in shields or [alb.id]:
            edges.add(INTERNET, front)
    for nat in nats:
        edges.add(nat.id, INTERNET)
    tables: dict[str, list[str]] = {}
    for route in (r for r in resources.values() if r.type == "aws_route"):
        nat = _ref_in(route.values.get("nat_gateway_id"))
        table = _ref_in(route.values.get("route_table_id"))
        if nat in owners and table:
            tables.setdefault(table, []).append(owners[nat])
    for association in (r for r in resources.values() if r.type == "aws_route_table_association"):
        subnet, table = _ref_in(association.values.get("subnet_id")), _ref_in(association.values.get("route_table_id"))
        for nat in tables.get(table or "", []):
            if subnet in owners:
                edges.add(owners[subnet], nat)


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
    for address in sorted(set(resources) - set(drawn)):
        if resources[address].type == "aws_vpc":
            owners[address] = "vpc"
            continue
        frontier, seen = {address}, {address}
        for _ in range(3):
            for links in (incoming, outgoing):
                found = sorted(drawn[n] for a in frontier for n in links[a] if n in drawn)
                if found:
                    owners[address] = found[0]
                    break
            if address in owners:
                break
            frontier = {n for a in frontier for n in incoming[a] | outgoing[a]} - seen
            seen |= frontier
