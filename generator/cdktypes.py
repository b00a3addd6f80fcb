"""The cdktf and AWS provider classes the modules use, for type checkers only: generator.cdk hands
out each name (and any other class of the provider, resolved by name on first use) as a lazy
stand-in. Nothing here runs: it is read as text for cdk.py's table and by mypy; the engine's real
package names come from cdk.ENGINES. A class missing here still works (typed as Any)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cdktf import (
        App,
        Fn,
        ITerraformDependable,
        S3Backend,
        TerraformDataSource,
        TerraformElement,
        TerraformOutput,
        TerraformResource,
        TerraformResourceLifecycle,
        TerraformStack,
        Token,
    )

    # Production layer: alarms, dashboard, WAF, HTTPS, logs (nested blocks are passed as dicts).
    from cdktf_cdktf_provider_aws.acm_certificate import AcmCertificate
    from cdktf_cdktf_provider_aws.acm_certificate_validation import AcmCertificateValidation

    # Queues, uploads, cache, API front and VPC endpoints (issue 23; nested blocks are passed as dicts).
    from cdktf_cdktf_provider_aws.apigatewayv2_api import Apigatewayv2Api
    from cdktf_cdktf_provider_aws.apigatewayv2_api_mapping import Apigatewayv2ApiMapping
    from cdktf_cdktf_provider_aws.apigatewayv2_domain_name import Apigatewayv2DomainName
    from cdktf_cdktf_provider_aws.apigatewayv2_integration import Apigatewayv2Integration
    from cdktf_cdktf_provider_aws.apigatewayv2_route import Apigatewayv2Route
    from cdktf_cdktf_provider_aws.apigatewayv2_stage import Apigatewayv2Stage
    from cdktf_cdktf_provider_aws.apigatewayv2_vpc_link import Apigatewayv2VpcLink
    from cdktf_cdktf_provider_aws.appautoscaling_policy import (
        AppautoscalingPolicy,
        AppautoscalingPolicyTargetTrackingScalingPolicyConfiguration,
        AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification,
    )
    from cdktf_cdktf_provider_aws.appautoscaling_scheduled_action import (
        AppautoscalingScheduledAction,
        AppautoscalingScheduledActionScalableTargetAction,
    )
    from cdktf_cdktf_provider_aws.appautoscaling_target import AppautoscalingTarget
    from cdktf_cdktf_provider_aws.chatbot_slack_channel_configuration import ChatbotSlackChannelConfiguration
    from cdktf_cdktf_provider_aws.cloudwatch_dashboard import CloudwatchDashboard
    from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
    from cdktf_cdktf_provider_aws.cloudwatch_metric_alarm import CloudwatchMetricAlarm
    from cdktf_cdktf_provider_aws.codedeploy_app import CodedeployApp
    from cdktf_cdktf_provider_aws.codedeploy_deployment_group import CodedeployDeploymentGroup
    from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity
    from cdktf_cdktf_provider_aws.data_aws_elb_service_account import DataAwsElbServiceAccount
    from cdktf_cdktf_provider_aws.data_aws_iam_openid_connect_provider import DataAwsIamOpenidConnectProvider
    from cdktf_cdktf_provider_aws.data_aws_route53_zone import DataAwsRoute53Zone
    from cdktf_cdktf_provider_aws.db_instance import DbInstance
    from cdktf_cdktf_provider_aws.db_parameter_group import DbParameterGroup, DbParameterGroupParameter
    from cdktf_cdktf_provider_aws.db_proxy import DbProxy, DbProxyAuth
    from cdktf_cdktf_provider_aws.db_proxy_default_target_group import (
        DbProxyDefaultTargetGroup,
        DbProxyDefaultTargetGroupConnectionPoolConfig,
    )
    from cdktf_cdktf_provider_aws.db_proxy_target import DbProxyTarget
    from cdktf_cdktf_provider_aws.db_subnet_group import DbSubnetGroup
    from cdktf_cdktf_provider_aws.default_security_group import DefaultSecurityGroup
    from cdktf_cdktf_provider_aws.ecr_lifecycle_policy import EcrLifecyclePolicy
    from cdktf_cdktf_provider_aws.ecr_repository import (
        EcrRepository,
        EcrRepositoryEncryptionConfiguration,
        EcrRepositoryImageScanningConfiguration,
    )
    from cdktf_cdktf_provider_aws.ecs_cluster import EcsCluster, EcsClusterSetting
    from cdktf_cdktf_provider_aws.ecs_service import (
        EcsService,
        EcsServiceDeploymentCircuitBreaker,
        EcsServiceDeploymentController,
        EcsServiceLoadBalancer,
        EcsServiceNetworkConfiguration,
    )
    from cdktf_cdktf_provider_aws.ecs_task_definition import EcsTaskDefinition, EcsTaskDefinitionRuntimePlatform
    from cdktf_cdktf_provider_aws.eip import Eip
    from cdktf_cdktf_provider_aws.elasticache_replication_group import ElasticacheReplicationGroup
    from cdktf_cdktf_provider_aws.elasticache_subnet_group import ElasticacheSubnetGroup
    from cdktf_cdktf_provider_aws.elasticache_user import ElasticacheUser
    from cdktf_cdktf_provider_aws.elasticache_user_group import ElasticacheUserGroup
    from cdktf_cdktf_provider_aws.flow_log import FlowLog
    from cdktf_cdktf_provider_aws.iam_openid_connect_provider import IamOpenidConnectProvider
    from cdktf_cdktf_provider_aws.iam_role import IamRole
    from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
    from cdktf_cdktf_provider_aws.iam_role_policy_attachment import IamRolePolicyAttachment
    from cdktf_cdktf_provider_aws.internet_gateway import InternetGateway
    from cdktf_cdktf_provider_aws.kms_alias import KmsAlias
    from cdktf_cdktf_provider_aws.kms_key import KmsKey
    from cdktf_cdktf_provider_aws.lb import Lb, LbAccessLogs
    from cdktf_cdktf_provider_aws.lb_listener import (
        LbListener,
        LbListenerDefaultAction,
        LbListenerDefaultActionRedirect,
    )
    from cdktf_cdktf_provider_aws.lb_target_group import LbTargetGroup, LbTargetGroupHealthCheck
    from cdktf_cdktf_provider_aws.nat_gateway import NatGateway
    from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderDefaultTags
    from cdktf_cdktf_provider_aws.rds_cluster import RdsCluster
    from cdktf_cdktf_provider_aws.rds_cluster_instance import RdsClusterInstance
    from cdktf_cdktf_provider_aws.rds_cluster_parameter_group import (
        RdsClusterParameterGroup,
        RdsClusterParameterGroupParameter,
    )
    from cdktf_cdktf_provider_aws.route import Route
    from cdktf_cdktf_provider_aws.route53_record import Route53Record
    from cdktf_cdktf_provider_aws.route_table import RouteTable
    from cdktf_cdktf_provider_aws.route_table_association import RouteTableAssociation
    from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
    from cdktf_cdktf_provider_aws.s3_bucket_cors_configuration import S3BucketCorsConfiguration
    from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import S3BucketLifecycleConfiguration
    from cdktf_cdktf_provider_aws.s3_bucket_notification import S3BucketNotification
    from cdktf_cdktf_provider_aws.s3_bucket_ownership_controls import S3BucketOwnershipControls
    from cdktf_cdktf_provider_aws.s3_bucket_policy import S3BucketPolicy
    from cdktf_cdktf_provider_aws.s3_bucket_public_access_block import S3BucketPublicAccessBlock
    from cdktf_cdktf_provider_aws.s3_bucket_server_side_encryption_configuration import (
        S3BucketServerSideEncryptionConfigurationA,
        S3BucketServerSideEncryptionConfigurationRuleA,
    )
    from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioningA
    from cdktf_cdktf_provider_aws.security_group import SecurityGroup
    from cdktf_cdktf_provider_aws.sns_topic import SnsTopic
    from cdktf_cdktf_provider_aws.sns_topic_subscription import SnsTopicSubscription
    from cdktf_cdktf_provider_aws.sqs_queue import SqsQueue
    from cdktf_cdktf_provider_aws.sqs_queue_policy import SqsQueuePolicy
    from cdktf_cdktf_provider_aws.ssm_parameter import SsmParameter
    from cdktf_cdktf_provider_aws.subnet import Subnet
    from cdktf_cdktf_provider_aws.vpc import Vpc
    from cdktf_cdktf_provider_aws.vpc_endpoint import VpcEndpoint
    from cdktf_cdktf_provider_aws.vpc_security_group_egress_rule import VpcSecurityGroupEgressRule
    from cdktf_cdktf_provider_aws.vpc_security_group_ingress_rule import VpcSecurityGroupIngressRule
    from cdktf_cdktf_provider_aws.wafv2_web_acl import Wafv2WebAcl
    from cdktf_cdktf_provider_aws.wafv2_web_acl_association import Wafv2WebAclAssociation
    from cdktf_cdktf_provider_aws.wafv2_web_acl_logging_configuration import Wafv2WebAclLoggingConfiguration
    from constructs import Construct


if TYPE_CHECKING:
    # Services (issue 23): listener rules of web services, Cloud Map names of internal ones,
    # EventBridge-scheduled tasks, log metric filters.
    from cdktf import Op
    from cdktf_cdktf_provider_aws.cloudwatch_event_rule import CloudwatchEventRule
    from cdktf_cdktf_provider_aws.cloudwatch_event_target import CloudwatchEventTarget
    from cdktf_cdktf_provider_aws.cloudwatch_log_metric_filter import CloudwatchLogMetricFilter
    from cdktf_cdktf_provider_aws.ecs_service import EcsServiceServiceRegistries
    from cdktf_cdktf_provider_aws.lb_listener_rule import LbListenerRule
    from cdktf_cdktf_provider_aws.service_discovery_private_dns_namespace import ServiceDiscoveryPrivateDnsNamespace
    from cdktf_cdktf_provider_aws.service_discovery_service import ServiceDiscoveryService

__all__ = [
    "AcmCertificate",
    "AcmCertificateValidation",
    "App",
    "AppautoscalingPolicy",
    "AppautoscalingPolicyTargetTrackingScalingPolicyConfiguration",
    "AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification",
    "AppautoscalingScheduledAction",
    "AppautoscalingScheduledActionScalableTargetAction",
    "AppautoscalingTarget",
    "AwsProvider",
    "AwsProviderDefaultTags",
    "ChatbotSlackChannelConfiguration",
    "CloudwatchDashboard",
    "CloudwatchLogGroup",
    "CloudwatchMetricAlarm",
    "CodedeployApp",
    "CodedeployDeploymentGroup",
    "Construct",
    "DataAwsCallerIdentity",
    "DataAwsElbServiceAccount",
    "DataAwsIamOpenidConnectProvider",
    "DataAwsRoute53Zone",
    "DbInstance",
    "DbParameterGroup",
    "DbParameterGroupParameter",
    "DbProxy",
    "DbProxyAuth",
    "DbProxyDefaultTargetGroup",
    "DbProxyDefaultTargetGroupConnectionPoolConfig",
    "DbProxyTarget",
    "DbSubnetGroup",
    "DefaultSecurityGroup",
    "EcrLifecyclePolicy",
    "EcrRepository",
    "EcrRepositoryEncryptionConfiguration",
    "EcrRepositoryImageScanningConfiguration",
    "EcsCluster",
    "EcsClusterSetting",
    "EcsService",
    "EcsServiceDeploymentCircuitBreaker",
    "EcsServiceDeploymentController",
    "EcsServiceLoadBalancer",
    "EcsServiceNetworkConfiguration",
    "EcsTaskDefinition",
    "EcsTaskDefinitionRuntimePlatform",
    "Eip",
    "FlowLog",
    "Fn",
    "ITerraformDependable",
    "IamOpenidConnectProvider",
    "IamRole",
    "IamRolePolicy",
    "IamRolePolicyAttachment",
    "InternetGateway",
    "KmsAlias",
    "KmsKey",
    "Lb",
    "LbAccessLogs",
    "LbListener",
    "LbListenerDefaultAction",
    "LbListenerDefaultActionRedirect",
    "LbTargetGroup",
    "LbTargetGroupHealthCheck",
    "NatGateway",
    "RdsCluster",
    "RdsClusterInstance",
    "RdsClusterParameterGroup",
    "RdsClusterParameterGroupParameter",
    "Route",
    "Route53Record",
    "RouteTable",
    "RouteTableAssociation",
    "S3Backend",
    "S3Bucket",
    "S3BucketLifecycleConfiguration",
    "S3BucketOwnershipControls",
    "S3BucketPolicy",
    "S3BucketPublicAccessBlock",
    "S3BucketServerSideEncryptionConfigurationA",
    "S3BucketServerSideEncryptionConfigurationRuleA",
    "S3BucketVersioningA",
    "SecurityGroup",
    "SnsTopic",
    "SnsTopicSubscription",
    "SsmParameter",
    "Subnet",
    "TerraformDataSource",
    "TerraformElement",
    "TerraformOutput",
    "TerraformResource",
    "TerraformResourceLifecycle",
    "TerraformStack",
    "Token",
    "Vpc",
    "VpcEndpoint",
    "VpcSecurityGroupEgressRule",
    "VpcSecurityGroupIngressRule",
    "Wafv2WebAcl",
    "Wafv2WebAclAssociation",
    "Wafv2WebAclLoggingConfiguration",
    "Apigatewayv2Api",
    "Apigatewayv2ApiMapping",
    "Apigatewayv2DomainName",
    "Apigatewayv2Integration",
    "Apigatewayv2Route",
    "Apigatewayv2Stage",
    "Apigatewayv2VpcLink",
    "ElasticacheReplicationGroup",
    "ElasticacheSubnetGroup",
    "ElasticacheUser",
    "ElasticacheUserGroup",
    "S3BucketCorsConfiguration",
    "S3BucketNotification",
    "SqsQueue",
    "SqsQueuePolicy",
]
__all__ += [
    "CloudwatchEventRule",
    "CloudwatchEventTarget",
    "CloudwatchLogMetricFilter",
    "EcsServiceServiceRegistries",
    "LbListenerRule",
    "Op",
    "ServiceDiscoveryPrivateDnsNamespace",
    "ServiceDiscoveryService",
]
