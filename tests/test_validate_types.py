"""The generic type check: every inputs dataclass, from its type hints, with dotted names."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import pytest

from generator import validate
from generator.environment import Environment
from generator.errors import InputError


@dataclass(frozen=True)
class Threshold:
    metric: str
    value: float
    kind: Literal["max", "min"] = "max"


@dataclass(frozen=True, kw_only=True)
class AlarmInputs:  # a module another helper might add: no __post_init__ of its own
    enabled: bool = True
    period: int = 60
    email: str | None = None
    pair: tuple[int, str] = (1, "a")
    names: tuple[str, ...] = ()
    thresholds: tuple[Threshold, ...] = ()
    labels: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class TinyStack:
    alarms: AlarmInputs = field(default_factory=AlarmInputs)

    def compose(self, scope: object, env: Environment) -> None:  # pragma: no cover - never synthesized
        pass


@pytest.mark.parametrize(
    ("inputs", "field_name", "expected"),
    [
        (AlarmInputs(enabled="yes"), "enabled", "'yes' is str, expected True or False"),  # type: ignore[arg-type]
        (AlarmInputs(period=True), "period", "True is bool, expected a whole number"),
        (AlarmInputs(period=1.5), "period", "1.5 is float, expected a whole number"),  # type: ignore[arg-type]
        (AlarmInputs(email=3), "email", "3 is int, expected str or None"),  # type: ignore[arg-type]
        (AlarmInputs(pair=(1, 2)), "pair[1]", "2 is int, expected a string"),  # type: ignore[arg-type]
        (AlarmInputs(pair=(1,)), "pair", "needs 2 items, got 1"),  # type: ignore[arg-type]
        (AlarmInputs(names=("a", None)), "names[1]", "None is NoneType"),  # type: ignore[arg-type]
        (AlarmInputs(names="abc"), "names", "'abc' is str, expected a tuple"),  # type: ignore[arg-type]
        (
            AlarmInputs(thresholds=(Threshold("cpu", "high"),)),
            "thresholds[0].value",  # type: ignore[arg-type]
            "'high' is str, expected a number",
        ),
        (
            AlarmInputs(thresholds=(Threshold("cpu", 80, "avg"),)),
            "thresholds[0].kind",  # type: ignore[arg-type]
            "'avg' must be one of 'max', 'min'",
        ),
        (AlarmInputs(labels={"team": 5}), "labels.team", "5 is int, expected a string"),  # type: ignore[dict-item]
        (AlarmInputs(labels=["a"]), "labels", "['a'] is list, expected a mapping"),  # type: ignore[arg-type]
    ],
)
def test_each_kind_of_hint_is_checked_with_a_dotted_name(inputs: AlarmInputs, field_name: str, expected: str) -> None:
    with pytest.raises(InputError) as caught:
        validate.types(inputs, "alarms")
    assert caught.value.field == field_name and caught.value.module == "alarms"
    assert expected in caught.value.message


def test_valid_values_pass() -> None:
    validate.types(
        AlarmInputs(email="a@b.c", period=300, names=("x",), thresholds=(Threshold("cpu", 80),), labels={"a": "b"}),
        "alarms",
    )
    validate.types(Threshold("cpu", 80.5, "min"))


def test_environment_checks_a_module_it_has_never_heard_of() -> None:
    with pytest.raises(InputError) as caught:
        Environment(
            name="dev",
            project="acme",
            region="us-east-1",
            state_bucket="acme-state",
            stack=TinyStack(alarms=AlarmInputs(period="60")),
        )  # type: ignore[arg-type]
    assert (caught.value.module, caught.value.field) == ("alarms", "period")
