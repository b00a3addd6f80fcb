"""The --lifecycle mode of refresh_plan_fixtures.py: real plans of environments/dev, by scenario.

In a throwaway copy of the project, the real CLI (`python main.py ...`) plans and applies
environments/dev against the embedded local AWS, and each plan it records is kept as a fixture
folder tests/fixtures/plans/dev-<scenario>/ (plan.json, plan.txt, meta.json, sources.json):

  create   `plan dev --local` on a fresh local AWS: everything to add
  noop     after `apply dev --local --auto-approve`, the same plan again: no changes
  update   ecs.log_retention_days 14 -> 30 and rds.backup_retention_days 1 -> 7: in place
  replace  rds.database_name "app" -> "api": the database (db_name forces a new instance)
  destroy  vpc.s3_endpoint False: the S3 gateway endpoint leaves the configuration
  resize   rds.instance_class db.t4g.micro -> db.t4g.small: in place (the cost estimate's delta)
  move     a refactor of the module code: the database, its parameter group and the VPC renamed
           (`this` -> `primary` / `main`); synth writes moved.tf, the plan moves 3, destroys 0

update, replace, destroy and resize each edit the copy's environments/dev/config.py alone (starting
from the committed one), `synth dev`, and plan against the state the apply left.

Values the local AWS makes up at random (resource IDs, ARN suffixes, addresses, timestamps)
are replaced by stable placeholders, the same value by the same placeholder in every file of
every scenario, so a rerun changes the fixtures only where the plans really differ.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scripts.projectcopy import copy_project

ENV = "dev"
CONFIG = Path("environments") / ENV / "config.py"
STABLE_ENDPOINT = "http://127.0.0.1:5000"
STABLE_TIME = "2000-01-01T00:00:00Z"
# The scenarios that edit config.py: (committed text, replacement); the text must be there.
EDITS: dict[str, tuple[tuple[str, str], ...]] = {
    "update": (
        ("log_retention_days=14", "log_retention_days=30"),
        ("backup_retention_days=1", "backup_retention_days=7"),
    ),
    "replace": (("rds=RdsInputs(", 'rds=RdsInputs(database_name="api", '),),
    "destroy": (('VpcInputs(cidr="10.0.0.0/18",', 'VpcInputs(cidr="10.0.0.0/18", s3_endpoint=False,'),),
    "resize": (('instance_class="db.t4g.micro"', 'instance_class="db.t4g.small"'),),
}
# The scenarios that edit module code instead: (file, committed text, replacement).
MODULE_EDITS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "move": (
        (
            "modules/rds.py",
            'tags={"Name": f"{name}-{family}", **inputs.tags},\n            ),\n            "this",',
            'tags={"Name": f"{name}-{family}", **inputs.tags},\n            ),\n            "primary",',
        ),
        (
            "modules/rds.py",
            '**self._insight(inputs, name),\n            ),\n            "this",',
            '**self._insight(inputs, name),\n            ),\n            "primary",',
        ),
        (
            "modules/vpc.py",
            'AwsVpc(\n                self,\n                "this",',
            'AwsVpc(\n                self,\n                "main",',
        ),
    )
}
SCENARIOS = ("create", "noop", *EDITS, *MODULE_EDITS)


@dataclass(frozen=True)
class Recorded:
    """One plan as the CLI recorded it: the files' text, before scrubbing."""

    plan_json: str
    plan_txt: str | None
    meta: dict[str, Any]
    sources: str


class Cli:
    """`python main.py ...` in the copy (HCLGEN_ROOT), timed, failing loudly."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.env = {**os.environ, "HCLGEN_ROOT": str(root), "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "18,20"}
        self.timings: list[tuple[str, float]] = []

    def __call__(self, *args: str, check: bool = True) -> str:
        started = time.monotonic()
        proc = subprocess.run(
            [sys.executable, str(self.root / "main.py"), *args],
            cwd=self.root,
            env=self.env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=1200,
        )
        took = time.monotonic() - started
        self.timings.append((" ".join(args), took))
        print(f"  {' '.join(args)}: exit {proc.returncode} in {took:.0f}s", flush=True)
        if check and proc.returncode != 0:
            raise RuntimeError(
                f"`python main.py {' '.join(args)}` failed (exit {proc.returncode}):\n"
                f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
            )
        return proc.stdout

    def record(self) -> Recorded:
        work = self.root / ".hclgen"
        folder = work / "plans" / ENV
        text = folder / "plan.txt"
        return Recorded(
            (folder / "plan.json").read_text(),
            text.read_text() if text.is_file() else None,
            json.loads((folder / "meta.json").read_text()),
            (work / "sources" / f"{ENV}.json").read_text(),
        )


def edited(text: str, scenario: str) -> str:
    for old, new in EDITS[scenario]:
        if old not in text:
            raise RuntimeError(f"{CONFIG} no longer has {old!r}: update EDITS[{scenario!r}] in {__file__}")
        text = text.replace(old, new, 1)
    return text


def edit_modules(root: Path, scenario: str) -> None:
    for rel, old, new in MODULE_EDITS[scenario]:
        path = root / rel
        if path.read_text().count(old) != 1:
            raise RuntimeError(f"{rel} no longer has {old!r}: update MODULE_EDITS[{scenario!r}] in {__file__}")
        path.write_text(path.read_text().replace(old, new))


def run(source: Path) -> dict[str, Recorded]:
    """Drive the CLI through the scenarios in a temporary copy of `source`."""
    recorded: dict[str, Recorded] = {}
    with tempfile.TemporaryDirectory(prefix="hclgen-lifecycle-") as tmp:
        root = copy_project(Path(tmp) / "project", source)
        cli = Cli(root)
        config = root / CONFIG
        committed = config.read_text()
        try:
            cli("synth", ENV)
            cli("plan", ENV, "--local")
            recorded["create"] = cli.record()
            cli("apply", ENV, "--local", "--auto-approve")
            cli("plan", ENV, "--local")
            recorded["noop"] = cli.record()
            for scenario in EDITS:
                config.write_text(edited(committed, scenario))
                cli("synth", ENV)
                cli("plan", ENV, "--local")
                recorded[scenario] = cli.record()
            config.write_text(committed)
            for scenario in MODULE_EDITS:
                edit_modules(root, scenario)
                cli("synth", ENV)
                cli("plan", ENV, "--local")
                recorded[scenario] = cli.record()
        finally:
            cli("local", "down", check=False)
        print("timings: " + ", ".join(f"{what} {took:.0f}s" for what, took in cli.timings))
    return recorded


# What the local AWS makes up; group "r" is the made-up part. Applied to each string in this
# order, so a later pattern sees the earlier placeholders (the secret suffix after the UUID).
VOLATILE: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("time", re.compile(r"(?P<r>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d))")),
    ("endpoint", re.compile(r"(?P<r>http://127\.0\.0\.1:\d+)")),
    (
        "uuid",
        re.compile(r"(?<![0-9a-f])(?P<r>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?![0-9a-f])"),
    ),
    ("ec2", re.compile(r"(?<![0-9A-Za-z])[a-z]+-(?P<r>[0-9a-f]{17})")),  # vpc-…, subnet-…, also inside r-rtb-…
    ("rds", re.compile(r"(?<![0-9A-Za-z])db-(?P<r>[0-9A-Z]{26})(?![0-9A-Za-z])")),
    ("iam", re.compile(r"(?<![0-9A-Za-z])A[A-Z]{3}(?P<r>[0-9A-Z]{17})(?![0-9A-Za-z])")),
    ("elb", re.compile(r"(?<=/)(?P<r>[0-9a-f]{16})(?![0-9A-Za-z])")),
    ("scaling", re.compile(r"scalable-target/(?P<r>[0-9a-z]{36})(?![0-9a-z])")),
    ("secret", re.compile(r":secret:[^\s\"\\:]+-(?P<r>[A-Za-z0-9]{6})(?![A-Za-z0-9])")),
    ("ip", re.compile(r"(?<![\d.])(?P<r>\d{1,3}(?:\.\d{1,3}){3})(?![\d./])")),
    ("ip", re.compile(r"(?<![0-9A-Za-z])(?:ip|ec2)-(?P<r>\d{1,3}(?:-\d{1,3}){3})(?=\.)")),  # private_dns, public_dns
)
KEEP_IPS = frozenset({"0.0.0.0", "127.0.0.1"})
_LIST_ITEM = re.compile(r'^(\s*(?:[-+~] )?)"(.*)",$')  # one element of a list in terraform's text plan


def _fill(made_up: str, number: int) -> str:
    """The same shape with the number in it: 5f3a…-9c1e -> 0000…-0007."""
    digits = iter(str(number).rjust(sum(c.isalnum() for c in made_up), "0"))
    return "".join(next(digits) if c.isalnum() else c for c in made_up)


def _ascending(items: list[str]) -> bool:
    return len(items) > 1 and items == sorted(items)


class Scrubber:
    """Made-up values -> stable placeholders, numbered per kind in order of first appearance.

    Terraform lists sets in value order, so a list of strings that was sorted is sorted again
    after its values are replaced; the local AWS returns map keys in any order, so JSON
    documents held in strings get sorted keys.
    """

    def __init__(self) -> None:
        self.seen: dict[str, dict[str, str]] = {kind: {} for kind, _ in VOLATILE}

    def placeholder(self, kind: str, made_up: str) -> str:
        if kind == "ip":
            if made_up.replace("-", ".") in KEEP_IPS:
                return made_up
            dotted = self.placeholder("ip4", made_up.replace("-", "."))
            return dotted.replace(".", "-") if "-" in made_up else dotted
        table = self.seen.setdefault(kind, {})
        if made_up not in table:
            number = len(table) + 1
            table[made_up] = {"time": STABLE_TIME, "endpoint": STABLE_ENDPOINT, "ip4": f"192.0.2.{number}"}.get(
                kind
            ) or _fill(made_up, number)
        return table[made_up]

    def string(self, text: str) -> str:
        for kind, pattern in VOLATILE:

            def swap(match: re.Match[str], kind: str = kind) -> str:
                start, end = (i - match.start() for i in match.span("r"))
                whole = match.group(0)
                return whole[:start] + self.placeholder(kind, match.group("r")) + whole[end:]

            text = pattern.sub(swap, text)
        return _sorted_json(text)

    def value(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.string(value)
        if isinstance(value, dict):
            return {self.string(key): self.value(value[key]) for key in sorted(value)}
        if isinstance(value, list):
            items = [self.value(item) for item in value]
            if all(isinstance(item, str) for item in value) and _ascending(value):
                items.sort()
            return items
        return value

    def plan(self, plan: dict[str, Any]) -> str:
        """Plan JSON with sorted keys, scrubbed. Resource IDs are numbered first, in address
        order, so that sets (ordered by the made-up values) don't decide the numbers."""
        for resource in _resources(plan):
            self.value([resource.get("values", {}).get(key) for key in ("id", "arn")])
        plan = {**plan, "relevant_attributes": sorted(plan.get("relevant_attributes") or [], key=json.dumps)}
        return json.dumps(self.value(plan), indent=1, sort_keys=True) + "\n"

    def text(self, text: str) -> str:
        """Terraform's text plan, scrubbed line by line; runs of sorted list elements stay sorted."""
        lines = text.split("\n")
        out = [self.string(line) for line in lines]
        items = [_LIST_ITEM.match(line) for line in lines]
        start = 0
        while start < len(lines):
            end = start + 1
            if first := items[start]:
                while end < len(lines) and (item := items[end]) and item.group(1) == first.group(1):
                    end += 1
                if _ascending([item.group(2) for item in items[start:end] if item]):
                    out[start:end] = sorted(out[start:end])
            start = end
        return "\n".join(out)


def _sorted_json(text: str) -> str:
    """A compact JSON object or array held in a string, with its keys sorted; other text as is."""
    if text[:1] not in ("{", "["):
        return text
    try:
        data = json.loads(text)
    except ValueError:
        return text
    if json.dumps(data, separators=(",", ":"), ensure_ascii=False) != text:
        return text  # not compact JSON from a serializer: leave it exactly as written
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False, sort_keys=True)


def _resources(plan: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    def walk(module: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
        yield from module.get("resources") or []
        for child in module.get("child_modules") or []:
            yield from walk(child)

    yield from walk(plan.get("prior_state", {}).get("values", {}).get("root_module", {}))


META_KEPT = ("env", "local", "destroy", "has_changes", "plan_file", "plan_json", "applied")


def write(recorded: Mapping[str, Recorded], out: Path) -> list[Path]:
    """dev-<scenario>/{plan.json,plan.txt,meta.json,sources.json}, made-up values replaced."""
    scrub = Scrubber()
    written = []
    for scenario, plan in recorded.items():
        target = out / f"{ENV}-{scenario}"
        target.mkdir(parents=True, exist_ok=True)
        (target / "plan.json").write_text(scrub.plan(json.loads(plan.plan_json)))
        if plan.plan_txt is not None:
            (target / "plan.txt").write_text(scrub.text(plan.plan_txt))
        meta = {key: plan.meta[key] for key in META_KEPT if key in plan.meta}
        (target / "meta.json").write_text(json.dumps({**meta, "fixture": target.name}, indent=2) + "\n")
        (target / "sources.json").write_text(plan.sources)
        written.append(target)
    return written
