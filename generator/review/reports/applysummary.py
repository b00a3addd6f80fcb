"""The apply run's summary: which envs applied, failed, were skipped, or are still pending.

Inputs are what the apply workflow has: the envs in promotion order and its `needs` object
(`${{ toJSON(needs) }}`: {job_id: {"result": "success" | "failure" | "cancelled" | "skipped"}}).
Each env's job id is `apply-<env>`. An env not applied while an env before it in the order failed
or was cancelled is pending: its change is merged but not live. Without such a failure, a
skipped (or absent) job means the env had nothing to apply in this run.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generator.errors import UsageError
from generator.review.comment import mdescape

JOB_PREFIX = "apply-"
_RESULTS = ("success", "failure", "cancelled", "skipped")


def job_id(env: str) -> str:
    return f"{JOB_PREFIX}{env}"


@dataclass(frozen=True)
class Row:
    env: str
    status: str  # applied | failed | cancelled | pending | skipped
    note: str = ""


def parse(envs_json: str, results_json: str) -> tuple[list[str], dict[str, str]]:
    """(envs in order, job id -> result) from the two JSON arguments; one-line errors."""
    try:
        envs, needs = json.loads(envs_json), json.loads(results_json)
    except ValueError as err:
        raise UsageError(f"--envs and --results must be JSON: {err}") from None
    if not isinstance(envs, list) or not all(isinstance(e, str) and e for e in envs):
        raise UsageError(f"--envs must be a JSON list of env names in promotion order, got {envs_json!r}")
    if not isinstance(needs, dict):
        raise UsageError("--results must be the JSON object `${{ toJSON(needs) }}` of the apply jobs")
    results: dict[str, str] = {}
    for job, value in needs.items():
        result = value.get("result") if isinstance(value, dict) else None
        if result not in _RESULTS:
            raise UsageError(f"--results: job {job!r} has no result of {', '.join(_RESULTS)} (got {value!r})")
        results[str(job)] = str(result)
    return list(envs), results


def rows(envs: list[str], results: Mapping[str, str]) -> list[Row]:
    out: list[Row] = []
    blocker: Row | None = None
    for env in envs:
        result = results.get(job_id(env))
        if result == "success":
            out.append(Row(env, "applied"))
        elif result in ("failure", "cancelled"):
            row = Row(env, "failed" if result == "failure" else "cancelled")
            blocker = blocker or row
            out.append(row)
        elif blocker is not None:
            out.append(Row(env, "pending", f"not applied: {mdescape.code(blocker.env)} {blocker.status} before it"))
        else:
            out.append(Row(env, "skipped", "nothing to apply in this run" if result else f"no job {job_id(env)}"))
    return out


_ICONS = {"applied": "✅", "failed": "❌", "cancelled": "⏹️", "pending": "⏳", "skipped": "➖"}


def markdown(table: list[Row]) -> str:
    def names(status: str) -> str:
        picked = [mdescape.code(r.env) for r in table if r.status == status]  # names come from a flag
        return ", ".join(picked) or "none"

    head = [
        "## Apply summary",
        "",
        f"Applied: {names('applied')} · failed: {names('failed')}"
        + (f" · cancelled: {names('cancelled')}" if any(r.status == "cancelled" for r in table) else "")
        + f" · still pending: {names('pending')}",
        "",
        "| Environment | Result | |",
        "| :-- | :-- | :-- |",
    ]
    body = [f"| {mdescape.code(r.env)} | {_ICONS[r.status]} {r.status} | {r.note} |" for r in table]
    return "\n".join(head + body) + "\n"


def summarize(envs_json: str, results_json: str) -> tuple[str, list[Row]]:
    envs, results = parse(envs_json, results_json)
    known = {job_id(env) for env in envs}
    unknown = sorted(job for job in results if job.startswith(JOB_PREFIX) and job not in known)
    if unknown:
        raise UsageError(f"--results has apply jobs for envs not in --envs: {', '.join(unknown)}")
    table = rows(envs, results)
    return markdown(table), table


def as_json(table: list[Row]) -> dict[str, Any]:
    return {status: [r.env for r in table if r.status == status] for status in _ICONS}
