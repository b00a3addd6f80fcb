"""The single boundary to cdktf and the AWS provider bindings.

Everything else imports cdktf types from here, so moving to another CDK for Terraform
(e.g. the CDK Terrain fork) is an edit to this file alone.

Speed: `cdktf_cdktf_provider_aws/__init__.py` imports all ~1,500 resource submodules (about
18 s). We register a bare package object first, so importing a submodule loads only that
submodule and the shared jsii assembly (about 4 s in all).
"""

from __future__ import annotations

import importlib.util
import os
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar


def _register_lazy_package(name: str) -> None:
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"{name} is not installed")
    package = types.ModuleType(name)
    package.__path__ = list(spec.submodule_search_locations)
    package.__spec__ = spec
    package.__file__ = spec.origin
    sys.modules[name] = package


# jsii prints a full-screen banner on every run under Node 18/20; README recommends Node 22+.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "18,20")
_register_lazy_package("cdktf_cdktf_provider_aws")

# ruff: noqa: E402  (the lazy package must be registered before these imports)
from cdktf import (  # noqa: E402
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
from cdktf_cdktf_provider_aws.appautoscaling_policy import (  # noqa: E402
    AppautoscalingPolicy,
    AppautoscalingPolicyTargetTrackingScalingPolicyConfiguration,
    AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification,
)
from cdktf_cdktf_provider_aws.appautoscaling_target import AppautoscalingTarget  # noqa: E402
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup  # noqa: E402
from cdktf_cdktf_provider_aws.db_instance import DbInstance  # noqa: E402
from cdktf_cdktf_provider_aws.db_parameter_group import DbParameterGroup, DbParameterGroupParameter  # noqa: E402
from cdktf_cdktf_provider_aws.db_subnet_group import DbSubnetGroup  # noqa: E402
from cdktf_cdktf_provider_aws.ecr_lifecycle_policy import EcrLifecyclePolicy  # noqa: E402
from cdktf_cdktf_provider_aws.ecr_repository import (  # noqa: E402
    EcrRepository,
    EcrRepositoryEncryptionConfiguration,
    EcrRepositoryImageScanningConfiguration,
)
from cdktf_cdktf_provider_aws.ecs_cluster import EcsCluster, EcsClusterSetting  # noqa: E402
from cdktf_cdktf_provider_aws.ecs_service import (  # noqa: E402
    EcsService,
    EcsServiceDeploymentCircuitBreaker,
    EcsServiceLoadBalancer,
    EcsServiceNetworkConfiguration,
)
from cdktf_cdktf_provider_aws.ecs_task_definition import (  # noqa: E402
    EcsTaskDefinition,
    EcsTaskDefinitionRuntimePlatform,
)
from cdktf_cdktf_provider_aws.eip import Eip  # noqa: E402
from cdktf_cdktf_provider_aws.iam_role import IamRole  # noqa: E402
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy  # noqa: E402
from cdktf_cdktf_provider_aws.internet_gateway import InternetGateway  # noqa: E402
from cdktf_cdktf_provider_aws.lb import Lb  # noqa: E402
from cdktf_cdktf_provider_aws.lb_listener import (  # noqa: E402
    LbListener,
    LbListenerDefaultAction,
    LbListenerDefaultActionRedirect,
)
from cdktf_cdktf_provider_aws.lb_target_group import LbTargetGroup, LbTargetGroupHealthCheck  # noqa: E402
from cdktf_cdktf_provider_aws.nat_gateway import NatGateway  # noqa: E402
from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderDefaultTags  # noqa: E402
from cdktf_cdktf_provider_aws.route import Route  # noqa: E402
from cdktf_cdktf_provider_aws.route_table import RouteTable  # noqa: E402
from cdktf_cdktf_provider_aws.route_table_association import RouteTableAssociation  # noqa: E402
from cdktf_cdktf_provider_aws.security_group import SecurityGroup  # noqa: E402
from cdktf_cdktf_provider_aws.subnet import Subnet  # noqa: E402
from cdktf_cdktf_provider_aws.vpc import Vpc  # noqa: E402
from cdktf_cdktf_provider_aws.vpc_endpoint import VpcEndpoint  # noqa: E402
from cdktf_cdktf_provider_aws.vpc_security_group_egress_rule import VpcSecurityGroupEgressRule  # noqa: E402
from cdktf_cdktf_provider_aws.vpc_security_group_ingress_rule import VpcSecurityGroupIngressRule  # noqa: E402
# Production layer: alarms, dashboard, WAF, HTTPS, logs (nested blocks are passed as dicts).
from cdktf_cdktf_provider_aws.acm_certificate import AcmCertificate  # noqa: E402
from cdktf_cdktf_provider_aws.acm_certificate_validation import AcmCertificateValidation  # noqa: E402
from cdktf_cdktf_provider_aws.chatbot_slack_channel_configuration import ChatbotSlackChannelConfiguration  # noqa: E402
from cdktf_cdktf_provider_aws.cloudwatch_dashboard import CloudwatchDashboard  # noqa: E402
from cdktf_cdktf_provider_aws.cloudwatch_metric_alarm import CloudwatchMetricAlarm  # noqa: E402
from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity  # noqa: E402
from cdktf_cdktf_provider_aws.data_aws_elb_service_account import DataAwsElbServiceAccount  # noqa: E402
from cdktf_cdktf_provider_aws.data_aws_route53_zone import DataAwsRoute53Zone  # noqa: E402
from cdktf_cdktf_provider_aws.default_security_group import DefaultSecurityGroup  # noqa: E402
from cdktf_cdktf_provider_aws.flow_log import FlowLog  # noqa: E402
from cdktf_cdktf_provider_aws.iam_role_policy_attachment import IamRolePolicyAttachment  # noqa: E402
from cdktf_cdktf_provider_aws.kms_alias import KmsAlias  # noqa: E402
from cdktf_cdktf_provider_aws.kms_key import KmsKey  # noqa: E402
from cdktf_cdktf_provider_aws.lb import LbAccessLogs  # noqa: E402
from cdktf_cdktf_provider_aws.route53_record import Route53Record  # noqa: E402
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket  # noqa: E402
from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import S3BucketLifecycleConfiguration  # noqa: E402
from cdktf_cdktf_provider_aws.s3_bucket_ownership_controls import S3BucketOwnershipControls  # noqa: E402
from cdktf_cdktf_provider_aws.s3_bucket_policy import S3BucketPolicy  # noqa: E402
from cdktf_cdktf_provider_aws.s3_bucket_public_access_block import S3BucketPublicAccessBlock  # noqa: E402
from cdktf_cdktf_provider_aws.s3_bucket_server_side_encryption_configuration import (  # noqa: E402
    S3BucketServerSideEncryptionConfigurationA,
    S3BucketServerSideEncryptionConfigurationRuleA,
)
from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioningA  # noqa: E402
from cdktf_cdktf_provider_aws.sns_topic import SnsTopic  # noqa: E402
from cdktf_cdktf_provider_aws.sns_topic_subscription import SnsTopicSubscription  # noqa: E402
from cdktf_cdktf_provider_aws.wafv2_web_acl import Wafv2WebAcl  # noqa: E402
from cdktf_cdktf_provider_aws.wafv2_web_acl_association import Wafv2WebAclAssociation  # noqa: E402
from cdktf_cdktf_provider_aws.wafv2_web_acl_logging_configuration import Wafv2WebAclLoggingConfiguration  # noqa: E402
from cdktf_cdktf_provider_aws.appautoscaling_scheduled_action import (  # noqa: E402
    AppautoscalingScheduledAction,
    AppautoscalingScheduledActionScalableTargetAction,
)
from cdktf_cdktf_provider_aws.codedeploy_app import CodedeployApp  # noqa: E402
from cdktf_cdktf_provider_aws.codedeploy_deployment_group import CodedeployDeploymentGroup  # noqa: E402
from cdktf_cdktf_provider_aws.data_aws_iam_openid_connect_provider import (  # noqa: E402
    DataAwsIamOpenidConnectProvider,
)
from cdktf_cdktf_provider_aws.db_proxy import DbProxy, DbProxyAuth  # noqa: E402
from cdktf_cdktf_provider_aws.db_proxy_default_target_group import (  # noqa: E402
    DbProxyDefaultTargetGroup,
    DbProxyDefaultTargetGroupConnectionPoolConfig,
)
from cdktf_cdktf_provider_aws.db_proxy_target import DbProxyTarget  # noqa: E402
from cdktf_cdktf_provider_aws.ecs_service import EcsServiceDeploymentController  # noqa: E402
from cdktf_cdktf_provider_aws.iam_openid_connect_provider import IamOpenidConnectProvider  # noqa: E402
from cdktf_cdktf_provider_aws.rds_cluster import RdsCluster  # noqa: E402
from cdktf_cdktf_provider_aws.rds_cluster_instance import RdsClusterInstance  # noqa: E402
from cdktf_cdktf_provider_aws.rds_cluster_parameter_group import (  # noqa: E402
    RdsClusterParameterGroup,
    RdsClusterParameterGroupParameter,
)
from cdktf_cdktf_provider_aws.ssm_parameter import SsmParameter  # noqa: E402
from constructs import Construct  # noqa: E402

R = TypeVar("R", bound=TerraformElement)


@dataclass(frozen=True)
class Tracked:
    """One named item and the Python line that made it."""

    item: Any
    name: str
    source: str  # "/abs/path/modules/vpc.py:42"
    moved_from: str | None = None  # the name (or address) this resource had before a refactor


_RECORDING: ContextVar[list[Tracked] | None] = ContextVar("hclgen_tracked", default=None)


@contextmanager
def recording() -> Iterator[list[Tracked]]:
    """Collect what tracked() names while a stack is composed (scoped: no global registry)."""
    log: list[Tracked] = []
    token = _RECORDING.set(log)
    try:
        yield log
    finally:
        _RECORDING.reset(token)


def tracked(item: R, name: str | None = None, *, moved_from: str | None = None) -> R:
    """Give a resource (or output) its Terraform name and record the line that made it.

    The name (default: the construct id) is chosen by the module author, never hashed, so it
    stays put when unrelated code changes. Construct ids must be unique per scope, Terraform
    names per type: pass `name` when two types in one module both want e.g. "this".
    moved_from: the name (or "type.name" address) the resource had before a refactor, for when
    synth cannot tell on its own; synth then writes the `moved` block into moved.tf.
    """
    logical = name or item.node.id
    item.override_logical_id(logical)
    log = _RECORDING.get()
    if log is not None:
        caller = sys._getframe(1)
        log.append(Tracked(item, logical, f"{Path(caller.f_code.co_filename).resolve()}:{caller.f_lineno}",
                           moved_from))
    return item


__all__ = [
    "AcmCertificate", "AcmCertificateValidation", "App", "AppautoscalingPolicy",
    "AppautoscalingPolicyTargetTrackingScalingPolicyConfiguration",
    "AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification",
    "AppautoscalingScheduledAction", "AppautoscalingScheduledActionScalableTargetAction",
    "AppautoscalingTarget", "AwsProvider", "AwsProviderDefaultTags", "ChatbotSlackChannelConfiguration",
    "CloudwatchDashboard", "CloudwatchLogGroup", "CloudwatchMetricAlarm", "CodedeployApp",
    "CodedeployDeploymentGroup", "Construct", "DataAwsCallerIdentity", "DataAwsElbServiceAccount",
    "DataAwsIamOpenidConnectProvider", "DataAwsRoute53Zone", "DbInstance", "DbParameterGroup",
    "DbParameterGroupParameter", "DbProxy", "DbProxyAuth", "DbProxyDefaultTargetGroup",
    "DbProxyDefaultTargetGroupConnectionPoolConfig", "DbProxyTarget", "DbSubnetGroup", "DefaultSecurityGroup",
    "EcrLifecyclePolicy", "EcrRepository", "EcrRepositoryEncryptionConfiguration",
    "EcrRepositoryImageScanningConfiguration", "EcsCluster", "EcsClusterSetting", "EcsService",
    "EcsServiceDeploymentCircuitBreaker", "EcsServiceDeploymentController", "EcsServiceLoadBalancer",
    "EcsServiceNetworkConfiguration", "EcsTaskDefinition", "EcsTaskDefinitionRuntimePlatform", "Eip", "FlowLog",
    "Fn", "ITerraformDependable", "IamOpenidConnectProvider", "IamRole", "IamRolePolicy",
    "IamRolePolicyAttachment", "InternetGateway", "KmsAlias", "KmsKey", "Lb", "LbAccessLogs", "LbListener",
    "LbListenerDefaultAction", "LbListenerDefaultActionRedirect", "LbTargetGroup", "LbTargetGroupHealthCheck",
    "NatGateway", "RdsCluster", "RdsClusterInstance", "RdsClusterParameterGroup",
    "RdsClusterParameterGroupParameter", "Route", "Route53Record", "RouteTable", "RouteTableAssociation",
    "S3Backend", "S3Bucket", "S3BucketLifecycleConfiguration", "S3BucketOwnershipControls", "S3BucketPolicy",
    "S3BucketPublicAccessBlock", "S3BucketServerSideEncryptionConfigurationA",
    "S3BucketServerSideEncryptionConfigurationRuleA", "S3BucketVersioningA", "SecurityGroup", "SnsTopic",
    "SnsTopicSubscription", "SsmParameter", "Subnet", "TerraformDataSource", "TerraformElement",
    "TerraformOutput", "TerraformResource", "TerraformResourceLifecycle", "TerraformStack", "Token", "Tracked",
    "Vpc", "VpcEndpoint", "VpcSecurityGroupEgressRule", "VpcSecurityGroupIngressRule", "Wafv2WebAcl",
    "Wafv2WebAclAssociation", "Wafv2WebAclLoggingConfiguration", "recording", "tracked",
]

