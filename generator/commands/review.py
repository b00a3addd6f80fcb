"""comment (the pull-request plan comment) and affected (which envs a change touches)."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from generator.errors import UsageError

if TYPE_CHECKING:
    from generator.affected import Affected
    from generator.report import EnvPlan
    from generator.review.cost import EnvCost

NULL_SHA = "0" * 40


def _read_json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{what} {path} does not exist") from None
    except (OSError, ValueError) as err:
        raise UsageError(f"cannot read {what} {path}: {err}") from None


def _env_name(plan_path: Path, override: str | None) -> str:
    if override:
        return override
    meta = plan_path.parent / "meta.json"
    name = _read_json(meta, "plan metadata").get("env") if meta.is_file() else None
    if not isinstance(name, str) or not name:
        raise UsageError(f"no env name for {plan_path}: no meta.json with \"env\" beside it; pass --env NAME")
    return name


def _default_sources(env: str) -> Path | None:
    from generator.paths import project_root, work_dir

    try:
        candidate = work_dir(project_root()) / "sources" / f"{env}.json"
    except UsageError:
        return None  # rendering plans outside a checkout: no source map, no links
    return candidate if candidate.is_file() else None


def _load_sources(path: Path | None) -> Mapping[str, str]:
    if path is None:
        return {}
    data = _read_json(path, "source map")
    if not isinstance(data, dict):
        raise UsageError(f"source map {path} must be a JSON object of address -> \"file:line\"")
    return {str(k): str(v) for k, v in data.items()}


def load_env_plan(path: Path, env_override: str | None, sources: Path | None) -> EnvPlan:
    """One env's plan: a `terraform show -json` file, or a plan folder (.hclgen/plans/<env>/).

    A folder whose meta.json records a failed plan becomes a failed entry in the comment."""
    from generator.report import env_plan, failed_plan

    folder, plan_path = (path, path / "plan.json") if path.is_dir() else (path.parent, path)
    meta_path = folder / "meta.json"
    meta = _read_json(meta_path, "plan metadata") if meta_path.is_file() else {}
    if path.is_dir() and meta.get("failed"):
        return failed_plan(_env_name(plan_path, env_override), str(meta.get("error") or "") or None)
    plan = _read_json(plan_path, "plan")
    if not isinstance(plan, dict) or "format_version" not in plan:
        raise UsageError(f"{plan_path} is not `terraform show -json` output")
    env = _env_name(plan_path, env_override)
    text_path = folder / "plan.txt"
    text = text_path.read_text(encoding="utf-8", errors="replace") if text_path.is_file() else None
    return env_plan(env, plan, _load_sources(sources or _default_sources(env)), text)


def plan_cost(path: Path, env: str) -> EnvCost:
    """The cost estimate of one plan (file or folder), with the env's usage assumptions."""
    from generator.commands.cost import estimate

    plan_path = path / "plan.json" if path.is_dir() else path
    return estimate(env, _read_json(plan_path, "plan"))


def run_urls(environ: Mapping[str, str]) -> tuple[str | None, str | None]:
    """(workflow run page holding the artifacts, blob URL prefix of the reviewed commit) in Actions."""
    server, repo = environ.get("GITHUB_SERVER_URL"), environ.get("GITHUB_REPOSITORY")
    if not server or not repo:
        return None, None
    run_id = environ.get("GITHUB_RUN_ID")
    artifacts = f"{server}/{repo}/actions/runs/{run_id}" if run_id else None
    sha = environ.get("GITHUB_SHA")
    event_path = environ.get("GITHUB_EVENT_PATH")
    if event_path and os.path.isfile(event_path):
        try:  # the PR's head commit: GITHUB_SHA is a merge commit on pull_request events
            head = json.loads(Path(event_path).read_text(encoding="utf-8")).get("pull_request", {})
            sha = head.get("head", {}).get("sha") or sha
        except (OSError, ValueError, AttributeError):
            pass
    return artifacts, f"{server}/{repo}/blob/{sha}" if sha else None


def _post(body: str) -> None:
    from generator.comment import MARKER
    from generator.github import GitHubClient, pull_request_from_env, upsert_comment

    pr = pull_request_from_env(os.environ)
    with GitHubClient(pr.api_url, pr.token) as client:
        what, comment = upsert_comment(client, pr, body, MARKER)
    url = comment.get("html_url")
    click.echo(f"{what} the plan comment on pull request #{pr.number}" + (f": {url}" if url else ""))


@click.command("comment")
@click.argument("plan_json", nargs=-1, type=click.Path(path_type=Path), metavar="[PLAN_JSON|PLAN_DIR]...")
@click.option("--post", is_flag=True, help="Create or update the pull request's plan comment (GitHub Actions).")
@click.option("--env", "env_name", metavar="NAME", help="Env name of the (single) plan; default: its meta.json.")
@click.option("--sources", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE",
              help="Source map (address -> file:line); default .hclgen/sources/<env>.json.")
def comment(plan_json: tuple[Path, ...], post: bool, env_name: str | None, sources: Path | None) -> None:
    """Render one markdown comment from `terraform show -json` plan files (or plan folders).

    A plan folder (.hclgen/plans/ENV/) whose last plan failed shows as failed, with its error.

    Each env's monthly cost before and after its plan is estimated from the plan (usage from
    environments/ENV/usage.toml); checkov findings saved by `policy` are shown when present.

    Prints it, appends it to $GITHUB_STEP_SUMMARY when set, and with --post creates or
    updates the pull request's plan comment. No PLAN_JSON: says no environment is affected.
    """
    from generator.comment import render_comment
    from generator.report import PlanReport

    if env_name and len(plan_json) > 1:
        raise UsageError("--env names one plan; with several, each plan's meta.json names its env")
    plans = [load_env_plan(path, env_name, sources) for path in plan_json]
    names = [plan.env for plan in plans]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise UsageError(f"two plans for the same env: {', '.join(duplicates)}")
    from generator.commands.policy import load_policy

    costs = [plan_cost(path, plan.env) for path, plan in zip(plan_json, plans) if not plan.errored]
    policy = load_policy(names) if plans else None
    artifacts, blobs = run_urls(os.environ)
    body = render_comment(PlanReport(tuple(plans)), artifacts_url=artifacts, source_url=blobs, costs=costs,
                          policy=policy)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(body + "\n")
    if post:
        _post(body)
    else:
        click.echo(body, nl=False)


def changed_paths(root: Path, base: str) -> list[str]:
    """Files that differ between `base` and HEAD (three-dot: since their merge base)."""
    from generator.runner import git_output

    out = git_output(root, "diff", "--name-only", "--no-renames", f"{base}...HEAD")
    return [line for line in out.splitlines() if line.strip()]


def affected_since(root: Path, base: str | None) -> Affected:
    """The envs a change since `base` touches; every env when there is no base to compare."""
    from generator.affected import affected_envs, everything
    from generator.project import env_names

    from generator.errors import HclgenError
    from generator.runner import git_output

    names = env_names(root)
    if not base or base.strip("0") == "":
        return everything(names, "no base commit to compare with")
    try:
        git_output(root, "cat-file", "-e", f"{base}^{{commit}}")
    except HclgenError:
        if re.fullmatch(r"[0-9a-f]{40}", base):  # e.g. the commit before a force-push, now gone
            return everything(names, f"base commit {base[:12]} is not in this clone's history")
        raise UsageError(f"unknown git ref '{base}' (fetch it, or pass another --base)") from None
    return affected_envs(changed_paths(root, base), names)


@click.command("affected")
@click.option("--base", default="origin/main", show_default=True, metavar="REF",
              help="Compare HEAD with this commit (all zeros or empty: every env).")
@click.option("--github-output", is_flag=True, help="Also write envs=<JSON list> to $GITHUB_OUTPUT.")
def affected(base: str, github_output: bool) -> None:
    """Print the environments a change touches, one per line (reasons on stderr)."""
    from generator.paths import project_root

    result = affected_since(project_root(), base)
    for line in result.lines():
        click.echo(line, err=True)
    for name in result.envs:
        click.echo(name)
    if github_output:
        target = os.environ.get("GITHUB_OUTPUT")
        if not target:
            raise UsageError("--github-output needs GITHUB_OUTPUT (set by GitHub Actions)")
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(f"envs={json.dumps(list(result.envs))}\n")


COMMANDS: list[click.Command] = [comment, affected]
