"""CI step records (`ci-record`) and what the comment makes of them: never a false green.

Each workflow job ends with `python main.py ci-record --job JOB [--env ENV]` (`if: always()`),
given GitHub's `${{ toJSON(steps) }}` in HCLGEN_STEPS_JSON: {step_id: {outcome, conclusion,
outputs}} for the steps that have an `id:`. The record, .hclgen/status/JOB[-ENV].json, keeps each
step's id, human name and outcome, and of the step outputs only the affected env list (step
`affected`, output `envs`): other outputs may carry anything.

Step names: STEP_NAMES below for the ids the generated workflows use; `--name id=Human name`
adds or overrides one; any other id is shown as itself.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from generator.errors import HclgenError, UsageError
from generator.plan.model import EnvPlan, failed_plan

STEPS_VAR = "HCLGEN_STEPS_JSON"
RECORD_SCHEMA = 1
CHECK_JOB = "check"  # the job that checks the change and lists the affected envs
AFFECTED_STEP = "affected"
STEP_NAMES: dict[str, str] = {
    "synth-check": "Committed HCL matches the Python (synth --check)",
    "fmt": "Terraform format",
    "validate": "Terraform validate",
    "affected": "Affected environments",
    "credentials": "AWS credentials",
    "plan": "Plan",
    "policy": "Policy findings (checkov)",
    "artifact": "Plan artifact",
}
FAILED_OUTCOMES = ("failure", "cancelled")


@dataclass(frozen=True)
class StepRecord:
    id: str
    name: str
    outcome: str  # success, failure, cancelled, skipped (before continue-on-error)
    conclusion: str


@dataclass(frozen=True)
class JobRecord:
    """One job's steps as GitHub reported them at the job's end."""

    job: str
    env: str | None
    steps: tuple[StepRecord, ...]
    affected: tuple[str, ...] | None = None  # the `affected` step's envs output, when it ran
    schema: int = RECORD_SCHEMA

    @property
    def failed(self) -> tuple[StepRecord, ...]:
        return tuple(step for step in self.steps if step.outcome in FAILED_OUTCOMES)

    def file_name(self) -> str:
        return f"{self.job}-{self.env}.json" if self.env else f"{self.job}.json"


@dataclass(frozen=True)
class Failure:
    """A step that failed (or was cancelled): which, in which job, for which env."""

    job: str
    env: str | None
    step_id: str
    step_name: str
    outcome: str


def parse_names(pairs: Sequence[str]) -> dict[str, str]:
    """`--name id=Human name` options -> {id: name}."""
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise UsageError(f"--name {pair!r}: expected STEP_ID=Human name")
        out[key.strip()] = value.strip()
    return out


def _affected(outputs: Any) -> tuple[str, ...] | None:
    raw = outputs.get("envs") if isinstance(outputs, dict) else None
    if raw is None:
        return None
    try:
        envs = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        raise UsageError(f"step {AFFECTED_STEP!r}: output envs is not JSON: {raw!r}") from None
    if not isinstance(envs, list) or not all(isinstance(env, str) for env in envs):
        raise UsageError(f"step {AFFECTED_STEP!r}: output envs must be a JSON list of names, got {raw!r}")
    return tuple(envs)


def record_from_steps(job: str, env: str | None, steps_json: str | None, names: Mapping[str, str]) -> JobRecord:
    """The job record from GitHub's steps context (JSON text)."""
    if not steps_json:
        raise UsageError(f"{STEPS_VAR} is not set: give the step `env: {STEPS_VAR}: ${{{{ toJSON(steps) }}}}`")
    try:
        steps = json.loads(steps_json)
    except ValueError as err:
        raise UsageError(f"{STEPS_VAR} is not JSON: {err}") from None
    if not isinstance(steps, dict) or not all(isinstance(v, dict) for v in steps.values()):
        raise UsageError(f"{STEPS_VAR} must be the steps context: an object of step id -> {{outcome, conclusion}}")
    table = {**STEP_NAMES, **names}
    records = tuple(
        StepRecord(
            id=str(key),
            name=table.get(str(key), str(key)),
            outcome=str(value.get("outcome") or "unknown"),
            conclusion=str(value.get("conclusion") or "unknown"),
        )
        for key, value in steps.items()
    )
    affected = _affected(steps[AFFECTED_STEP].get("outputs")) if AFFECTED_STEP in steps else None
    return JobRecord(job=job, env=env or None, steps=records, affected=affected)


def write_record(folder: Path, record: JobRecord) -> Path:
    """Write the record whole (temporary file, then rename) or fail with one line."""
    path = folder / record.file_name()
    tmp = folder / f".{record.file_name()}.hclgen-tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(asdict(record), indent=2, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except OSError as err:
        if tmp.is_file():
            tmp.unlink()
        raise HclgenError(f"cannot write the status record {path}: {err.strerror or err}") from None
    return path


def record_job(job: str, env: str | None, names: Sequence[str], out: Path | None) -> tuple[JobRecord, Path]:
    """`ci-record`: this job's steps ($HCLGEN_STEPS_JSON) written to `out` (default .hclgen/status)."""
    from generator.paths import check_name, check_output_dir, mark_owned, project_root, work_dir

    check_name(job, "--job")
    if env:
        check_name(env, "--env")
    record = record_from_steps(job, env, os.environ.get(STEPS_VAR), parse_names(names))
    root = project_root()
    folder = work_dir(root) / "status" if out is None else check_output_dir(root, out, "--out")
    path = write_record(folder, record)
    mark_owned(folder, "ci-record")
    return record, path


def _read_record(path: Path) -> JobRecord:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if int(data.get("schema", 0)) > RECORD_SCHEMA:
            raise UsageError(f"status record {path} is schema {data['schema']}, newer than this hclgen; upgrade")
        steps = tuple(StepRecord(**step) for step in data["steps"])
        affected = data.get("affected")
        return JobRecord(
            job=str(data["job"]),
            env=data.get("env"),
            steps=steps,
            affected=None if affected is None else tuple(affected),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise UsageError(f"cannot read status record {path}: {err}") from None


@dataclass(frozen=True)
class CiStatus:
    """What the jobs recorded: failures, whether the checks finished, and the affected envs."""

    records: tuple[JobRecord, ...]
    check_job: str = CHECK_JOB

    @property
    def check(self) -> JobRecord | None:
        return next((r for r in self.records if r.job == self.check_job and not r.env), None)

    @property
    def checks_recorded(self) -> bool:
        return self.check is not None

    @property
    def failures(self) -> tuple[Failure, ...]:
        """Failed steps, the check job first, then by job and env."""
        ordered = sorted(self.records, key=lambda r: (r.job != self.check_job, r.job, r.env or ""))
        return tuple(Failure(r.job, r.env, s.id, s.name, s.outcome) for r in ordered for s in r.failed)

    @property
    def checks_failed(self) -> bool:
        return self.check is None or bool(self.check.failed)

    @property
    def affected(self) -> tuple[str, ...] | None:
        return self.check.affected if self.check is not None else None

    @property
    def nothing_affected(self) -> bool:
        """The one case for "no environment is affected": the checks passed and listed none."""
        return not self.checks_failed and self.affected == ()

    @property
    def no_plans_reason(self) -> str:
        """Why there is no plan to show, when that is not "nothing is affected"."""
        if self.checks_failed:
            return "the checks did not finish, so which environments this change affects is not known"
        return (
            f"the check job recorded no affected list (its step `{AFFECTED_STEP}` did not run or has no "
            "`envs` output), so which environments this change affects is not known"
        )

    def env_failure(self, env: str) -> Failure | None:
        return next((f for f in self.failures if f.env == env), None)


def read_status(folder: Path, check_job: str = CHECK_JOB) -> CiStatus:
    """Every record in the folder (a missing folder: no job recorded anything)."""
    paths = sorted(folder.glob("*.json")) if folder.is_dir() else []
    return CiStatus(tuple(_read_record(path) for path in paths), check_job)


def _why_not_planned(env: str, status: CiStatus) -> str:
    failure = status.env_failure(env)
    if failure is not None:
        # plain words: the template escapes env errors (they also come from meta.json), so no code spans here
        return f'not planned: step "{failure.step_name}" {_verb(failure.outcome)} in job "{failure.job}"'
    if status.checks_failed:
        return "not planned: the checks did not pass"
    return "no plan artifact: the plan job of this environment left no plan folder (see the workflow run)"


def _verb(outcome: str) -> str:
    return "was cancelled" if outcome == "cancelled" else "failed"


def with_status(plans: Sequence[EnvPlan], status: CiStatus) -> tuple[EnvPlan, ...]:
    """The plans, plus a failed entry for each env that should have a plan and has none."""
    have = {plan.env for plan in plans}
    expected = [*(status.affected or ()), *(r.env for r in status.records if r.env)]
    missing = [env for env in dict.fromkeys(expected) if env not in have]
    return (*plans, *(failed_plan(env, _why_not_planned(env, status)) for env in missing))
