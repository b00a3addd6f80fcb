"""More ECS service scaling beside CPU target tracking: scheduled windows, memory, ALB requests.

A window raises the capacity bounds at its start and puts the service's own bounds back at
its end (the reference: scale out three days before month-end, back on the 1st).
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field

from generator import validate
from generator.cdk import AppautoscalingPolicy, AppautoscalingScheduledAction, AppautoscalingTarget, Construct, tracked
from generator.cdk import AppautoscalingPolicyTargetTrackingScalingPolicyConfiguration as TargetTracking
from generator.cdk import (
    AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification as PredefinedMetric,
)
from generator.cdk import AppautoscalingScheduledActionScalableTargetAction as TargetAction
from generator.errors import InputError
from modules import cron

MODULE = "scaling"


@dataclass(frozen=True, kw_only=True)
class ScheduledWindow:
    """A period with raised capacity.

    name: short label (lowercase, digits, dashes), used in the action names.
    starts: schedule expressions that open the window (cron(...) with 6 fields, at(...), rate(...));
      several when one cron cannot say it (see month_end).
    end: the expression that closes it, restoring the service's own min/max capacity.
    min_capacity / max_capacity: bounds while the window is open.
    timezone: IANA zone the expressions are read in (e.g. "Asia/Seoul").
    """

    name: str
    starts: tuple[str, ...]
    end: str
    min_capacity: int
    max_capacity: int
    timezone: str = "UTC"

    def __post_init__(self) -> None:
        where = f"schedules[{self.name}]"
        validate.matches(MODULE, f"{where}.name", self.name, r"[a-z][a-z0-9-]{0,31}", "a short lowercase label")
        if not self.starts:
            raise InputError(f"{where}.starts", "give at least one schedule expression", module=MODULE)
        for expression in (*self.starts, self.end):
            error = cron.problem(expression)
            if error:
                raise InputError(
                    f"{where}.starts" if expression != self.end else f"{where}.end",
                    f"{expression!r}: {error}",
                    module=MODULE,
                )
        validate.in_range(MODULE, f"{where}.min_capacity", self.min_capacity, 0, 1000)
        validate.in_range(MODULE, f"{where}.max_capacity", self.max_capacity, max(1, self.min_capacity), 1000)
        if self.timezone not in _zones():
            raise InputError(f"{where}.timezone", f"{self.timezone!r} is not an IANA time zone", module=MODULE)

    @classmethod
    def month_end(
        cls,
        *,
        days_before: int = 3,
        min_capacity: int,
        max_capacity: int,
        hour: int = 0,
        timezone: str = "UTC",
        name: str = "month-end",
    ) -> ScheduledWindow:
        """Open `days_before` days before each month's last day, close at 00:00 on the 1st."""
        validate.in_range(MODULE, "month_end.days_before", days_before, 0, 27)
        validate.in_range(MODULE, "month_end.hour", hour, 0, 23)
        return cls(
            name=name,
            starts=cron.month_end(days_before, hour=hour),
            end="cron(0 0 1 * ? *)",
            min_capacity=min_capacity,
            max_capacity=max_capacity,
            timezone=timezone,
        )


def _zones() -> set[str]:
    return zoneinfo.available_timezones() | {"UTC"}


@dataclass(frozen=True, kw_only=True)
class ScalingInputs:
    """Service scaling beyond CPU target tracking (set in ecs: cpu_target, min/max_capacity).

    schedules: windows of raised capacity (ScheduledWindow; ScheduledWindow.month_end for the reference).
    memory_target: average memory utilisation % to track (None: off).
    requests_per_target: ALB requests per task per minute to track (None: off).
    """

    schedules: tuple[ScheduledWindow, ...] = ()
    memory_target: int | None = None
    requests_per_target: int | None = None
    tags: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        names = [window.name for window in self.schedules]
        if len(set(names)) != len(names):
            raise InputError("schedules", f"window names repeat: {', '.join(names)}", module=MODULE)
        if self.memory_target is not None:
            validate.in_range(MODULE, "memory_target", self.memory_target, 10, 95)
        if self.requests_per_target is not None:
            validate.in_range(MODULE, "requests_per_target", self.requests_per_target, 1, 1000000)


class Scaling(Construct):
    """Scheduled actions and extra target-tracking policies on the service's scalable target."""

    def __init__(
        self,
        scope: Construct,
        id_: str,
        inputs: ScalingInputs,
        *,
        name: str,
        target: AppautoscalingTarget,
        capacity: tuple[int, int],
        request_label: str,
    ) -> None:
        super().__init__(scope, id_)
        self.target = target
        for window in inputs.schedules:
            if window.min_capacity < capacity[0]:
                raise InputError(
                    f"schedules[{window.name}].min_capacity",
                    f"{window.min_capacity} is below the service's own min_capacity {capacity[0]}",
                    module=MODULE,
                )
            self._window(window, name, capacity)
        if inputs.memory_target is not None:
            self._tracking(
                "service_memory", f"{name}-memory", inputs.memory_target, "ECSServiceAverageMemoryUtilization"
            )
        if inputs.requests_per_target is not None:
            self._tracking(
                "service_requests",
                f"{name}-requests",
                inputs.requests_per_target,
                "ALBRequestCountPerTarget",
                request_label,
            )

    def _window(self, window: ScheduledWindow, name: str, capacity: tuple[int, int]) -> None:
        key = validate.tf_name(window.name)
        for index, expression in enumerate(window.starts):
            suffix = "" if len(window.starts) == 1 else f"_{index + 1}"
            self._action(
                f"{key}_start{suffix}",
                f"{name}-{window.name}-start{suffix.replace('_', '-')}",
                expression,
                window.timezone,
                window.min_capacity,
                window.max_capacity,
            )
        self._action(f"{key}_end", f"{name}-{window.name}-end", window.end, window.timezone, *capacity)

    def _action(self, key: str, action_name: str, schedule: str, timezone: str, low: int, high: int) -> None:
        tracked(
            AppautoscalingScheduledAction(
                self,
                key,
                name=action_name,
                service_namespace=self.target.service_namespace,
                scalable_dimension=self.target.scalable_dimension,
                resource_id=self.target.resource_id,
                schedule=schedule,
                timezone=timezone,
                scalable_target_action=TargetAction(min_capacity=str(low), max_capacity=str(high)),
            )
        )

    def _tracking(self, key: str, policy_name: str, value: int, metric: str, label: str | None = None) -> None:
        tracked(
            AppautoscalingPolicy(
                self,
                key,
                name=policy_name,
                policy_type="TargetTrackingScaling",
                service_namespace=self.target.service_namespace,
                scalable_dimension=self.target.scalable_dimension,
                resource_id=self.target.resource_id,
                target_tracking_scaling_policy_configuration=TargetTracking(
                    target_value=value,
                    scale_in_cooldown=300,
                    scale_out_cooldown=60,
                    predefined_metric_specification=PredefinedMetric(
                        predefined_metric_type=metric, resource_label=label
                    ),
                ),
            )
        )
