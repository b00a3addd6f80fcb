"""Resource types with no charge of their own (a VPC, a route, a role): the cost report lists no
line for them, on purpose, and never calls them unpriced."""

from __future__ import annotations

FREE: frozenset[str] = frozenset({
    "aws_vpc", "aws_subnet", "aws_route_table", "aws_route", "aws_route_table_association",
    "aws_internet_gateway", "aws_egress_only_internet_gateway", "aws_security_group",
    "aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule",
    "aws_network_acl", "aws_network_acl_rule", "aws_default_security_group", "aws_default_route_table",
    "aws_default_network_acl", "aws_iam_role", "aws_iam_role_policy", "aws_iam_role_policy_attachment",
    "aws_iam_policy", "aws_iam_openid_connect_provider", "aws_iam_instance_profile", "aws_db_subnet_group",
    "aws_db_parameter_group", "aws_rds_cluster_parameter_group", "aws_db_proxy_default_target_group",
    "aws_db_proxy_target", "aws_lb_listener", "aws_lb_listener_rule", "aws_lb_target_group",
    "aws_lb_target_group_attachment", "aws_ecs_task_definition", "aws_ecs_cluster_capacity_providers",
    "aws_appautoscaling_target", "aws_appautoscaling_policy", "aws_appautoscaling_scheduled_action",
    "aws_codedeploy_app", "aws_codedeploy_deployment_group", "aws_ecr_lifecycle_policy", "aws_ecr_repository_policy",
    "aws_kms_alias", "aws_secretsmanager_secret_version", "aws_secretsmanager_secret_policy", "aws_s3_bucket_policy",
    "aws_s3_bucket_versioning", "aws_s3_bucket_public_access_block", "aws_s3_bucket_server_side_encryption_configuration",
    "aws_s3_bucket_lifecycle_configuration", "aws_s3_bucket_ownership_controls", "aws_s3_bucket_logging",
    "aws_cloudwatch_log_metric_filter", "aws_cloudwatch_log_resource_policy", "aws_sns_topic",
    "aws_sns_topic_subscription", "aws_sns_topic_policy", "aws_wafv2_web_acl_association", "aws_wafv2_ip_set",
    "aws_wafv2_web_acl_logging_configuration", "aws_wafv2_rule_group", "aws_acm_certificate",
    "aws_acm_certificate_validation", "aws_cloudwatch_event_rule", "aws_cloudwatch_event_target",
    "aws_chatbot_slack_channel_configuration", "aws_route53_record", "terraform_data", "null_resource",
})
