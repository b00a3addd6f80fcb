"""Diagram model -> PNG with AWS icons, through the `diagrams` library and graphviz's `dot`.

Only `python main.py diagram ENV --png FILE` imports this (lazily): the library is an optional
extra (`pip install -e '.[diagram]'`) and graphviz a system package, needed by this command only.
"""

from __future__ import annotations

import importlib
import os
import shutil
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from generator.diagram.build import INTERNET, Diagram, Node
from generator.diagram.mermaid import tier_id, zones_title
from generator.errors import HclgenError, UsageError

# Node kind -> (diagrams module, class) of its icon.
ICONS: dict[str, tuple[str, str]] = {
    "internet": ("diagrams.onprem.network", "Internet"),
    "cdn": ("diagrams.aws.network", "CloudFront"),
    "api": ("diagrams.aws.network", "APIGateway"),
    "schedule": ("diagrams.aws.integration", "Eventbridge"),
    "waf": ("diagrams.aws.security", "WAF"),
    "alb": ("diagrams.aws.network", "ElbApplicationLoadBalancer"),
    "codedeploy": ("diagrams.aws.devtools", "Codedeploy"),
    "service": ("diagrams.aws.compute", "Fargate"),
    "function": ("diagrams.aws.compute", "Lambda"),
    "proxy": ("diagrams.aws.database", "RDS"),
    "database": ("diagrams.aws.database", "RDSPostgresqlInstance"),
    "cache": ("diagrams.aws.database", "ElastiCache"),
    "nat": ("diagrams.aws.network", "NATGateway"),
    "endpoint": ("diagrams.aws.network", "Endpoint"),
    "ecr": ("diagrams.aws.compute", "ECR"),
    "secret": ("diagrams.aws.security", "SecretsManager"),
    "bucket": ("diagrams.aws.storage", "S3"),
    "queue": ("diagrams.aws.integration", "SQS"),
    "alarm": ("diagrams.aws.management", "CloudwatchAlarm"),
    "dashboard": ("diagrams.aws.management", "Cloudwatch"),
    "topic": ("diagrams.aws.integration", "SNS"),
    "oidc": ("diagrams.onprem.ci", "GithubActions"),
    "ci_role": ("diagrams.aws.security", "IAMRole"),
    "public": ("diagrams.aws.network", "PublicSubnet"),
    "subnet": ("diagrams.aws.network", "PrivateSubnet"),
}
_AURORA = ("diagrams.aws.database", "Aurora")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def require_library() -> Any:
    try:
        return importlib.import_module("diagrams")
    except ImportError:
        raise UsageError("diagram --png needs the `diagrams` library: pip install -e '.[diagram]'") from None


def check_graphviz() -> None:
    if shutil.which("dot") is None:
        raise UsageError(
            "diagram --png needs graphviz's `dot` on PATH (Debian/Ubuntu: apt-get install graphviz; "
            "macOS: brew install graphviz)"
        )


def _icon(node: Node) -> Any:
    if node.kind == "database" and any(a.startswith("aws_rds_cluster.") for a in node.addresses):
        module, name = _AURORA
    else:
        module, name = ICONS.get(node.kind, ICONS["subnet"])
    return getattr(importlib.import_module(module), name)


def render_png(diagram: Diagram, target: Path) -> Path:
    """Write the PNG; returns its path. Raises UsageError when the library or graphviz is missing."""
    library = require_library()
    check_graphviz()
    cluster = importlib.import_module("diagrams").Cluster
    made: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="hclgen-diagram-") as scratch:
        stem = Path(scratch) / "diagram"
        attrs = {"fontsize": "22", "pad": "0.4", "nodesep": "0.7", "ranksep": "1.1", "splines": "spline"}
        with library.Diagram(
            f"{diagram.env} architecture",
            filename=str(stem),
            outformat="png",
            show=False,
            direction="LR",
            graph_attr=attrs,
        ):
            _draw(diagram, cluster, made)
            _connect(diagram, library.Edge, made)
        _move_into_place(stem.with_suffix(".png"), target)
    return target


def _move_into_place(picture: Path, target: Path) -> None:
    """Copy beside the target, then rename: a full disk or a kill never leaves half a PNG."""
    staged = target.with_name(f".{target.name}.hclgen-tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(picture, staged)
        os.replace(staged, target)
    except OSError as err:
        if staged.is_file():
            staged.unlink()
        raise HclgenError(f"could not write {target}: {err.strerror or err}") from None


def _draw(diagram: Diagram, cluster: Any, made: dict[str, Any]) -> None:
    by_place: dict[str, list[Node]] = {}
    for node in diagram.nodes:
        if node.kind != "subnet":
            by_place.setdefault(node.place, []).append(node)
    for node in by_place.get("outside", []):
        made[node.id] = _make(node)
    for key, title in diagram.groups:
        with cluster(title):
            for node in by_place.get(key, []):
                made[node.id] = _make(node)
    if not diagram.vpc:
        return
    with ExitStack() as stack:
        stack.enter_context(cluster(" · ".join(diagram.vpc)))
        for tier in diagram.tiers:
            zones = zones_title(diagram, tier)
            with cluster(f"{tier} subnets"):
                if zones:
                    icon = _icon(Node("", "public" if tier == "public" else "subnet", (), ""))
                    made[tier_id(tier)] = icon(f"{tier} subnets\n{zones}")
                for node in by_place.get(f"tier:{tier}", []):
                    made[node.id] = _make(node)
        for node in by_place.get("vpc", []):
            made[node.id] = _make(node)


def _make(node: Node) -> Any:
    return _icon(node)("\n".join(node.label))


def _connect(diagram: Diagram, edge: Any, made: dict[str, Any]) -> None:
    places = {n.id: n.place for n in diagram.nodes}
    done: set[tuple[str, str]] = set()
    for item in diagram.edges:
        ends = [tier_id(places[e][5:]) if e.startswith("aws_subnet_") else e for e in (item.source, item.target)]
        if (ends[0], ends[1]) in done or ends[0] not in made or ends[1] not in made:
            continue
        done.add((ends[0], ends[1]))
        style = {"style": "solid", "color": "#232f3e"} if item.flow else {"style": "dashed", "color": "#7d8998"}
        if not item.arrow:  # subnet routed through a NAT gateway: drawn subnet -> NAT, the way packets go
            ends.reverse()
        if ends[1] == INTERNET or ends[0].startswith("tier_"):
            style["constraint"] = "false"  # egress must not pull the internet to the right of the VPC
        made[ends[0]] >> edge(label=item.label, **style) >> made[ends[1]]
