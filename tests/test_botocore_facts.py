"""validate's AWS facts, read from botocore's data files, are what botocore's own loader says."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from botocore.loaders import create_loader
from botocore.model import ServiceModel

from generator import validate


@pytest.fixture
def fresh() -> Iterator[None]:
    validate.ec2_instance_types.cache_clear()
    validate.aws_regions.cache_clear()
    yield
    validate.ec2_instance_types.cache_clear()
    validate.aws_regions.cache_clear()


def _loader_instance_types() -> frozenset[str]:
    model = ServiceModel(create_loader().load_service_model("ec2", "service-2"), "ec2")
    return frozenset(model.shape_for("InstanceType").enum)


def test_instance_types_and_regions_match_botocores_loader(fresh: None) -> None:
    assert validate.ec2_instance_types() == _loader_instance_types()
    assert "t4g.micro" in validate.ec2_instance_types()
    partitions = create_loader().load_data("endpoints")["partitions"]
    assert validate.aws_regions() == frozenset(name for partition in partitions for name in partition["regions"])


def test_a_model_written_otherwise_is_parsed_whole(fresh: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(validate, "_INSTANCE_TYPE_SHAPE", re.compile(rb"(?!)"))  # never matches
    assert validate.ec2_instance_types() == _loader_instance_types()
