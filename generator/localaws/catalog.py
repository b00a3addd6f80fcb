"""Every shim the local AWS adds to moto, in one list: what moto lacks, where the fix is, which test proves it.

A shim exists only because a real `terraform apply` (or the plan after it) against moto failed
without it; each is small, and removing one makes its test fail. To add one (docs/writing-a-module.md,
"Local AWS"): put the fix beside its peers (WSGI-level in shims.ShimMiddleware, model-level in a
patch_* function the launcher calls), add a Shim row here and a test against a real moto server.
tests/test_shim_catalog.py checks that every row's file and test exist.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Shim:
    gap: str  # what moto does (or lacks) that the AWS provider trips over
    file: str  # where the fix lives, repo-relative
    test: str  # "tests/test_x.py::test_name" that fails without it


SHIMS: tuple[Shim, ...] = (
    Shim(
        "application-autoscaling keeps no tags on scalable targets (ListTagsForResource errors)",
        "generator/localaws/shims.py",
        "tests/test_moto_shims.py::test_scalable_target_tags",
    ),
    Shim(
        "S3 PutObject If-None-Match is not atomic, so two S3 state locks could both be taken",
        "generator/localaws/shims.py",
        "tests/test_moto_shims.py::test_conditional_put_is_atomic",
    ),
    Shim(
        "ECS drops availabilityZoneRebalancing and healthCheckGracePeriodSeconds (a diff after every apply)",
        "generator/localaws/shims.py",
        "tests/test_moto_shims.py::test_ecs_service_echoes_dropped_fields",
    ),
    Shim(
        "RDS parameter group parameters lack Source: user (each plan re-adds them)",
        "generator/localaws/shims.py",
        "tests/test_moto_shims.py::test_rds_parameters_are_user_sourced",
    ),
    Shim(
        "ELBv2 load balancers stay 'provisioning' for an extra poll",
        "generator/localaws/shims.py",
        "tests/test_moto_shims.py::test_load_balancer_is_active_at_once",
    ),
    Shim(
        "bucket policies with an aws:SecureTransport Deny deny every request",
        "generator/localaws/shims.py",
        "tests/test_moto_shims.py::test_tls_only_bucket_still_serves_the_local_endpoint",
    ),
    Shim(
        "security group rules referencing a group lose their description",
        "generator/localaws/shims.py",
        "tests/test_moto_shims.py::test_group_rule_keeps_its_description",
    ),
    Shim(
        "every DB instance gets the same DbiResourceId (a second env's database is 'not found')",
        "generator/localaws/production_shims.py",
        "tests/test_production_shims.py::test_each_db_instance_has_its_own_resource_id",
    ),
    Shim(
        "AWS-managed IAM policies are unknown unless MOTO_IAM_LOAD_MANAGED_POLICIES is set",
        "generator/localaws/production_shims.py",
        "tests/test_production_shims.py::test_aws_managed_policies_can_be_attached",
    ),
    Shim(
        "CreateDBInstance drops the Performance Insights settings (false -> true on every plan)",
        "generator/localaws/production_shims.py",
        "tests/test_production_shims.py::test_performance_insights_set_at_creation_are_reported",
    ),
    Shim(
        "provisioned Aurora clusters report an empty ScalingConfigurationInfo",
        "generator/localaws/rds_cluster_shims.py",
        "tests/test_moto_shims.py::test_aurora_cluster_reports_what_was_created",
    ),
    Shim(
        "ElastiCache user groups do not exist in moto (Create/Describe/Modify/DeleteUserGroup)",
        "generator/localaws/elasticache_shims.py",
        "tests/test_resource_shims.py::test_a_user_group_is_created_tagged_changed_and_deleted",
    ),
    Shim(
        "a replication group's member clusters are never created (nor its node count or reader endpoint)",
        "generator/localaws/elasticache_shims.py",
        "tests/test_resource_shims.py::test_member_clusters_exist_with_the_group_and_go_with_it",
    ),
    Shim(
        "SQS answers RedrivePolicy with spaces, so every re-plan shows the policy as changed",
        "generator/localaws/sqs_shims.py",
        "tests/test_resource_shims.py::test_a_redrive_policy_is_answered_as_compact_json",
    ),
    Shim(
        "API Gateway v2 custom domains lack their regional target and zone (and carry an empty mutual TLS block)",
        "generator/localaws/apigw_shims.py",
        "tests/test_resource_shims.py::test_a_custom_domain_is_available_with_its_target_and_zone",
    ),
)
