"""moto 5.2 fixes for Aurora clusters, found applying examples/aurora-blue-green to the local AWS.

Each one made every plan after a clean apply show changes:

1. DescribeDBClusters answers a ScalingConfigurationInfo (all fields empty) for provisioned
   clusters too; AWS sends it only for Serverless v1, and the provider turned the empty one
   into a `scaling_configuration` block with its defaults to add.
2. DB instances forget EnablePerformanceInsights, so PerformanceInsightsEnabled is never
   reported and `performance_insights_enabled = true` was planned again each time.
"""

from __future__ import annotations

from typing import Any


def patch_rds_clusters() -> None:
    from moto.rds.models import DBCluster, DBInstance

    original_scaling = DBCluster.scaling_configuration_info.fget  # type: ignore[attr-defined]

    def scaling_configuration_info(self: Any) -> dict[str, Any] | None:
        return original_scaling(self) if self.scaling_configuration else None

    original_init = DBInstance.__init__

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        self.performance_insights_enabled = bool(kwargs.get("enable_performance_insights"))

    DBCluster.scaling_configuration_info = property(scaling_configuration_info)  # type: ignore[method-assign,assignment]
    DBInstance.__init__ = init  # type: ignore[method-assign]
