"""Arrows of the diagram, each one backed by real references between the resources.

* dependencies: a node reaches another through connectors (listener, task definition, policy...);
* junctions: two nodes that reach the same target group (the ALB and the service) are linked;
* security-group rules: the owner of the source group reaches the owner of the target group;
* network: internet -> public load balancers (or the WAF in front), private subnets -> NAT -> internet.
"""

from __future__ import annotations

from generator.diagram.graph import Resource
from generator.diagram.model import INTERNET, Edge, Node, node_id
from generator.facts.kinds import (
    CONNECTOR_TYPES,
    EDGE_LABELS,
    FLOW_KINDS,
    INVERTED,
    JUNCTION_TYPES,
    KINDS,
    SG_RULE_TYPES,
)


class Edges:
    """Edges keyed by node pair: one edge per pair, oriented as found or by request-flow rank."""

    def __init__(self, nodes: dict[str, Node]) -> None:
        self.nodes = nodes
        self.found: dict[frozenset[str], Edge] = {}

    def add(self, source: str, target: str, by_rank: bool = False) -> None:
        if source == target or source not in self.nodes or target not in self.nodes:
            return
        a, b = self.nodes[source].kind, self.nodes[target].kind
        if by_rank and KINDS[b].rank < KINDS[a].rank:  # equal ranks keep the direction found
            source, target, a, b = target, source, b, a
        key = frozenset((source, target))
        if key in self.found and not by_rank:
            return
        self.found.setdefault(
            key, Edge(source, target, EDGE_LABELS.get((a, b), ""), a in FLOW_KINDS and b in FLOW_KINDS)
        )

    def line(self, source: str, target: str, label: str) -> None:
        """A link without direction, so it does not pull the target tier ahead of the source one."""
        if source in self.nodes and target in self.nodes:
            self.found.setdefault(frozenset((source, target)), Edge(source, target, label, arrow=False))

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


def reference_edges(
    resources: dict[str, Resource], kinds: dict[str, str | None], owners: dict[str, str], edges: Edges
) -> None:
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
            for second in ends[i + 1 :]:
                edges.add(first, second, by_rank=True)


def security_group_edges(resources: dict[str, Resource], owners: dict[str, str], edges: Edges) -> None:
    groups: dict[str, list[str]] = {}
    for resource in resources.values():
        if resource.address in owners and resources[resource.address].type != "aws_subnet":
            for ref in resource.refs:
                if ref.address.startswith("aws_security_group."):
                    groups.setdefault(ref.address, []).append(owners[resource.address])
    for rule in (r for r in resources.values() if r.type in SG_RULE_TYPES):
        if rule.values.get("type", "ingress") != "ingress":
            continue
        target = rule.ref_in("security_group_id")
        source = rule.ref_in("referenced_security_group_id") or rule.ref_in("source_security_group_id")
        for src in sorted(set(groups.get(source or "", []))):
            for dst in sorted(set(groups.get(target or "", []))):
                edges.add(src, dst, by_rank=True)


def secret_nodes(resources: dict[str, Resource], owners: dict[str, str], nodes: dict[str, Node], edges: Edges) -> None:
    """RDS-managed master passwords and secrets referenced by literal ARN: secrets without a resource."""
    for resource in sorted(resources.values(), key=lambda r: r.address):
        if (
            resource.type in ("aws_db_instance", "aws_rds_cluster")
            and resource.values.get("manage_master_user_password") is True
        ):
            key = f"secret__{node_id(resource.address)}"
            nodes[key] = Node(key, "secret", ("Secret (managed by RDS)", "master credentials"), "regional")
            edges.add(owners[resource.address], key)
    for resource in sorted(resources.values(), key=lambda r: r.address):
        for arn in resource.secret_arns:
            key = f"secret__{node_id(arn.rsplit(':', 1)[-1])}"
            nodes.setdefault(key, Node(key, "secret", ("Secret (external)", arn.rsplit(":", 1)[-1]), "regional"))
    _secret_users(resources, owners, edges)


def _secret_users(resources: dict[str, Resource], owners: dict[str, str], edges: Edges) -> None:
    """Who reads a secret: the node owning the task definition or policy that names it."""
    users: dict[str, set[str]] = {}
    for resource in resources.values():
        targets = {
            f"secret__{node_id(ref.address)}" for ref in resource.refs if ref.attribute.startswith("master_user_secret")
        }
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


def network_edges(resources: dict[str, Resource], owners: dict[str, str], nodes: dict[str, Node], edges: Edges) -> None:
    """Internet in front of public load balancers (or their WAF); private subnets out through NAT."""
    public = [
        n
        for n in nodes.values()
        if n.kind == "alb" and not any(resources[a].values.get("internal") is True for a in n.addresses)
    ]
    nats = [n for n in nodes.values() if n.kind == "nat"]
    apis = [n for n in nodes.values() if n.kind == "api"]  # an API Gateway endpoint is public by default
    if not (public or apis or nats or any(r.type == "aws_internet_gateway" for r in resources.values())):
        return
    nodes[INTERNET] = Node(INTERNET, "internet", ("Internet",), "outside")
    for alb in public:
        shields = [e.source for e in edges.found.values() if e.target == alb.id and nodes[e.source].kind in ("waf",)]
        for front in shields or [alb.id]:
            edges.add(INTERNET, front)
    for api in apis:
        edges.add(INTERNET, api.id)
    for nat in nats:
        edges.add(nat.id, INTERNET)
    tables: dict[str, list[str]] = {}
    for route in (r for r in resources.values() if r.type == "aws_route"):
        gateway, table = route.ref_in("nat_gateway_id"), route.ref_in("route_table_id")
        if gateway in owners and table:
            tables.setdefault(table, []).append(owners[gateway])
    for association in (r for r in resources.values() if r.type == "aws_route_table_association"):
        subnet, table = association.ref_in("subnet_id"), association.ref_in("route_table_id")
        for target in tables.get(table or "", []):
            if subnet in owners:
                edges.line(target, owners[subnet], "route")
