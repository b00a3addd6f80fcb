"""Refresh generator/review/cost/data/prices.json from the AWS Price List bulk offer files.

    python scripts/refresh_prices.py --offers DIR [--region ap-northeast-2 --region us-east-1] [--write]
    python scripts/refresh_prices.py --download DIR --region ap-northeast-2   # fetch them first (network)

DIR holds the regional offer files as AWS publishes them, saved as <offerCode>-<region>.json,
from https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/<offerCode>/current/<region>/index.json
(the Price List Bulk API). Their format (formatVersion v1.0): "products" maps each SKU to
{sku, productFamily, attributes{usagetype, regionCode, instanceType, ...}}, and
"terms"."OnDemand" maps SKU -> offerTermCode -> {priceDimensions: rateCode -> {unit,
pricePerUnit{USD}, description, beginRange, endRange}}. Each table entry that a selector
below finds is replaced by the offer file's price, with the SKU and publication date as its
source; entries it cannot find keep their value and are listed, so nothing changes silently.
Without --write it prints what would change.

The selectors match usage types as AWS names them (the region prefix such as APN2- removed);
they were written from the published usage-type names and are checked only when run.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "generator" / "review" / "cost" / "data" / "prices.json"
OFFER_URL = "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/{offer}/current/{region}/index.json"
_REGION_PREFIX = re.compile(r"^[A-Z]{2,4}\d?-")


@dataclass(frozen=True)
class Selector:
    """Which on-demand price of which offer file a table key is."""

    offer: str
    usagetype: str  # without the region prefix
    family: str | None = None
    attributes: Mapping[str, str] = field(default_factory=dict)
    scale: float = 1.0  # per request -> per million requests, ...


@dataclass(frozen=True)
class OfferPrice:
    """One on-demand price dimension of one product."""

    sku: str
    family: str
    attributes: Mapping[str, str]
    unit: str
    usd: float
    description: str
    begin_range: float


def _s(offer: str, usagetype: str, family: str | None = None, scale: float = 1.0, **attributes: str) -> Selector:
    return Selector(offer, usagetype, family, attributes, scale)


SELECTORS: dict[str, Selector] = {
    "nat_gateway_hour": _s("AmazonEC2", "NatGateway-Hours", "NAT Gateway"),
    "nat_gateway_gb": _s("AmazonEC2", "NatGateway-Bytes", "NAT Gateway"),
    "public_ipv4_hour": _s("AmazonVPC", "PublicIPv4:InUseAddress"),
    "vpc_endpoint_interface_hour": _s("AmazonVPC", "VpcEndpoint-Hours"),
    "vpc_endpoint_interface_gb": _s("AmazonVPC", "VpcEndpoint-Bytes"),
    "alb_hour": _s("AWSELB", "LoadBalancerUsage", "Load Balancer-Application"),
    "alb_lcu_hour": _s("AWSELB", "LCUUsage", "Load Balancer-Application"),
    "nlb_hour": _s("AWSELB", "LoadBalancerUsage", "Load Balancer-Network"),
    "nlb_lcu_hour": _s("AWSELB", "LCUUsage", "Load Balancer-Network"),
    "fargate_vcpu_hour": _s("AmazonECS", "Fargate-vCPU-Hours:perCPU"),
    "fargate_gb_hour": _s("AmazonECS", "Fargate-GB-Hours"),
    "fargate_arm_vcpu_hour": _s("AmazonECS", "Fargate-ARM-vCPU-Hours:perCPU"),
    "fargate_arm_gb_hour": _s("AmazonECS", "Fargate-ARM-GB-Hours"),
    "rds_storage_gp3": _s("AmazonRDS", "RDS:GP3-Storage"),
    "rds_storage_gp3_multi_az": _s("AmazonRDS", "RDS:Multi-AZ-GP3-Storage"),
    "rds_storage_gp2": _s("AmazonRDS", "RDS:GP2-Storage"),
    "rds_storage_gp2_multi_az": _s("AmazonRDS", "RDS:Multi-AZ-GP2-Storage"),
    "rds_storage_io1": _s("AmazonRDS", "RDS:PIOPS-Storage"),
    "rds_storage_io1_multi_az": _s("AmazonRDS", "RDS:Multi-AZ-PIOPS-Storage"),
    "rds_iops_io1": _s("AmazonRDS", "RDS:PIOPS"),
    "rds_iops_io1_multi_az": _s("AmazonRDS", "RDS:Multi-AZ-PIOPS"),
    "rds_iops_gp3": _s("AmazonRDS", "RDS:GP3-PIOPS"),
    "rds_iops_gp3_multi_az": _s("AmazonRDS", "RDS:Multi-AZ-GP3-PIOPS"),
    "aurora_storage": _s("AmazonRDS", "Aurora:StorageUsage"),
    "aurora_io_million": _s("AmazonRDS", "Aurora:StorageIOUsage", scale=1e6),
    "waf_web_acl_month": _s("awswaf", "WebACL"),
    "waf_rule_month": _s("awswaf", "Rule"),
    "waf_million_requests": _s("awswaf", "Request", scale=1e6),
    "cloudwatch_alarm_month": _s("AmazonCloudWatch", "CW:AlarmMonitorUsage"),
    "cloudwatch_high_res_alarm_month": _s("AmazonCloudWatch", "CW:HighResAlarmMonitorUsage"),
    "cloudwatch_composite_alarm_month": _s("AmazonCloudWatch", "CW:CompositeAlarmMonitorUsage"),
    "cloudwatch_logs_ingest_gb": _s("AmazonCloudWatch", "DataProcessing-Bytes"),
    "cloudwatch_logs_storage_gb_month": _s("AmazonCloudWatch", "TimedStorage-ByteHrs"),
    "cloudwatch_vended_logs_gb": _s("AmazonCloudWatch", "VendedLog-Bytes"),
    "secretsmanager_secret_month": _s("AWSSecretsManager", "AWSSecretsManager-Secrets"),
    "kms_key_month": _s("awskms", "KMS-Keys"),
    "ecr_storage_gb_month": _s("AmazonECR", "TimedStorage-ByteHrs"),
    "s3_standard_gb_month": _s("AmazonS3", "TimedStorage-ByteHrs", volumeType="Standard"),
    "ssm_advanced_parameter_month": _s("AWSSystemsManager", "PS-Advanced-Param-Tier1"),
}


def selector_for(key: str) -> Selector | None:
    """The selector of a table key; instance classes are generated from the key itself."""
    if key in SELECTORS:
        return SELECTORS[key]
    match = re.fullmatch(r"rds_postgres_(db\.[a-z0-9]+\.[a-z0-9]+)(_multi_az)?", key)
    if match:
        return Selector(
            "AmazonRDS",
            "",
            "Database Instance",
            {
                "instanceType": match.group(1),
                "databaseEngine": "PostgreSQL",
                "deploymentOption": "Multi-AZ" if match.group(2) else "Single-AZ",
            },
        )
    match = re.fullmatch(r"aurora_postgresql_(db\.[a-z0-9]+\.[a-z0-9]+)", key)
    if match:
        return Selector(
            "AmazonRDS",
            "",
            "Database Instance",
            {"instanceType": match.group(1), "databaseEngine": "Aurora PostgreSQL"},
        )
    return None


def usage_type(attributes: Mapping[str, str]) -> str:
    return _REGION_PREFIX.sub("", attributes.get("usagetype", ""), count=1)


def on_demand_prices(offer: Mapping[str, Any]) -> Iterator[OfferPrice]:
    """Every on-demand USD price dimension of an offer file, joined with its product."""
    products = offer.get("products", {})
    for sku, terms in offer.get("terms", {}).get("OnDemand", {}).items():
        product = products.get(sku)
        if product is None:
            continue
        for term in terms.values():
            for dimension in term.get("priceDimensions", {}).values():
                usd = dimension.get("pricePerUnit", {}).get("USD")
                if usd is None:
                    continue
                yield OfferPrice(
                    sku=sku,
                    family=product.get("productFamily", ""),
                    attributes=product.get("attributes", {}),
                    unit=dimension.get("unit", ""),
                    usd=float(usd),
                    description=dimension.get("description", ""),
                    begin_range=float(dimension.get("beginRange", "0") or 0),
                )


def select(prices: list[OfferPrice], selector: Selector, region: str) -> OfferPrice | None:
    """The first-tier, non-zero price the selector names in that region (lowest SKU if several)."""
    found = [
        p
        for p in prices
        if p.attributes.get("regionCode", region) == region
        and (selector.family is None or p.family == selector.family)
        and (not selector.usagetype or usage_type(p.attributes) == selector.usagetype)
        and all(p.attributes.get(k) == v for k, v in selector.attributes.items())
        and p.begin_range == 0
        and p.usd > 0
    ]
    return min(found, key=lambda p: p.sku) if found else None


def refresh(table: dict[str, Any], region: str, offers: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Update table["regions"][region] in place from the offer files; returns what happened."""
    entries = table["regions"][region]
    parsed = {code: list(on_demand_prices(offer)) for code, offer in offers.items()}
    report = []
    for key, entry in entries.items():
        selector = selector_for(key)
        if selector is None:
            report.append(f"kept {key}: no selector")
            continue
        if selector.offer not in offers:
            report.append(f"kept {key}: no {selector.offer} offer file for {region}")
            continue
        hit = select(parsed[selector.offer], selector, region)
        if hit is None:
            report.append(f"kept {key}: not found in the {selector.offer} offer file")
            continue
        offer = offers[selector.offer]
        usd = round(hit.usd * selector.scale, 10)
        published = str(offer.get("publicationDate", ""))[:10] or "unknown"
        if usd != entry["usd"]:
            report.append(f"changed {key}: {entry['usd']} -> {usd}")
        entry.update(
            usd=usd,
            as_of=published,
            method="offer-file",
            source=f"{selector.offer} offer file {offer.get('version', '')}, {region}, SKU {hit.sku}: "
            f"{hit.description}",
        )
    return report


def load_offers(folder: Path, region: str) -> dict[str, dict[str, Any]]:
    offers = {}
    for path in sorted(folder.glob(f"*-{region}.json")):
        offers[path.name[: -len(f"-{region}.json")]] = json.loads(path.read_text(encoding="utf-8"))
    return offers


def download(folder: Path, region: str) -> None:
    import httpx

    folder.mkdir(parents=True, exist_ok=True)
    for offer in sorted({s.offer for s in SELECTORS.values()} | {"AmazonRDS"}):
        response = httpx.get(OFFER_URL.format(offer=offer, region=region), timeout=600, follow_redirects=True)
        response.raise_for_status()
        (folder / f"{offer}-{region}.json").write_bytes(response.content)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--offers", type=Path, help="folder of <offerCode>-<region>.json offer files")
    parser.add_argument("--download", type=Path, help="download the offer files into this folder first")
    parser.add_argument("--region", action="append", help="region(s) to refresh (default: all in the table)")
    parser.add_argument("--table", type=Path, default=TABLE)
    parser.add_argument("--write", action="store_true", help="write the table (default: only report)")
    args = parser.parse_args(argv)
    folder = args.download or args.offers
    if folder is None:
        parser.error("pass --offers DIR or --download DIR")
    table = json.loads(args.table.read_text(encoding="utf-8"))
    for region in args.region or sorted(table["regions"]):
        if args.download:
            download(folder, region)
        for line in refresh(table, region, load_offers(folder, region)):
            print(f"{region}: {line}")
    if args.write:
        args.table.write_text(json.dumps(table, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
