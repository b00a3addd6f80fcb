"""Per-service facts about AWS resource types: the engine's default for every type of a service.

A type belongs to the service whose prefix is the longest match ("aws_sqs_queue_policy" ->
"aws_sqs_"). A service says which of its types are drawn as a diagram node of which kind (the
others are details of the node they reference, or that references them) and which of its types
are stateful (deleting them loses data or an identity others depend on). Types that match no
prefix have no decision: the completeness test (tests/test_type_facts.py) names them.

Cost is decided per type in generator/review/cost/rules.py (RULES or FREE) or here (USAGE_PRICED).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Service:
    """What the engine knows about the types of one service (one type prefix)."""

    nodes: dict[str, str]  # type -> diagram kind (a generator.facts.kinds.KINDS key); others: details
    stateful: frozenset[str] = frozenset()  # types whose deletion loses data or an identity


def _service(nodes: dict[str, str] | None = None, stateful: tuple[str, ...] = ()) -> Service:
    return Service(dict(nodes or {}), frozenset(stateful))


# Type prefix -> service facts. A prefix ends with "_" for a service ("aws_sqs_") or is a whole
# type family name without it ("aws_security_group" covers its rules too).
SERVICES: dict[str, Service] = {
    # Networking: containers, routes and rules are details.
    "aws_vpc": _service({"aws_vpc_endpoint": "endpoint"}),
    "aws_subnet": _service(),
    "aws_route": _service(),
    "aws_internet_gateway": _service(),
    "aws_egress_only_internet_gateway": _service(),
    "aws_nat_gateway": _service({"aws_nat_gateway": "nat"}),
    "aws_eip": _service(),
    "aws_network_acl": _service(),
    "aws_security_group": _service(),
    "aws_default_": _service(),
    "aws_flow_log": _service(),
    "aws_ec2_": _service(),
    "aws_networkfirewall_": _service(),
    # Edge and DNS.
    "aws_cloudfront_": _service({"aws_cloudfront_distribution": "cdn"}),
    "aws_wafv2_": _service({"aws_wafv2_web_acl": "waf"}),
    "aws_waf_": _service({"aws_waf_web_acl": "waf"}),
    "aws_route53_": _service(stateful=("aws_route53_zone",)),
    "aws_acm_": _service(stateful=("aws_acm_certificate",)),
    "aws_shield_": _service(),
    # Load balancing and compute.
    "aws_lb": _service({"aws_lb": "alb"}),
    "aws_alb": _service({"aws_alb": "alb"}),
    "aws_ecs_": _service({"aws_ecs_service": "service"}),
    "aws_lambda_": _service({"aws_lambda_function": "function"}),
    "aws_appautoscaling_": _service(),
    "aws_autoscaling_": _service(),
    "aws_launch_template": _service(),
    "aws_instance": _service(),
    "aws_apigatewayv2_": _service(),
    "aws_api_gateway_": _service(),
    "aws_batch_": _service(),
    "aws_sfn_": _service(),
    # Data: databases, caches, storage, queues and streams.
    "aws_db_": _service(
        {"aws_db_instance": "database", "aws_db_proxy": "proxy"},
        ("aws_db_instance", "aws_db_snapshot", "aws_db_cluster_snapshot"),
    ),
    "aws_rds_": _service(
        {"aws_rds_cluster": "database"}, ("aws_rds_cluster", "aws_rds_cluster_instance", "aws_rds_global_cluster")
    ),
    "aws_docdb_": _service(stateful=("aws_docdb_cluster",)),
    "aws_neptune_": _service(stateful=("aws_neptune_cluster",)),
    "aws_redshift_": _service(stateful=("aws_redshift_cluster",)),
    "aws_dynamodb_": _service(stateful=("aws_dynamodb_table", "aws_dynamodb_global_table")),
    "aws_elasticache_": _service(
        {
            "aws_elasticache_replication_group": "cache",
            "aws_elasticache_cluster": "cache",
            "aws_elasticache_serverless_cache": "cache",
        },
        ("aws_elasticache_cluster", "aws_elasticache_replication_group", "aws_elasticache_serverless_cache"),
    ),
    "aws_memorydb_": _service(stateful=("aws_memorydb_cluster",)),
    "aws_opensearch_": _service(stateful=("aws_opensearch_domain",)),
    "aws_elasticsearch_": _service(stateful=("aws_elasticsearch_domain",)),
    "aws_s3_": _service({"aws_s3_bucket": "bucket"}, ("aws_s3_bucket", "aws_s3_object")),
    "aws_efs_": _service(stateful=("aws_efs_file_system",)),
    "aws_fsx_": _service(stateful=("aws_fsx_lustre_file_system",)),
    "aws_ebs_": _service(stateful=("aws_ebs_volume", "aws_ebs_snapshot")),
    "aws_backup_": _service(stateful=("aws_backup_vault",)),
    "aws_glacier_": _service(stateful=("aws_glacier_vault",)),
    "aws_sqs_": _service({"aws_sqs_queue": "queue"}, ("aws_sqs_queue",)),
    "aws_sns_": _service({"aws_sns_topic": "topic"}),
    "aws_kinesis_": _service(stateful=("aws_kinesis_stream",)),
    "aws_msk_": _service(stateful=("aws_msk_cluster",)),
    "aws_ecr_": _service({"aws_ecr_repository": "ecr"}, ("aws_ecr_repository",)),
    # Secrets, keys, identity.
    "aws_secretsmanager_": _service(
        {"aws_secretsmanager_secret": "secret"}, ("aws_secretsmanager_secret", "aws_secretsmanager_secret_version")
    ),
    "aws_ssm_": _service(stateful=("aws_ssm_parameter",)),
    "aws_kms_": _service(stateful=("aws_kms_key",)),
    "aws_iam_": _service({"aws_iam_openid_connect_provider": "oidc"}),
    "aws_cognito_": _service(stateful=("aws_cognito_user_pool",)),
    # Monitoring, events, CI/CD.
    "aws_cloudwatch_": _service(
        {
            "aws_cloudwatch_metric_alarm": "alarm",
            "aws_cloudwatch_composite_alarm": "alarm",
            "aws_cloudwatch_dashboard": "dashboard",
        },
        ("aws_cloudwatch_log_group",),
    ),
    "aws_scheduler_": _service(),
    "aws_chatbot_": _service(),
    "aws_codedeploy_": _service({"aws_codedeploy_deployment_group": "codedeploy"}),
    "aws_service_discovery_": _service(),
    # Not AWS resources, but they appear in roots.
    "terraform_data": _service(),
    "null_resource": _service(),
    "random_": _service(),
    "time_": _service(),
}

# Types with no charge of their own that a price table could hold: billed per request or per GB
# moved, which usage.toml does not model. The cost report lists no line for them, on purpose.
# (Not DynamoDB tables or S3 objects: provisioned capacity and storage are monthly charges.)
USAGE_PRICED: frozenset[str] = frozenset(
    {
        "aws_lambda_function",
        "aws_lambda_permission",
        "aws_apigatewayv2_api",
        "aws_apigatewayv2_stage",
        "aws_api_gateway_rest_api",
        "aws_sfn_state_machine",
        "aws_scheduler_schedule",
        "aws_kinesis_firehose_delivery_stream",
        "aws_cloudwatch_event_bus",
    }
)


def service_of(type_: str) -> tuple[str, Service] | None:
    """The longest matching prefix and its service, or None."""
    found = [prefix for prefix in SERVICES if type_.startswith(prefix)]
    if not found:
        return None
    prefix = max(found, key=len)
    return prefix, SERVICES[prefix]
