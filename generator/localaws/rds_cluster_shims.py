"""moto 5.2 fixes for Aurora clusters, found applying examples/aurora-blue-green to the local AWS.

Each one made every plan after a clean apply show changes:

1. DescribeDBClusters answers a ScalingConfigurationInfo (all fields empty) for provisioned
   clusters too; AWS sends it only for Serverless v1, and the provider turned the empty one
   into a `scaling_configuration` block with its defaults to add.
2. DB instances forget EnablePerformanceInsights, so PerformanceInsightsEnabled is never
   reported and `performance_insights_enabled = true` was planned again each time: fixed for
   cluster and plain instances alike by shim 10 in generator/localaws/production_shims.py.
"""

from __future__ import annotations

from typing import Any


def patch_rds_clusters() -> None:
    from moto.rds.models import DBCluster

    original_scaling = DBCluster.scaling_configuration_info.fget  # type: ignore[attr-defined]

    def scaling_configuration_info(self: Any) -> dict[str, Any] | None:
        return original_scaling(self) if self.scaling_configuration else None

    DBCluster.scaling_configuration_info = property(scaling_configuration_info)  # type: ignore[method-assign,assignment]
