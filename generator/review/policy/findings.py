"""Policy findings a change introduces or fixes: checkov on an env at the base commit and now.

Only the difference is reported, so a pull request shows what it does to security, not the
backlog. Findings are matched by (check, resource), not by line, so moving code is no change.
The committed baseline (environments/<env>/.checkov.baseline, or .checkov.baseline at the
root; checkov's own --create-baseline format) hides the findings it lists, on both sides.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

BASELINE_FILE = ".checkov.baseline"
MAX_SHOWN = 50  # per env and kind in the comment; the rest is counted


@dataclass(frozen=True)
class Finding:
    """One failed checkov check on one resource."""

    check_id: str
    check_name: str
    resource: str
    file: str  # relative to the env folder, e.g. "rds.tf"
    line: int | None = None
    guideline: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.check_id, self.resource)


@dataclass(frozen=True)
class EnvPolicy:
    """What one env's change does to its checkov findings."""

    env: str
    base: str | None
    introduced: tuple[Finding, ...] = ()
    fixed: tuple[Finding, ...] = ()
    unchanged: int = 0
    baselined: int = 0
    error: str | None = None


@dataclass(frozen=True)
class PolicyReport:
    """The policy section of the comment: per-env findings, or how to enable checkov."""

    envs: tuple[EnvPolicy, ...] = ()
    enable_hint: str | None = None  # set when checkov did not run

    @property
    def introduced(self) -> int:
        return sum(len(env.introduced) for env in self.envs)

    @property
    def fixed(self) -> int:
        return sum(len(env.fixed) for env in self.envs)


ENABLE_HINT = (
    "checkov is not installed here, so no policy findings are shown. To enable: "
    "`python main.py policy --install` (its own virtualenv in .hclgen/tools/checkov, or point "
    "HCLGEN_CHECKOV at a checkov executable), then `python main.py policy ENV... --base origin/main` "
    "before `comment`."
)


def _file(path: str, env: str) -> str:
    clean = path.replace("\\", "/").lstrip("/")
    prefix = f"environments/{env}/"
    return clean[len(prefix) :] if clean.startswith(prefix) else clean


def parse_findings(report: Any, env: str) -> list[Finding]:
    """checkov's `-o json` (one report, or a list of them per framework) -> failed checks."""
    reports = report if isinstance(report, list) else [report]
    found: dict[tuple[str, str], Finding] = {}
    for item in reports:
        if not isinstance(item, dict):
            continue
        for check in item.get("results", {}).get("failed_checks", []) or []:
            lines = check.get("file_line_range") or [None]
            finding = Finding(
                check_id=str(check["check_id"]),
                check_name=str(check.get("check_name") or ""),
                resource=str(check.get("resource") or ""),
                file=_file(str(check.get("file_path") or ""), env),
                line=lines[0],
                guideline=check.get("guideline") or None,
            )
            found.setdefault(finding.key, finding)
    return sorted(found.values(), key=lambda f: (f.resource, f.check_id))


def parse_baseline(data: Any, env: str) -> set[tuple[str, str, str]]:
    """A .checkov.baseline -> {(file, resource, check_id)} with files relative to the env folder."""
    out: set[tuple[str, str, str]] = set()
    for entry in (data or {}).get("failed_checks", []) if isinstance(data, dict) else []:
        file = _file(str(entry.get("file", "")), env)
        for finding in entry.get("findings", []):
            for check_id in finding.get("check_ids", []):
                out.add((file, str(finding.get("resource", "")), str(check_id)))
    return out


def load_baseline(root: Path, env: str) -> set[tuple[str, str, str]]:
    out: set[tuple[str, str, str]] = set()
    for path in (root / "environments" / env / BASELINE_FILE, root / BASELINE_FILE):
        if path.is_file():
            try:
                out |= parse_baseline(json.loads(path.read_text(encoding="utf-8")), env)
            except (ValueError, TypeError, AttributeError, KeyError):
                continue  # an unreadable baseline hides nothing
    return out


def without_baseline(findings: Iterable[Finding], baseline: set[tuple[str, str, str]]) -> tuple[list[Finding], int]:
    kept = [f for f in findings if (f.file, f.resource, f.check_id) not in baseline]
    return kept, sum(1 for f in findings if (f.file, f.resource, f.check_id) in baseline)


def compare(
    env: str, base: str | None, before: Sequence[Finding], after: Sequence[Finding], baseline: set[tuple[str, str, str]]
) -> EnvPolicy:
    """Findings after but not before are introduced; before but not after, fixed."""
    old, _ = without_baseline(before, baseline)
    new, hidden = without_baseline(after, baseline)
    old_keys, new_keys = {f.key for f in old}, {f.key for f in new}
    return EnvPolicy(
        env=env,
        base=base,
        introduced=tuple(f for f in new if f.key not in old_keys),
        fixed=tuple(f for f in old if f.key not in new_keys),
        unchanged=len(old_keys & new_keys),
        baselined=hidden,
    )


def to_json(policy: EnvPolicy) -> str:
    return json.dumps(asdict(policy), indent=2) + "\n"


def from_json(data: Mapping[str, Any]) -> EnvPolicy:
    def findings(items: Any) -> tuple[Finding, ...]:
        return tuple(Finding(**item) for item in items or [])

    return EnvPolicy(
        env=str(data["env"]),
        base=data.get("base"),
        introduced=findings(data.get("introduced")),
        fixed=findings(data.get("fixed")),
        unchanged=int(data.get("unchanged", 0)),
        baselined=int(data.get("baselined", 0)),
        error=data.get("error"),
    )
