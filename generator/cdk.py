"""The single boundary to cdktf and the AWS provider bindings.

Everything else imports cdktf types from here, so moving to another CDK for Terraform
(e.g. the CDK Terrain fork) is an edit to this file alone.

Speed: the jsii bindings cost seconds to load, and an environment config imports modules/*
only for their input dataclasses. So nothing loads at import time: each name below is a
stand-in (generator.cdkload.Binding) that loads its binding on first real use (a call, an
attribute, isinstance), and a module construct subclassing Construct gets its real jsii base
when first instantiated. `envs`, config errors and whatever only reads configs never start
the jsii runtime. Type checkers see the real classes: the TYPE_CHECKING imports below, which
are also the table the stand-ins are made from. Any other class of the provider or cdktf
(`from generator.cdk import SqsQueue`) resolves by name on first import (module __getattr__
below): a new module never needs an edit here.
`cdktf_cdktf_provider_aws/__init__.py` imports all ~1,500 resource submodules (about 18 s):
a bare package object is registered first, so a submodule loads only itself and the shared
jsii assembly.

Engine: HCLGEN_ENGINE=cdktf (default) or cdktn (CDK Terrain, the maintained fork of the archived
cdktf). ENGINES below is the one edit point: the rest of the code reaches cdktf/cdktn and the
provider bindings only through the names here. cdktn's AWS bindings exist only for provider 6.x
(cdktn-provider-aws 25.x), this project pins and tests provider 5.x, hence the default. cdktn lives
in its own virtualenv (generator/enginevenv.py), never in the project's.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import os
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from generator import enginevenv
from generator.cdkload import Binding, type_checking_imports

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
    from cdktf_cdktf_provider_aws.appautoscaling_policy import (
        AppautoscalingPolicy,
        AppautoscalingPolicyTargetTrackingScalingPolicyConfiguration,
        AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification,
    )
    from cdktf_cdktf_provider_aws.appautoscaling_target import AppautoscalingTarget
    from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
    from cdktf_cdktf_provider_aws.db_instance import DbInstance
    from cdktf_cdktf_provider_aws.db_parameter_group import DbParameterGroup, DbParameterGroupParameter
    from cdktf_cdktf_provider_aws.db_subnet_group import DbSubnetGroup
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
        EcsServiceLoadBalancer,
        EcsServiceNetworkConfiguration,
    )
    from cdktf_cdktf_provider_aws.ecs_task_definition import (
        EcsTaskDefinition,
        EcsTaskDefinitionRuntimePlatform,
    )
    from cdktf_cdktf_provider_aws.eip import Eip
    from cdktf_cdktf_provider_aws.iam_role import IamRole
    from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
    from cdktf_cdktf_provider_aws.internet_gateway import InternetGateway
    from cdktf_cdktf_provider_aws.lb import Lb
    from cdktf_cdktf_provider_aws.lb_listener import (
        LbListener,
        LbListenerDefaultAction,
        LbListenerDefaultActionRedirect,
    )
    from cdktf_cdktf_provider_aws.lb_target_group import LbTargetGroup, LbTargetGroupHealthCheck
    from cdktf_cdktf_provider_aws.nat_gateway import NatGateway
    from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderDefaultTags
    from cdktf_cdktf_provider_aws.route import Route
    from cdktf_cdktf_provider_aws.route_table import RouteTable
    from cdktf_cdktf_provider_aws.route_table_association import RouteTableAssociation
    from cdktf_cdktf_provider_aws.security_group import SecurityGroup
    from cdktf_cdktf_provider_aws.subnet import Subnet
    from cdktf_cdktf_provider_aws.vpc import Vpc
    from cdktf_cdktf_provider_aws.vpc_endpoint import VpcEndpoint
    from cdktf_cdktf_provider_aws.vpc_security_group_egress_rule import VpcSecurityGroupEgressRule
    from cdktf_cdktf_provider_aws.vpc_security_group_ingress_rule import VpcSecurityGroupIngressRule
    # Production layer: alarms, dashboard, WAF, HTTPS, logs (nested blocks are passed as dicts).
    from cdktf_cdktf_provider_aws.acm_certificate import AcmCertificate
    from cdktf_cdktf_provider_aws.acm_certificate_validation import AcmCertificateValidation
    from cdktf_cdktf_provider_aws.chatbot_slack_channel_configuration import ChatbotSlackChannelConfiguration
    from cdktf_cdktf_provider_aws.cloudwatch_dashboard import CloudwatchDashboard
    from cdktf_cdktf_provider_aws.cloudwatch_metric_alarm import CloudwatchMetricAlarm
    from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity
    from cdktf_cdktf_provider_aws.data_aws_elb_service_account import DataAwsElbServiceAccount
    from cdktf_cdktf_provider_aws.data_aws_route53_zone import DataAwsRoute53Zone
    from cdktf_cdktf_provider_aws.default_security_group import DefaultSecurityGroup
    from cdktf_cdktf_provider_aws.flow_log import FlowLog
    from cdktf_cdktf_provider_aws.iam_role_policy_attachment import IamRolePolicyAttachment
    from cdktf_cdktf_provider_aws.kms_alias import KmsAlias
    from cdktf_cdktf_provider_aws.kms_key import KmsKey
    from cdktf_cdktf_provider_aws.lb import LbAccessLogs
    from cdktf_cdktf_provider_aws.route53_record import Route53Record
    from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
    from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import S3BucketLifecycleConfiguration
    from cdktf_cdktf_provider_aws.s3_bucket_ownership_controls import S3BucketOwnershipControls
    from cdktf_cdktf_provider_aws.s3_bucket_policy import S3BucketPolicy
    from cdktf_cdktf_provider_aws.s3_bucket_public_access_block import S3BucketPublicAccessBlock
    from cdktf_cdktf_provider_aws.s3_bucket_server_side_encryption_configuration import (
        S3BucketServerSideEncryptionConfigurationA,
        S3BucketServerSideEncryptionConfigurationRuleA,
    )
    from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioningA
    from cdktf_cdktf_provider_aws.sns_topic import SnsTopic
    from cdktf_cdktf_provider_aws.sns_topic_subscription import SnsTopicSubscription
    from cdktf_cdktf_provider_aws.wafv2_web_acl import Wafv2WebAcl
    from cdktf_cdktf_provider_aws.wafv2_web_acl_association import Wafv2WebAclAssociation
    from cdktf_cdktf_provider_aws.wafv2_web_acl_logging_configuration import Wafv2WebAclLoggingConfiguration
    from cdktf_cdktf_provider_aws.appautoscaling_scheduled_action import (
        AppautoscalingScheduledAction,
        AppautoscalingScheduledActionScalableTargetAction,
    )
    from cdktf_cdktf_provider_aws.codedeploy_app import CodedeployApp
    from cdktf_cdktf_provider_aws.codedeploy_deployment_group import CodedeployDeploymentGroup
    from cdktf_cdktf_provider_aws.data_aws_iam_openid_connect_provider import (
        DataAwsIamOpenidConnectProvider,
    )
    from cdktf_cdktf_provider_aws.db_proxy import DbProxy, DbProxyAuth
    from cdktf_cdktf_provider_aws.db_proxy_default_target_group import (
        DbProxyDefaultTargetGroup,
        DbProxyDefaultTargetGroupConnectionPoolConfig,
    )
    from cdktf_cdktf_provider_aws.db_proxy_target import DbProxyTarget
    from cdktf_cdktf_provider_aws.ecs_service import EcsServiceDeploymentController
    from cdktf_cdktf_provider_aws.iam_openid_connect_provider import IamOpenidConnectProvider
    from cdktf_cdktf_provider_aws.rds_cluster import RdsCluster
    from cdktf_cdktf_provider_aws.rds_cluster_instance import RdsClusterInstance
    from cdktf_cdktf_provider_aws.rds_cluster_parameter_group import (
        RdsClusterParameterGroup,
        RdsClusterParameterGroupParameter,
    )
    from cdktf_cdktf_provider_aws.ssm_parameter import SsmParameter
    from constructs import Construct


ENGINE_VAR = "HCLGEN_ENGINE"
DEFAULT_ENGINE = "cdktf"
# engine -> (core package, AWS provider bindings package, distributions whose versions key the render cache)
ENGINES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "cdktf": ("cdktf", "cdktf_cdktf_provider_aws", ("cdktf", "cdktf-cdktf-provider-aws")),
    "cdktn": ("cdktn", "cdktn_provider_aws", ("cdktn", "cdktn-provider-aws")),
}
ENGINE = enginevenv.chosen(ENGINE_VAR, sorted(ENGINES), DEFAULT_ENGINE)
CORE_PACKAGE, PROVIDER_PACKAGE, ENGINE_DISTRIBUTIONS = ENGINES[ENGINE]
# The TYPE_CHECKING table names cdktf's modules; the selected engine's modules hold the same classes.
_RENAMES = {"cdktf_cdktf_provider_aws": PROVIDER_PACKAGE, "cdktf": CORE_PACKAGE}


def engine_on_path() -> None:
    """cdktn comes from its own virtualenv unless it is importable already (e.g. installed as an extra)."""
    if ENGINE != DEFAULT_ENGINE:
        enginevenv.put_on_path(CORE_PACKAGE, f"{ENGINE_VAR}={ENGINE}")


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


def _load(module: str, name: str) -> Any:
    """The real class behind a stand-in (the first call starts the jsii runtime)."""
    if module not in sys.modules:
        # jsii prints a full-screen banner on every run under Node 18/20; README recommends Node 22+.
        os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "18,20")
        engine_on_path()
        _register_lazy_package(PROVIDER_PACKAGE)
    return getattr(importlib.import_module(module), name)


def warm_up() -> None:
    """Start node and load the core and provider assemblies (~2 s, mostly node): run in a thread
    while the caller reads configs, the first construct then finds them loaded."""
    _load(CORE_PACKAGE, "App")
    importlib.import_module(f"{PROVIDER_PACKAGE}._jsii")


if not TYPE_CHECKING:
    globals().update({name: Binding(enginevenv.renamed(module, _RENAMES), real, _load)
                      for name, (module, real) in type_checking_imports(Path(__file__)).items()})


def __getattr__(name: str) -> Any:
    """Any other class of the AWS provider or cdktf by its name (`from generator.cdk import SqsQueue`),
    as a stand-in like the names above: nothing to register, nothing loads until first use. Type
    checkers see Any; a module wanting the real type imports it under its own TYPE_CHECKING."""
    if name.startswith("_") or not name[:1].isupper():
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = _module_defining(name)
    if module is None:
        raise AttributeError(f"{name} is not a class of cdktf or of the AWS provider bindings "
                             f"({PROVIDER_PACKAGE}): check its spelling against the provider's resource name")
    binding = Binding(module, name, _load)
    globals()[name] = binding
    return binding


def _module_defining(name: str) -> str | None:
    """The provider submodule (or cdktf/constructs) whose source defines `class name`, found by reading
    source text: importing a submodule to look would load the jsii assembly."""
    engine_on_path()
    for module in [*_provider_candidates(name), CORE_PACKAGE, "constructs"]:
        if _defines(module, name):
            return module
    return None


def _provider_candidates(name: str) -> list[str]:
    """Submodules whose class prefix starts `name` (SqsQueuePolicy -> sqs_queue_policy, sqs_queue), longest first."""
    found = [sub for sub, camel in _provider_submodules().items() if name.startswith(camel)]
    return [f"{PROVIDER_PACKAGE}.{sub}" for sub in sorted(found, key=len, reverse=True)]


@functools.cache
def _provider_submodules() -> dict[str, str]:
    spec = importlib.util.find_spec(PROVIDER_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return {}
    folder = Path(next(iter(spec.submodule_search_locations)))
    return {p.name: "".join(part[:1].upper() + part[1:] for part in p.name.split("_"))
            for p in folder.iterdir() if (p / "__init__.py").is_file() and not p.name.startswith("_")}


@functools.cache
def _source_of(module: str) -> str:
    package, _, sub = module.partition(".")
    spec = importlib.util.find_spec(package)
    if spec is None:
        return ""
    if sub:
        locations = spec.submodule_search_locations
        path = Path(next(iter(locations))) / sub / "__init__.py" if locations else None
    else:
        path = Path(spec.origin) if spec.origin else None
    return path.read_text(encoding="utf-8") if path is not None and path.is_file() else ""


def _defines(module: str, name: str) -> bool:
    return f"\nclass {name}(" in _source_of(module) or f"\nclass {name}:" in _source_of(module)

R = TypeVar("R", bound="TerraformElement")


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
    if not callable(getattr(item, "override_logical_id", None)):
        caller = sys._getframe(1)
        from generator.errors import UsageError

        raise UsageError(f"{Path(caller.f_code.co_filename).name}:{caller.f_lineno}: tracked() takes a resource, "
                         f"data source or output, not {type(item).__name__}")
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

