"""What each resource type is in an architecture sketch: a drawn node, a connector or a detail.

The diagram is derived from types and references only, so a module added later (WAF, alarms,
Aurora, CI roles...) shows up without drawing code of its own: its types just need a row here.

* NODE: drawn as a box (an ALB, a service, a database...).
* CONNECTOR: not drawn, but a reference path through it links two nodes (a target group links
  the ALB and the service; a task definition links the service to its image and database).
* DETAIL: not drawn and not walked through (route tables, parameter groups, log groups...);
  in a plan diagram its change marks the node it belongs to.
Subnets and the VPC are containers: they place nodes, they do not link them.

A module construct may set a class attribute `DIAGRAM_GROUP = "ci"` (a GROUPS key or any title):
its nodes outside the VPC are then drawn in that box instead of their kind's default one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    """How one kind of node is drawn."""

    key: str  # "alb", "service", "database"...
    title: str  # the words a reviewer reads first: "ALB", "ECS service"
    group: str  # where it is drawn: "vpc" (in its subnets' tier), "edge", "regional", "monitoring", "ci"
    rank: int  # left-to-right position in the request flow; orients edges found through junctions
    shape: str = "box"  # box | cylinder | hexagon | stadium | circle
    aggregate: bool = False  # all resources of this kind in a group become one node ("alarms x8")


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind("internet", "Internet", "outside", 0, "circle"),
        Kind("cdn", "CloudFront", "edge", 5),
        Kind("waf", "WAF web ACL", "edge", 10, "hexagon"),
        Kind("api", "API Gateway", "edge", 8),
        Kind("alb", "Load balancer", "vpc", 20),
        Kind("codedeploy", "CodeDeploy", "ci", 15, "stadium"),
        Kind("service", "ECS service", "vpc", 30),
        Kind("function", "Lambda", "vpc", 30),
        Kind("proxy", "RDS Proxy", "vpc", 40),
        Kind("database", "Database", "vpc", 50, "cylinder"),
        Kind("cache", "Cache", "vpc", 50, "cylinder"),
        Kind("nat", "NAT gateway", "vpc", 90, "hexagon", aggregate=True),
        Kind("endpoint", "VPC endpoint", "vpc", 95, "stadium", aggregate=True),
        Kind("ecr", "ECR repository", "regional", 60),
        Kind("secret", "Secret", "regional", 60, "stadium"),
        Kind("bucket", "S3 bucket", "regional", 60, "cylinder"),
        Kind("queue", "SQS queue", "regional", 60),
        Kind("schedule", "EventBridge schedule", "regional", 25, "stadium"),
        Kind("alarm", "CloudWatch alarms", "monitoring", 3, aggregate=True),
        Kind("dashboard", "CloudWatch dashboard", "monitoring", 4),
        Kind("topic", "SNS topic", "monitoring", 80, "stadium"),
        Kind("oidc", "GitHub OIDC provider", "ci", 12, "hexagon"),
        Kind("ci_role", "CI role", "ci", 14),
    )
}

# Resource type -> node kind.
NODE_TYPES: dict[str, str] = {
    "aws_cloudfront_distribution": "cdn",
    "aws_wafv2_web_acl": "waf",
    "aws_waf_web_acl": "waf",
    "aws_lb": "alb",
    "aws_alb": "alb",
    "aws_ecs_service": "service",
    "aws_lambda_function": "function",
    "aws_db_proxy": "proxy",
    "aws_db_instance": "database",
    "aws_rds_cluster": "database",
    "aws_elasticache_replication_group": "cache",
    "aws_elasticache_cluster": "cache",
    "aws_nat_gateway": "nat",
    "aws_vpc_endpoint": "endpoint",
    "aws_ecr_repository": "ecr",
    "aws_secretsmanager_secret": "secret",
    "aws_s3_bucket": "bucket",
    "aws_sqs_queue": "queue",
    "aws_cloudwatch_metric_alarm": "alarm",
    "aws_cloudwatch_composite_alarm": "alarm",
    "aws_cloudwatch_dashboard": "dashboard",
    "aws_sns_topic": "topic",
    "aws_iam_openid_connect_provider": "oidc",
    "aws_codedeploy_deployment_group": "codedeploy",
    "aws_apigatewayv2_api": "api",
    "aws_cloudwatch_event_rule": "schedule",
}

# Walked through when linking nodes. aws_iam_role is a connector unless it is a CI role (OIDC trust).
CONNECTOR_TYPES: frozenset[str] = frozenset(
    {
        "aws_lb_listener",
        "aws_alb_listener",
        "aws_lb_listener_rule",
        "aws_lb_target_group",
        "aws_alb_target_group",
        "aws_lb_target_group_attachment",
        "aws_ecs_task_definition",
        "aws_wafv2_web_acl_association",
        "aws_db_proxy_target",
        "aws_db_proxy_default_target_group",
        "aws_iam_role",
        "aws_iam_role_policy",
        "aws_iam_role_policy_attachment",
        "aws_iam_policy",
        "aws_lambda_permission",
        # API front -> ALB (VPC link) or queue; bucket -> queue (event notifications).
        "aws_apigatewayv2_route",
        "aws_apigatewayv2_integration",
        "aws_apigatewayv2_vpc_link",
        "aws_s3_bucket_notification",
        "aws_cloudwatch_event_target",  # a schedule runs a task definition
    }
)

# Where two nodes that both reach it are linked (the ALB and the service meet at the target group).
JUNCTION_TYPES: frozenset[str] = frozenset({"aws_lb_target_group", "aws_alb_target_group"})

# A reference from the first type to the second is walked the other way: the listener belongs to
# the load balancer, the inline policy to its role, the association to the web ACL.
INVERTED: frozenset[tuple[str, str]] = frozenset(
    {
        ("aws_lb_listener", "aws_lb"),
        ("aws_alb_listener", "aws_alb"),
        ("aws_lb_listener_rule", "aws_lb_listener"),
        ("aws_iam_role_policy", "aws_iam_role"),
        ("aws_iam_role_policy_attachment", "aws_iam_role"),
        ("aws_wafv2_web_acl_association", "aws_wafv2_web_acl"),
        ("aws_db_proxy_target", "aws_db_proxy"),
        ("aws_db_proxy_default_target_group", "aws_db_proxy"),
        ("aws_lb_target_group_attachment", "aws_lb_target_group"),
        ("aws_apigatewayv2_integration", "aws_apigatewayv2_api"),
        ("aws_apigatewayv2_route", "aws_apigatewayv2_api"),
        ("aws_s3_bucket_notification", "aws_s3_bucket"),
        ("aws_cloudwatch_event_target", "aws_cloudwatch_event_rule"),
    }
)

SUBNET_GROUP_TYPES: frozenset[str] = frozenset({"aws_db_subnet_group", "aws_elasticache_subnet_group"})
SG_RULE_TYPES: frozenset[str] = frozenset({"aws_vpc_security_group_ingress_rule", "aws_security_group_rule"})

# The tier of a subnet, from its Tier tag or name; in this order of precedence.
TIER_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("public", ("public", "pub", "dmz")),
    ("database", ("database", "db", "data", "isolated", "intra")),
    ("private", ("private", "app", "priv")),
)
TIER_ORDER = ("public", "private", "database")

# Groups drawn outside the VPC, in drawing order, with their titles.
GROUPS: dict[str, str] = {"edge": "Edge", "regional": "Regional services", "monitoring": "Monitoring", "ci": "CI/CD"}

# (from kind, to kind) -> edge label; pairs not listed get none.
EDGE_LABELS: dict[tuple[str, str], str] = {
    ("internet", "waf"): "HTTPS",
    ("internet", "alb"): "HTTP(S)",
    ("internet", "cdn"): "HTTPS",
    ("service", "ecr"): "pulls image",
    ("service", "secret"): "reads",
    ("function", "secret"): "reads",
    ("database", "secret"): "manages",
    ("alarm", "topic"): "notifies",
    ("ci_role", "oidc"): "trusts",
    ("ci_role", "ecr"): "pushes",
    ("ci_role", "service"): "deploys",
    ("codedeploy", "service"): "blue/green",
    ("codedeploy", "alb"): "shifts traffic",
    ("nat", "internet"): "egress",
    ("internet", "api"): "HTTPS",
    ("api", "alb"): "VPC link",
    ("api", "queue"): "SendMessage",
    ("bucket", "queue"): "object created",
    ("schedule", "ecr"): "runs task",
    ("service", "queue"): "sends / receives",
    ("service", "cache"): "Redis",
}

# Edges drawn solid: the path a request takes. Others are dashed (control plane, monitoring, CI).
FLOW_KINDS: frozenset[str] = frozenset(
    {"internet", "cdn", "waf", "api", "alb", "service", "function", "proxy", "database", "cache"}
)


def ci_trust(assume_role_policy: object) -> bool:
    """A role assumed through a web identity (GitHub's OIDC token) is a CI role, drawn on its own."""
    text = str(assume_role_policy or "")
    return (
        "AssumeRoleWithWebIdentity" in text
        or "token.actions.githubusercontent.com" in text
        or "aws_iam_openid_connect_provider" in text
    )
