"""Cost of one plan with the env's usage assumptions, and the plain-text / JSON report of it."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from generator.errors import UsageError
from generator.review.cost.estimate import EnvCost
from generator.review.cost.lines import Line
from generator.review.cost.usage import Usage


def _usage_dir(env: str) -> Path | None:
    from generator.paths import project_root

    try:
        folder = project_root() / "environments" / env
    except UsageError:
        return None  # pricing a plan outside a checkout: default usage
    return folder if folder.is_dir() else None


def estimate(
    env: str, plan: Mapping[str, Any], *, usage_file: Path | None = None, region: str | None = None
) -> EnvCost:
    """Price one env's plan with its usage file (environments/<env>/usage.toml, else defaults)."""
    from generator.review.cost.estimate import env_cost, failed_cost, plan_region
    from generator.review.cost.pricing import load_prices
    from generator.review.cost.usage import Usage, load_usage

    where = region or plan_region(plan)
    if where is None:
        return failed_cost(env, "unknown", "the plan's AWS region is not a constant (pass --region)")
    try:
        prices = load_prices(where)
    except UsageError as err:
        return failed_cost(env, where, str(err))
    source: Path | None = usage_file
    if usage_file is not None:
        usage = _usage(usage_file)
    else:
        folder = _usage_dir(env)
        usage, source = load_usage(folder) if folder else (Usage(), None)
    return env_cost(env, plan, prices, usage, _display(source))


def _usage(path: Path) -> Usage:
    import tomllib

    from generator.review.cost.usage import usage_from_mapping

    try:
        return usage_from_mapping(tomllib.loads(path.read_text(encoding="utf-8")), str(path))
    except (OSError, ValueError) as err:  # TOMLDecodeError and not-UTF-8 are ValueErrors
        raise UsageError(f"cannot read usage file {path}: {err}") from None


def _display(path: Path | None) -> str | None:
    if path is None:
        return None
    parts = path.resolve().parts
    return "/".join(parts[parts.index("environments") :]) if "environments" in parts else str(path)


def _row(line: Line) -> str:
    from generator.review.cost.estimate import formula

    return f"  {line.address:<42} {line.item:<58} {formula(line)}"


def report_lines(cost: EnvCost, *, whole_env: bool) -> list[str]:
    """The plain-text report `cost` prints."""
    from generator.review.cost.estimate import money, total_text

    if cost.error:
        return [f"{cost.env}: no estimate: {cost.error}"]
    out = [
        f"{cost.env} ({cost.region}): {total_text(cost.after)} per month"
        + (" for the committed HCL (offline plan against empty state)" if whole_env else " after the plan")
    ]
    if not whole_env:
        out.append(
            f"  before {money(cost.before.total)}, after {money(cost.after.total)}, "
            f"delta {money(cost.delta, signed=True)}"
        )
        if cost.changes:
            out += ["", "  changed lines (before -> after):"]
            for change in cost.changes:
                old = money(change.before.amount) if change.before else "-"
                new = money(change.after.amount) if change.after else "-"
                item = (change.after or change.before).item  # type: ignore[union-attr]
                out.append(f"  {change.address:<42} {item:<58} {old} -> {new} ({money(change.delta, signed=True)})")
    out += ["", f"  {'resource':<42} {'item':<58} quantity × unit price = monthly"]
    out += [_row(line) for line in cost.after.top(len(cost.after.lines))]
    out.append(f"  {'total':<42} {'':<58} {total_text(cost.after)}")
    out += _free_tier(cost)
    if cost.unpriced:
        out += ["", "Not priced (not counted in the total):"]
        out += [f"  {u.address} ({u.type}): {u.reason}" for u in cost.unpriced]
    out += [
        "",
        f"Assumes ({cost.usage_file or 'default usage'}): " + "; ".join(cost.assumptions),
        f"Prices: hclgen price table for {cost.region}, USD on-demand, as of {cost.as_of}; "
        "no free tier deducted, no taxes or data transfer out",
    ]
    return out


def _free_tier(cost: EnvCost) -> list[str]:
    """The account's always-free allowances, on a line of their own: shared by every env, never deducted."""
    from generator.review.cost.estimate import money
    from generator.review.cost.freetier import free_tier

    found = free_tier(cost.after.lines)
    if not found:
        return []
    worth = sum(usd for _, usd in found)
    return [
        f"  {'free tier (per account, not deducted)':<42} {'if no other env of the account uses it':<58} "
        f"-{money(worth)}",
        f"  {'':<42} ({', '.join(f'{what} {money(usd)}' for what, usd in found)})",
    ]


def to_json_document(cost: EnvCost) -> dict[str, Any]:
    from generator.review.cost.freetier import savings, to_json

    def line(item: Line) -> dict[str, Any]:
        return {
            "address": item.address,
            "key": item.key,
            "item": item.item,
            "quantity": item.quantity,
            "unit": item.price.unit,
            "unit_price": item.price.usd,
            "amount": round(item.amount, 4),
            "price_key": item.price.key,
            "low": item.low,
            "high": item.high,
        }

    return {
        "env": cost.env,
        "region": cost.region,
        "error": cost.error,
        "before": round(cost.before.total, 4),
        "after": round(cost.after.total, 4),
        "after_low": round(cost.after.low, 4),
        "after_high": round(cost.after.high, 4),
        "delta": round(cost.delta, 4),
        "lines": [line(item) for item in cost.after.lines],
        "unpriced": [{"address": u.address, "type": u.type, "reason": u.reason} for u in cost.unpriced],
        "free_tier": to_json(savings(cost.after.lines)),  # what it would save; "after" never has it deducted
        "assumptions": list(cost.assumptions),
        "usage_file": cost.usage_file,
        "as_of": cost.as_of,
    }


def plan_file(target: str) -> tuple[Path, str] | None:
    path = Path(target)
    if path.suffix != ".json" and not path.is_dir():
        return None
    file = path / "plan.json" if path.is_dir() else path
    meta = file.parent / "meta.json"
    try:
        data = json.loads(meta.read_text(encoding="utf-8")) if meta.is_file() else None
    except (OSError, ValueError):
        data = None
    name = data.get("env") if isinstance(data, dict) and isinstance(data.get("env"), str) else None
    return file, str(name or file.stem)


def estimate_target(
    target: str,
    *,
    usage_file: Path | None,
    region: str | None,
    plan_env: Callable[[str], tuple[Mapping[str, Any], str]],
) -> tuple[EnvCost, bool]:
    """`cost TARGET`: (the estimate, whether it prices a whole env). TARGET is a plan file or
    folder, else an env that `plan_env` plans (returning its plan and region)."""
    from generator.plan.source import read_plan_json

    found = plan_file(target)
    if found is not None:
        plan, name, whole = read_plan_json(found[0]), found[1], False
        if not isinstance(plan, dict) or "format_version" not in plan:
            raise UsageError(f"{found[0]} is not `terraform show -json` output")
    else:
        plan, env_region = plan_env(target)
        name, whole, region = target, True, region or env_region
    return estimate(name, plan, usage_file=usage_file, region=region), whole


def plan_cost(path: Path, env: str) -> EnvCost:
    """The cost estimate of one plan (file or folder), with the env's usage assumptions."""
    from generator.plan.source import read_plan_json

    plan_path = path / "plan.json" if path.is_dir() else path
    return estimate(env, read_plan_json(plan_path))
