"""The web part of one service of `services=`: target group, listener rule, ingress from the ALB.

Created inside the Service construct (its scope), so the resources stay in the service's file.
"""

from __future__ import annotations

from typing import Any

from generator.cdk import (
    Construct,
    LbListenerRule,
    LbTargetGroup,
    LbTargetGroupHealthCheck,
    VpcSecurityGroupIngressRule,
    tracked,
)
from modules.service_wiring import ServiceWiring
from modules.services import ServiceInputs


def web_entry(
    scope: Construct,
    inputs: ServiceInputs,
    wiring: ServiceWiring,
    *,
    full_name: str,
    security_group_id: str,
    priority: int,
) -> tuple[LbTargetGroup, LbListenerRule]:
    """A web service's target group, its listener rule on the env's ALB, and the ALB's way in."""
    key = inputs.key
    assert wiring.listener_arn is not None and wiring.alb_security_group_id is not None
    group = tracked(
        LbTargetGroup(
            scope,
            "target_group",
            name=full_name[:32],
            port=inputs.container_port,
            protocol="HTTP",
            target_type="ip",
            vpc_id=wiring.vpc_id,
            deregistration_delay="30",
            health_check=LbTargetGroupHealthCheck(
                enabled=True,
                path=inputs.target_health_path,
                matcher="200-399",
                interval=15,
                timeout=5,
                healthy_threshold=2,
                unhealthy_threshold=3,
            ),
            tags={"Name": full_name, **inputs.tags},
        ),
        key,
    )
    conditions: list[dict[str, Any]] = []
    if inputs.hosts:
        conditions.append({"host_header": {"values": list(inputs.hosts)}})
    if inputs.paths:
        conditions.append({"path_pattern": {"values": list(inputs.paths)}})
    rule = tracked(
        LbListenerRule(
            scope,
            "rule",
            listener_arn=wiring.listener_arn,
            priority=priority,
            action=[],
            condition=[],
            tags={"Name": full_name, **inputs.tags},
        ),
        key,
    )
    # Nested blocks written with Terraform's own keys (the bindings drop some keys of nested dicts).
    rule.add_override("action", [{"type": "forward", "target_group_arn": group.arn}])
    rule.add_override("condition", conditions)
    tracked(
        VpcSecurityGroupIngressRule(
            scope,
            "from_alb",
            security_group_id=security_group_id,
            description="Container port from the ALB only",
            ip_protocol="tcp",
            from_port=inputs.container_port,
            to_port=inputs.container_port,
            referenced_security_group_id=wiring.alb_security_group_id,
        ),
        f"{key}_from_alb",
    )
    return group, rule
