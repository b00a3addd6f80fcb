"""The committed environments/<env>/*.tf are exactly what the Python renders."""

from __future__ import annotations

from pathlib import Path

import hcl2
import pytest

from generator.render import pipeline
from generator.render.emit import GENERATED_MARK
from scripts.projectcopy import env_names
from tests.conftest import ROOT

EXPECTED_FILES = {
    "versions.tf",
    "backend.tf",
    "providers.tf",
    "vpc.tf",
    "alb.tf",
    "ecs.tf",
    "rds.tf",
    "ecr.tf",
    "iam.tf",
    "outputs.tf",
    "ARCHITECTURE.md",
    "oidc.tf",
    "deploy.tf",
    "scaling.tf",
    "params.tf",
}
# The production layer: dev keeps the cheap part (alarms, dashboard), prod has all of it.
PRODUCTION_FILES = {
    "dev": {"notifications.tf", "alarms.tf", "dashboard.tf"},
    "prod": {"notifications.tf", "alarms.tf", "dashboard.tf", "waf.tf", "dns.tf", "logs.tf"},
}


def test_every_environment_has_the_expected_files(rendered: list) -> None:
    assert [item.env for item in rendered] == env_names(ROOT)
    for item in rendered:
        if item.env in PRODUCTION_FILES:
            assert set(item.files) == EXPECTED_FILES | PRODUCTION_FILES[item.env]
        else:  # an env added later: the reference stack at least
            assert EXPECTED_FILES <= set(item.files), item.env


def test_committed_hcl_is_byte_identical_to_the_render(rendered: list) -> None:
    for item in rendered:
        for name, text in item.files.items():
            committed = (item.root / name).read_text(encoding="utf-8")
            assert committed == text, f"{item.root.relative_to(ROOT)}/{name} is stale: run `python main.py synth`"
    assert pipeline.differences(ROOT, rendered) == [pipeline.Difference(env=item.env) for item in rendered]


def test_each_file_names_its_python_source(rendered: list) -> None:
    for item in rendered:
        for name, text in item.files.items():
            first = text.splitlines()[0]
            assert GENERATED_MARK in first
            source = f"modules/{name.removesuffix('.tf')}.py"
            expected = source if (ROOT / source).exists() else f"environments/{item.env}/config.py"
            assert expected in first, first


@pytest.mark.parametrize("env", env_names())
def test_every_generated_file_parses_with_python_hcl2(env: str) -> None:
    for path in sorted((ROOT / "environments" / env).glob("*.tf")):
        with open(path, encoding="utf-8") as handle:
            parsed = hcl2.load(handle)
        assert parsed, f"{path} parsed to nothing"


def test_native_references_and_no_bare_interpolation(rendered: list) -> None:
    for item in rendered:
        for name, text in item.files.items():
            for line in text.splitlines():
                value = line.split(" = ", 1)[-1].strip().rstrip(",")
                assert not (value.startswith('"${') and value.endswith('}"') and value.count("${") == 1), (
                    f"{name}: interpolation-only string {value}"
                )
        ecs = item.files["ecs.tf"]
        assert "task_definition                   = aws_ecs_task_definition.this.arn" in ecs
        assert "container_definitions = jsonencode([" in ecs
        assert "load_balancer {" in ecs and "deployment_circuit_breaker {" in ecs


def test_no_null_attributes_and_no_hashed_names(rendered: list) -> None:
    for item in rendered:
        for text in item.files.values():
            assert "= null" not in text
        for address in item.sources:
            name = address.split(".")[-1]
            assert not any(len(part) == 8 and part.isupper() for part in name.split("_")), address


def test_source_map_points_at_python_lines(rendered: list) -> None:
    dev = next(item for item in rendered if item.env == "dev")
    assert dev.sources["aws_db_instance.this"].startswith("modules/rds.py:")
    assert dev.sources["output.alb_dns_name"].startswith("modules/stack.py:")
    for address, source in dev.sources.items():
        path, line = source.split(":")
        text = Path(ROOT / path).read_text().splitlines()[int(line) - 1]
        assert "tracked(" in text, f"{address} -> {source}: {text!r}"
