"""moto 5.2 fix for API Gateway v2 custom domains (shim 14), found applying modules/apigw.py locally.

moto keeps a domain's configurations as sent and answers no DomainNameStatus, target domain name
or hosted zone; the provider waits for the status to be AVAILABLE after a create (it never was)
and reads the other two for DNS. They are answered as AWS does for a regional domain: available
at once, a d-<id>.execute-api.<region>.amazonaws.com target and the region's API Gateway zone.
moto also answers an empty MutualTlsAuthentication where AWS answers none, which each plan after
an apply showed as a block to remove; an empty one is left out.
"""

from __future__ import annotations

import hashlib
from typing import Any

# API Gateway's regional hosted zones (AWS general reference, "Amazon API Gateway endpoints").
REGIONAL_ZONES = {"us-east-1": "Z1UJRXOUMOOFQ8", "ap-northeast-2": "Z20JF4UZKIW1U8"}


def regional_target(domain_name: str, region: str) -> dict[str, str]:
    """What AWS adds to a regional domain configuration once the domain exists."""
    digest = hashlib.sha256(f"{region}/{domain_name}".encode()).hexdigest()[:10]
    return {
        "apiGatewayDomainName": f"d-{digest}.execute-api.{region}.amazonaws.com",
        "hostedZoneId": REGIONAL_ZONES.get(region, "Z1UJRXOUMOOFQ8"),
        "domainNameStatus": "AVAILABLE",
    }


def patch_apigw_domains() -> None:
    from moto.apigatewayv2.models import DomainName

    original = DomainName.to_json

    def to_json(self: Any) -> dict[str, Any]:
        answer = original(self)
        region = self.domain_name_arn.split(":")[3]
        answer["domainNameConfigurations"] = [
            {**regional_target(self.domain_name, region), **config}
            for config in answer.get("domainNameConfigurations") or []
        ]
        if not answer.get("mutualTlsAuthentication"):
            answer.pop("mutualTlsAuthentication", None)
        return answer

    DomainName.to_json = to_json  # type: ignore[method-assign]
