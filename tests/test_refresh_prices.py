"""scripts/refresh_prices.py reads AWS Price List bulk offer files (tests/fixtures/offers/, small
files in the published JSON format) into the price table, and leaves what it cannot find alone."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

from generator.review.cost.pricing import PRICES_FILE

ROOT = Path(__file__).resolve().parent.parent
OFFERS = Path(__file__).parent / "fixtures" / "offers"
REGION = "ap-northeast-2"


def script() -> ModuleType:
    if "refresh_prices" not in sys.modules:  # registered first: its dataclasses look themselves up there
        spec = importlib.util.spec_from_file_location("refresh_prices", ROOT / "scripts" / "refresh_prices.py")
        assert spec and spec.loader
        sys.modules["refresh_prices"] = module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return sys.modules["refresh_prices"]


def test_on_demand_prices_join_products_and_terms() -> None:
    offer = json.loads((OFFERS / "AmazonCloudWatch-ap-northeast-2.json").read_text())
    prices = list(script().on_demand_prices(offer))
    assert [(p.sku, p.family, p.unit, p.usd, p.begin_range) for p in prices] == [
        ("V3N4D5L6O7G8S9B1", "Data Payload", "GB", 0.76, 0.0),
        ("V3N4D5L6O7G8S9B1", "Data Payload", "GB", 0.38, 10240.0),
    ]
    assert script().usage_type(prices[0].attributes) == "VendedLog-Bytes"


def test_selectors_pick_the_right_product_among_lookalikes() -> None:
    module = script()
    rds = list(module.on_demand_prices(json.loads((OFFERS / "AmazonRDS-ap-northeast-2.json").read_text())))
    single = module.select(rds, module.selector_for("rds_postgres_db.t4g.micro"), REGION)
    multi = module.select(rds, module.selector_for("rds_postgres_db.t4g.micro_multi_az"), REGION)
    assert (single.sku, single.usd) == ("P8JK2N4V6X9QZT3R", 0.026)  # not the MySQL one at 0.025
    assert (multi.sku, multi.usd) == ("M5QW7E3R2T8Y4U6I", 0.052)
    assert module.select(rds, module.selector_for("rds_postgres_db.t4g.micro"), "us-east-1") is None
    assert module.selector_for("no_such_key") is None


def test_refresh_updates_found_entries_with_sku_and_date_and_keeps_the_rest(tmp_path: Path) -> None:
    table_path = tmp_path / "prices.json"
    table_path.write_text(PRICES_FILE.read_text())
    before = json.loads(table_path.read_text())
    assert script().main(["--offers", str(OFFERS), "--region", REGION, "--table", str(table_path), "--write"]) == 0
    after = json.loads(table_path.read_text())
    seoul, old = after["regions"][REGION], before["regions"][REGION]
    expected = {
        "nat_gateway_hour": 0.062,
        "nat_gateway_gb": 0.062,
        "rds_postgres_db.t4g.micro": 0.026,
        "rds_postgres_db.t4g.micro_multi_az": 0.052,
        "rds_storage_gp3": 0.131,
        "waf_million_requests": 0.6,
        "cloudwatch_vended_logs_gb": 0.76,
        "alb_hour": 0.0225,
        "alb_lcu_hour": 0.008,
        "nlb_hour": 0.0225,
        "fargate_vcpu_hour": 0.04656,
        "fargate_gb_hour": 0.00511,
        "public_ipv4_hour": 0.005,
        "secretsmanager_secret_month": 0.4,
        "kms_key_month": 1.0,
        "ecr_storage_gb_month": 0.1,
        "s3_standard_gb_month": 0.025,
        "ssm_advanced_parameter_month": 0.05,
        "rds_postgres_db.m7g.large": 0.2344,
        "rds_postgres_db.m7g.large_multi_az": 0.4688,
        "aurora_storage": 0.12,
        "aurora_io_million": 0.24,
    }
    for key, usd in expected.items():
        assert seoul[key]["usd"] == usd and seoul[key]["method"] == "offer-file", key
    assert seoul["nat_gateway_hour"]["as_of"] == "2025-03-01"
    assert (
        "AmazonEC2 offer file 20250301000000, ap-northeast-2, SKU ZQ8WPNX5JQ2A7DVR"
        in seoul["nat_gateway_hour"]["source"]
    )
    untouched = set(seoul) - set(expected)
    assert untouched and all(seoul[key] == old[key] for key in untouched)
    assert after["regions"]["us-east-1"] == before["regions"]["us-east-1"]


def test_the_default_table_is_the_one_hclgen_loads() -> None:
    assert script().TABLE == PRICES_FILE and PRICES_FILE.is_file()


def test_without_write_it_only_reports(tmp_path: Path, capsys: object) -> None:
    table_path = tmp_path / "prices.json"
    table_path.write_text(PRICES_FILE.read_text())
    script().main(["--offers", str(OFFERS), "--region", REGION, "--table", str(table_path)])
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    assert "ap-northeast-2: changed nat_gateway_hour: 0.059 -> 0.062" in out
    assert "ap-northeast-2: kept nlb_lcu_hour: not found in the AWSELB offer file" in out
    assert table_path.read_text() == PRICES_FILE.read_text()


def test_every_service_we_price_has_an_offer_excerpt_and_the_corrected_rows_agree_with_it() -> None:
    """One excerpt per offer code the selectors read; the rows corrected in issue 26 equal the excerpt."""
    module = script()
    table = json.loads(PRICES_FILE.read_text())["regions"][REGION]
    offers = module.load_offers(OFFERS, REGION)
    assert {s.offer for s in module.SELECTORS.values()} <= set(offers)
    for code, offer in offers.items():
        assert offer["offerCode"] == code and offer["formatVersion"] == "v1.0" and offer["terms"]["OnDemand"]
        prices = list(module.on_demand_prices(offer))
        assert prices and all(p.attributes["regionCode"] == REGION for p in prices), code
    rds = list(module.on_demand_prices(offers["AmazonRDS"]))
    for key in (
        "rds_postgres_db.m7g.large",
        "rds_postgres_db.m7g.large_multi_az",
        "aurora_storage",
        "aurora_io_million",
    ):
        hit = module.select(rds, module.selector_for(key), REGION)
        assert hit is not None and round(hit.usd * module.selector_for(key).scale, 6) == table[key]["usd"], key
