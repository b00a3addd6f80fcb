"""moto fixes the production layer needs (1-7 are in generator/localaws/shims.py; all: catalog.py).

Each exists because a real `terraform apply` of a prod-like environment against moto failed:

8. RDS: moto gives every DB instance the same DbiResourceId ("db-M5ENSHXFPU6XHZ4G4ZEI5QIO2U").
   The provider finds an instance after creating it by that ID (filter dbi-resource-id), so
   a second instance on the same local AWS (dev and a prod-like env) was reported as
   "couldn't find resource". Each instance gets an ID derived from its account, region and
   identifier: unique, and stable across a restart of the local AWS.
9. IAM: moto knows AWS-managed policies (arn:aws:iam::aws:policy/...) only when
   MOTO_IAM_LOAD_MANAGED_POLICIES=true, so attaching AmazonRDSEnhancedMonitoringRole to the
   RDS monitoring role failed with NoSuchEntity. MANAGED_POLICY_SETTINGS turns it on (the
   launcher sets it before moto is imported).
10. RDS: CreateDBInstance drops PerformanceInsightsEnabled / PerformanceInsightsRetentionPeriod
   (ModifyDBInstance keeps them), so every plan after an apply with Performance Insights on
   showed `false -> true`. The values sent at creation are kept on the instance, with AWS's
   default retention of 7 days when it is enabled without one.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

MANAGED_POLICY_SETTINGS = {"MOTO_IAM_LOAD_MANAGED_POLICIES": "true"}


def dbi_resource_id(account_id: str, region: str, identifier: str) -> str:
    """A DbiResourceId shaped like AWS's ("db-" and 26 upper-case base32 characters)."""
    digest = hashlib.sha256(f"{account_id}/{region}/{identifier}".encode()).digest()
    return "db-" + base64.b32encode(digest).decode()[:26]


def patch_production_models() -> None:
    """Apply shims 8 and 10 to moto's RDS model (idempotent)."""
    from moto.rds.models import DBInstance

    if getattr(DBInstance.__init__, "_hclgen_unique_dbi", False):
        return
    original = DBInstance.__init__

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        self.dbi_resource_id = dbi_resource_id(self.account_id, self.region, self.db_instance_identifier)
        # The request says EnablePerformanceInsights, the reply PerformanceInsightsEnabled (a property below).
        self.enable_performance_insights = bool(kwargs.get("enable_performance_insights"))
        if self.enable_performance_insights:
            self.performance_insights_retention_period = kwargs.get("performance_insights_retention_period") or 7

    init._hclgen_unique_dbi = True  # type: ignore[attr-defined]
    DBInstance.__init__ = init  # type: ignore[method-assign]
    DBInstance.performance_insights_enabled = property(  # type: ignore[attr-defined]
        lambda self: bool(getattr(self, "enable_performance_insights", False))
    )
