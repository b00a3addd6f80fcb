"""Failed applies are loud: a comment on the merged pull request, one open issue per env until
a later apply of it succeeds, and the apply run's summary of applied / failed / pending envs.

The text, and `report` (report-apply's engine) posting it through ghissues.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.codehost import Issues
from generator.errors import UsageError
from generator.github import issues as ghissues
from generator.github.context import RunContext
from generator.review.comment.markup import fence

LOG_LINES = 60  # of an apply log's error part shown in the comment and the issue
_ERROR_START = re.compile(r"^[│|]?\s*Error:")


def tracked(env: str) -> ghissues.Tracked:
    return ghissues.Tracked("apply-failed", env, f"Apply failed: {env}")


@dataclass(frozen=True)
class Run:
    """The workflow run that applied: commit and run page (None outside GitHub Actions)."""

    sha: str | None
    url: str | None

    @classmethod
    def of(cls, run: RunContext) -> Run:
        return cls(run.sha, run.run_url)

    @property
    def commit(self) -> str:
        return f"`{self.sha[:12]}`" if self.sha else "an unknown commit"

    @property
    def link(self) -> str:
        return f"[the workflow run]({self.url})" if self.url else "the workflow run"


def log_excerpt(text: str) -> str:
    """The failing part of an apply's output: from the first `Error:` on, else its last lines."""
    lines = text.rstrip().splitlines()
    start = next((i for i, line in enumerate(lines) if _ERROR_START.match(line)), max(0, len(lines) - 30))
    part = lines[start : start + LOG_LINES]
    more = len(lines) - start - len(part)
    return "\n".join(part + ([f"... {more} more lines in the workflow log"] if more > 0 else []))


def plan_facts(root: Path, env: str) -> tuple[list[str] | None, str | None]:
    """(summary lines of the plan being applied, or the plan's error) from .hclgen/plans/ENV."""
    from generator.paths import work_dir
    from generator.plan import files as planfiles
    from generator.plan import summary
    from generator.plan.source import load_env_plan

    folder = work_dir(root) / "plans" / env
    meta = planfiles.read_meta(folder)
    if meta is not None and meta.failed:
        return None, meta.error or "the plan failed"
    if not (folder / planfiles.PLAN_JSON).is_file():
        return None, None
    return summary.lines(load_env_plan(folder, env, None)), None


def detail(plan_summary: list[str] | None, plan_error: str | None, log: str | None) -> str:
    """Markdown: what failed as far as the files say (the apply log, the plan being applied)."""
    parts = []
    if log and log.strip():
        parts += ["The apply's error:", "", fence(log_excerpt(log), "text"), ""]
    if plan_error:
        parts += ["The plan before the apply failed:", "", fence(plan_error, "text"), ""]
    elif plan_summary:
        parts += ["The plan it was applying:", "", fence("\n".join(plan_summary), "text"), ""]
    return "\n".join(parts) if parts else "No plan or log of this apply was found; see the workflow log.\n"


def report(root: Path, env: str, outcome: str, log_file: Path | None, context: RunContext, *, post: bool) -> str:
    """`report-apply ENV`: what it posts for `outcome` (success, failure, cancelled) and the lines
    saying so; without `post`, the text it would post."""
    from generator.render.project import load

    load(root, [env])  # an unknown env is a one-line error before anything is posted
    run = Run.of(context)
    if outcome == "cancelled":
        return f"{env}: the apply was cancelled; nothing posted (the env stays as it was, its change pending)"
    repo = ghissues.repository_of(context) if post else None
    if outcome == "success":
        if repo is None:
            title = tracked(env).title
            return f'would close the open issue "{title}" (if any) with:\n\n' + success_comment(env, run)
        with ghissues.IssueClient(repo.api_url, repo.token) as client:
            return "\n".join(post_success(client, repo.name, env, run))
    what = detail(*plan_facts(root, env), read_log(log_file))
    if repo is None:
        return (
            f"would comment on the merged pull request of {run.sha or '$GITHUB_SHA'}:\n\n"
            + pr_comment(env, run, what)
            + f'\nwould open or update the issue "{tracked(env).title}":\n\n'
            + issue_body(env, run, None, what)
        )
    with ghissues.IssueClient(repo.api_url, repo.token) as client:
        return "\n".join(post_failure(client, repo.name, env, run, what))


def read_log(path: Path | None) -> str | None:
    if path is None:
        return None
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError as err:
        raise UsageError(f"cannot read --log {path}: {err.strerror or err}") from None


def pr_comment(env: str, run: Run, what: str) -> str:
    return "\n".join(
        [
            f"❌ **The apply of `{env}` failed** after this pull request was merged ({run.commit}); see {run.link}.",
            "",
            what.rstrip(),
            "",
            f'Issue "{tracked(env).title}" stays open until an apply of `{env}` succeeds.',
            "",
        ]
    )


def issue_body(env: str, run: Run, pull: Mapping[str, object] | None, what: str) -> str:
    merged = f" of pull request #{pull.get('number')}" if pull and pull.get("number") else ""
    return "\n".join(
        [
            tracked(env).marker,
            f"## Apply failed: `{env}`",
            "",
            f"The last apply of `{env}` ({run.commit}{merged}) failed; see {run.link}. `{env}` may be partly "
            "applied: later changes to it wait until it applies cleanly.",
            "",
            what.rstrip(),
            "",
            f"Closed automatically when an apply of `{env}` succeeds.",
            "",
        ]
    )


def success_comment(env: str, run: Run) -> str:
    return f"✅ `{env}` applied successfully at {run.commit} ({run.link}). Closing."


def post_failure(client: Issues, repository: str, env: str, run: Run, what: str) -> list[str]:
    out = []
    pull = client.merged_pull(repository, run.sha) if run.sha else None
    if pull is None:
        out.append(f"{env}: no pull request found for commit {run.sha or '(GITHUB_SHA unset)'}; no comment")
    else:
        comment = client.create_comment(repository, int(str(pull["number"])), pr_comment(env, run, what))
        out.append(f"{env}: commented on pull request #{pull['number']}" + _url(comment))
    verb, issue = ghissues.upsert(client, repository, tracked(env), issue_body(env, run, pull, what))
    out.append(f"{env}: {verb} issue #{issue.get('number')}" + _url(issue))
    return out


def post_success(client: Issues, repository: str, env: str, run: Run) -> list[str]:
    _, closed = ghissues.close(client, repository, tracked(env), success_comment(env, run))
    return [
        f"{env}: closed issue #{closed.get('number')}" + _url(closed)
        if closed
        else f"{env}: applied; no failed-apply issue open"
    ]


def _url(item: Mapping[str, object]) -> str:
    url = item.get("html_url")
    return f": {url}" if url else ""
