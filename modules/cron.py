"""The schedule expressions Application Auto Scaling accepts: cron(6 fields), at(...), rate(...).

cron fields: minutes hours day-of-month month day-of-week year, with the wildcards AWS documents
(, - * / everywhere they apply; ? in exactly one of the two day fields; L and W in
day-of-month; L and # in day-of-week). AWS has no `L-n` (n days before the month's end).
"""

from __future__ import annotations

import re
from collections.abc import Callable

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_DAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
# (name, low, high, names usable instead of numbers)
_FIELDS: tuple[tuple[str, int, int, tuple[str, ...]], ...] = (
    ("minutes", 0, 59, ()),
    ("hours", 0, 23, ()),
    ("day-of-month", 1, 31, ()),
    ("month", 1, 12, _MONTHS),
    ("day-of-week", 1, 7, _DAYS),
    ("year", 1970, 2199, ()),
)
_AT = re.compile(r"at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)")
_RATE = re.compile(r"rate\((1 (minute|hour|day)|([2-9]|[1-9]\d+) (minutes|hours|days))\)")


def problem(expression: str) -> str | None:
    """None when AWS accepts the expression, else what is wrong with it (one line)."""
    if _AT.fullmatch(expression) or _RATE.fullmatch(expression):
        return None
    match = re.fullmatch(r"cron\((.*)\)", expression)
    if not match:
        return "must be cron(...), at(yyyy-mm-ddThh:mm:ss) or rate(N unit)"
    fields = match.group(1).split()
    if len(fields) != 6:
        return f"cron needs 6 fields (minutes hours day-of-month month day-of-week year), got {len(fields)}"
    day_of_month, day_of_week = fields[2], fields[4]
    if (day_of_month == "?") == (day_of_week == "?"):
        return "cron needs ? in exactly one of day-of-month and day-of-week"
    for value, (name, low, high, names) in zip(fields, _FIELDS):
        error = _field_problem(name, value, low, high, names)
        if error:
            return error
    return None


def _field_problem(name: str, value: str, low: int, high: int, names: tuple[str, ...]) -> str | None:
    if value == "?":
        return None if name in ("day-of-month", "day-of-week") else f"{name}: ? is only for the day fields"
    special = _SPECIAL.get(name, _never)
    for part in value.split(","):
        if re.fullmatch(r"L-\d+", part):
            return f"{name}: {part!r}: AWS cron has no 'L-n'; list the days per month instead"
        if special(part):
            continue
        if not _plain(part, low, high, names):
            return f"{name}: {part!r} is not valid here ({low}-{high}{', names' if names else ''}, , - * /)"
    return None


def _never(_part: str) -> bool:
    return False


def _day_of_month(part: str) -> bool:
    return part in ("L", "LW") or bool(re.fullmatch(r"\d{1,2}W", part) and 1 <= int(part[:-1]) <= 31)


def _day_of_week(part: str) -> bool:
    return part == "L" or bool(re.fullmatch(r"[1-7]L|[1-7]#[1-5]", part))


_SPECIAL: dict[str, Callable[[str], bool]] = {"day-of-month": _day_of_month, "day-of-week": _day_of_week}


def _plain(part: str, low: int, high: int, names: tuple[str, ...]) -> bool:
    base, _, step = part.partition("/")
    if step and not (step.isdigit() and 1 <= int(step) <= high):
        return False
    if base == "*":
        return True
    bounds = base.split("-")
    if len(bounds) > 2:
        return False
    return all(_value(bound, low, high, names) for bound in bounds)


def _value(text: str, low: int, high: int, names: tuple[str, ...]) -> bool:
    if text.upper() in names:
        return True
    return text.isdigit() and low <= int(text) <= high


def month_end(days_before: int, *, hour: int = 0, minute: int = 0) -> tuple[str, ...]:
    """cron expressions firing `days_before` days before each month's last day.

    One expression per month length, since AWS cron cannot count back from L. February
    counts as 28 days: in leap years it fires one day early, never late.
    """
    lengths = {31: "1,3,5,7,8,10,12", 30: "4,6,9,11", 28: "2"}
    return tuple(f"cron({minute} {hour} {length - days_before} {months} ? *)" for length, months in lengths.items())
