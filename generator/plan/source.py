"""Where the comment's plans come from: plan JSON files or plan folders, with their source maps."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from generator.diagram.model import Pictures
from generator.errors import UsageError
from generator.paths import project_root
from generator.plan import files as planfiles
from generator.plan import planjson
from generator.plan.model import EnvPlan, env_plan, failed_plan
from generator.render.pipeline import sources_path

FOLDER_SOURCES = "sources.json"
unwrap = planjson.unwrap  # where callers found it before the plan model had its own parser


def read_json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{what} {path} does not exist") from None
    except (OSError, ValueError) as err:
        raise UsageError(f"cannot read {what} {path}: {err}") from None


def read_plan_json(path: Path) -> Any:
    """A plan JSON file, as `terraform show -json` wrote it or as CI captured it (planjson.unwrap), checked."""
    try:
        text = planjson.decode(path.read_bytes())
    except FileNotFoundError:
        raise UsageError(f"plan {path} does not exist") from None
    except (OSError, ValueError) as err:
        raise UsageError(f"cannot read plan {path}: {err}") from None
    try:
        return planjson.parse(text)
    except planjson.PlanFormatError as err:
        shown = str(err)
        raise planjson.PlanFormatError(
            f"{path} is not `terraform show -json` output"
            if shown == planjson.NOT_A_PLAN
            else f"cannot read plan {path}: {shown}"
        ) from None


_ENV_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$")


def _env_name(plan_path: Path, meta: planfiles.PlanMeta | None, override: str | None) -> str:
    """--env, else meta.json's env; either must be an env folder name (it goes into links and markers)."""
    if override:
        name, where = override, "--env"
    elif meta is None:
        raise UsageError(f'no env name for {plan_path}: no meta.json with "env" beside it; pass --env NAME')
    else:
        name, where = meta.env, f"{plan_path.parent / planfiles.META_FILE}"
    if not isinstance(name, str) or not _ENV_NAME.match(name):
        raise UsageError(f"{where}: env name {str(name)[:40]!r} is not an environment name (letters, digits, - and _)")
    return name


def _default_sources(env: str) -> Path | None:
    try:
        candidate = sources_path(project_root(), env)
    except UsageError:
        return None  # rendering plans outside a checkout: no source map, no links
    return candidate if candidate.is_file() else None


def _sources_for(path: Path, env: str, given: Path | None) -> Path | None:
    """--sources, else the plan folder's own sources.json (an `artifact` folder), else .hclgen/sources/."""
    own = path / FOLDER_SOURCES
    return given or (own if path.is_dir() and own.is_file() else _default_sources(env))


def load_sources(path: Path | None) -> Mapping[str, str]:
    """A source map (address -> "file:line"); empty without one."""
    if path is None:
        return {}
    data = read_json(path, "source map")
    if not isinstance(data, dict):
        raise UsageError(f'source map {path} must be a JSON object of address -> "file:line"')
    return {str(k): str(v) for k, v in data.items()}


def load_env_plan(path: Path, env_override: str | None, sources: Path | None) -> EnvPlan:
    """One env's plan: a `terraform show -json` file, or a plan folder (.hclgen/plans/<env>/).

    A folder whose meta.json records a failed plan becomes a failed entry in the comment."""
    folder, plan_path = (path, path / planfiles.PLAN_JSON) if path.is_dir() else (path.parent, path)
    meta = planfiles.read_meta(folder)
    if path.is_dir() and meta is not None and meta.failed:
        return failed_plan(_env_name(plan_path, meta, env_override), meta.error or None)
    plan = read_plan_json(plan_path)
    env = _env_name(plan_path, meta, env_override)
    text_path = folder / planfiles.PLAN_TEXT
    text = text_path.read_text(encoding="utf-8", errors="replace") if text_path.is_file() else None
    planned = env_plan(env, plan, load_sources(_sources_for(path, env, sources)), text)
    return replace(planned, stale=tuple(meta.stale)) if meta is not None and meta.stale else planned


def plan_diagrams(paths: tuple[Path, ...], plans: list[EnvPlan], sources: Path | None) -> dict[str, Pictures]:
    """env -> the compact Mermaid diagram's parts, changes marked, for each env whose plan changes resources."""
    from generator.diagram.plan import plan_diagram

    out: dict[str, Pictures] = {}
    for path, plan in zip(paths, plans):
        if plan.errored or not plan.changes:
            continue
        document = read_plan_json(path / planfiles.PLAN_JSON if path.is_dir() else path)
        text = plan_diagram(plan.env, document, load_sources(_sources_for(path, plan.env, sources)))
        if text:
            out[plan.env] = text
    return out
