"""WAFv2 web ACL on the load balancer: AWS managed rule groups, a per-IP rate limit, logs.

A managed group can be put in count mode, single rules of it overridden to count, and paths
kept out of it by a scope-down statement: the reference team's AdminProtection rule set
blocked their own /admin (../shared/seeds 000), which here is
`excluded_paths={"AWSManagedRulesAdminProtectionRuleSet": ("/admin",)}`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from generator import validate
from generator.cdk import (
    CloudwatchLogGroup,
    Construct,
    Wafv2WebAcl,
    Wafv2WebAclAssociation,
    Wafv2WebAclLoggingConfiguration,
    tracked,
)
from generator.errors import InputError

MODULE = "waf"
ADMIN_PROTECTION = "AWSManagedRulesAdminProtectionRuleSet"
DEFAULT_GROUPS = (
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesAmazonIpReputationList",
    "AWSManagedRulesSQLiRuleSet",
)
RATE_RULE = "rate-limit"


@dataclass(frozen=True, kw_only=True)
class WafInputs:
    """Web ACL settings.

    managed_rule_groups: AWS managed rule groups, evaluated in this order (priority 10, 20, ...).
    admin_protection: add AWSManagedRulesAdminProtectionRuleSet (blocks admin paths such as /admin).
    count_only: groups (or "rate-limit") that only count matches instead of blocking: for a trial run.
    count_rules: group -> names of single rules in it overridden to count (false positives).
    excluded_paths: group -> URI path prefixes the group does not inspect (a scope-down statement).
    rate_limit: requests per IP per 5 minutes before it is blocked (None: no rate rule).
    log_retention_days: retention of the aws-waf-logs-<name> log group.
    """

    managed_rule_groups: tuple[str, ...] = DEFAULT_GROUPS
    admin_protection: bool = False
    count_only: tuple[str, ...] = ()
    count_rules: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    excluded_paths: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    rate_limit: int | None = 2000
    log_retention_days: int = 30
    tags: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        groups = self.groups
        if len(set(groups)) != len(groups):
            raise InputError("managed_rule_groups", "a rule group is listed twice", module=MODULE)
        for group in groups:
            validate.matches(
                MODULE,
                "managed_rule_groups",
                group,
                r"AWSManagedRules[A-Za-z0-9]+",
                "an AWS managed rule group name (AWSManagedRules...)",
            )
        known = (*groups, RATE_RULE)
        for label, names in (
            ("count_only", self.count_only),
            ("count_rules", tuple(self.count_rules)),
            ("excluded_paths", tuple(self.excluded_paths)),
        ):
            for name in names:
                if name not in known:
                    raise InputError(
                        label, f"{name!r} is not one of the web ACL's rules ({', '.join(known)})", module=MODULE
                    )
        for group, paths in self.excluded_paths.items():
            if not paths:
                raise InputError("excluded_paths", f"{group}: give at least one path", module=MODULE)
            for path in paths:
                validate.matches(MODULE, "excluded_paths", path, r"/[\x21-\x7e]*", "a URL path starting with /")
        if self.rate_limit is not None:
            validate.in_range(MODULE, "rate_limit", self.rate_limit, 10, 2000000000)
        validate.one_of(MODULE, "log_retention_days", self.log_retention_days, validate.LOG_RETENTION_DAYS)

    @property
    def groups(self) -> tuple[str, ...]:
        return (*self.managed_rule_groups, *((ADMIN_PROTECTION,) if self.admin_protection else ()))


def _visibility(metric: str) -> dict[str, Any]:
    return {"cloudwatch_metrics_enabled": True, "metric_name": metric, "sampled_requests_enabled": True}


def _not_under(paths: tuple[str, ...]) -> dict[str, Any]:
    """A statement matching requests whose path starts with none of `paths`."""
    uri: dict[str, Any] = {"uri_path": {}}
    transform = [{"priority": 0, "type": "NONE"}]
    if len(paths) == 1:
        match = {
            "byte_match_statement": {
                "search_string": paths[0],
                "positional_constraint": "STARTS_WITH",
                "field_to_match": uri,
                "text_transformation": transform,
            }
        }
    else:  # one regex keeps the nesting within what WAF's Terraform schema allows
        regex = "^(" + "|".join(re.escape(path) for path in paths) + ")"
        match = {
            "regex_match_statement": {"regex_string": regex, "field_to_match": uri, "text_transformation": transform}
        }
    return {"not_statement": {"statement": [match]}}


class Waf(Construct):
    """Outputs: web_acl_arn, log_group_name."""

    def __init__(self, scope: Construct, id_: str, inputs: WafInputs, *, name: str, load_balancer_arn: str) -> None:
        super().__init__(scope, id_)
        rules = [self._managed(inputs, group, 10 * (index + 1)) for index, group in enumerate(inputs.groups)]
        if inputs.rate_limit is not None:
            action = "count" if RATE_RULE in inputs.count_only else "block"
            rules.append(
                {
                    "name": RATE_RULE,
                    "priority": 10 * (len(rules) + 1),
                    "action": {action: {}},
                    "statement": {"rate_based_statement": {"limit": inputs.rate_limit, "aggregate_key_type": "IP"}},
                    "visibility_config": _visibility(f"{name}-{RATE_RULE}"),
                }
            )
        acl = tracked(
            Wafv2WebAcl(
                self,
                "this",
                name=name,
                description=f"Protects the load balancer of {name}",
                scope="REGIONAL",
                default_action={"allow": {}},
                visibility_config=_visibility(name),
                tags={"Name": name, **inputs.tags},
            )
        )
        acl.add_override("rule", rules)
        self.web_acl_arn: str = acl.arn
        tracked(
            Wafv2WebAclAssociation(self, "association", resource_arn=load_balancer_arn, web_acl_arn=acl.arn), "this"
        )
        # WAF writes only to log groups whose name starts with aws-waf-logs-.
        logs = tracked(
            CloudwatchLogGroup(
                self,
                "log_group",
                name=f"aws-waf-logs-{name}",
                retention_in_days=inputs.log_retention_days,
                tags={"Name": f"aws-waf-logs-{name}", **inputs.tags},
            ),
            "waf",
        )
        self.log_group_name: str = logs.name
        tracked(
            Wafv2WebAclLoggingConfiguration(self, "logging", resource_arn=acl.arn, log_destination_configs=[logs.arn]),
            "this",
        )

    @staticmethod
    def _managed(inputs: WafInputs, group: str, priority: int) -> dict[str, Any]:
        statement: dict[str, Any] = {"name": group, "vendor_name": "AWS"}
        if group in inputs.count_rules:
            statement["rule_action_override"] = [
                {"name": rule, "action_to_use": {"count": {}}} for rule in inputs.count_rules[group]
            ]
        if group in inputs.excluded_paths:
            statement["scope_down_statement"] = _not_under(inputs.excluded_paths[group])
        override = "count" if group in inputs.count_only else "none"
        return {
            "name": group,
            "priority": priority,
            "override_action": {override: {}},
            "statement": {"managed_rule_group_statement": statement},
            "visibility_config": _visibility(group),
        }
