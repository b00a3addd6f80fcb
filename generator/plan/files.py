"""Saved plans on disk: .hclgen/plans/<env>/{plan.tfplan, plan.json, plan.txt, meta.json}."""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

from generator.errors import UsageError

PLAN_FILE = "plan.tfplan"
PLAN_JSON = "plan.json"
PLAN_TEXT = "plan.txt"
META_FILE = "meta.json"


META_SCHEMA = 1  # bump when PlanMeta's fields change meaning; readers refuse newer files


@dataclass(frozen=True)
class PlanMeta:
    """meta.json beside an env's published plan: which run made it and what became of it.

    The one reader and writer of that file; the comment and apply read it through here."""

    env: str
    created_at: float = 0.0
    local: bool = False
    destroy: bool = False
    has_changes: bool = False
    plan_id: str | None = None  # the private plan file of the run that published it
    applied: bool = False
    failed: bool = False
    error: str | None = None  # why the plan failed, when failed
    stale: list[str] = field(default_factory=list)  # committed files that differ from the Python
    schema: int = META_SCHEMA

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str, where: Path) -> PlanMeta:
        try:
            data = json.loads(text)
        except ValueError as err:
            raise UsageError(f"cannot read plan metadata {where}: {err}") from None
        if not isinstance(data, dict) or not isinstance(data.get("env"), str) or not data["env"]:
            raise UsageError(f'plan metadata {where} has no "env"')
        schema = data.get("schema", 0)
        if not isinstance(schema, int) or schema > META_SCHEMA:
            raise UsageError(
                f"plan metadata {where} is schema {schema}, newer than this hclgen "
                f"understands ({META_SCHEMA}); upgrade hclgen"
            )
        known = {f.name for f in fields(cls)}  # schema 0 files carry a few extra keys: dropped
        values = {key: value for key, value in data.items() if key in known}
        for key, value in values.items():
            if not _FIELD_TYPES[key](value):
                raise UsageError(
                    f'plan metadata {where}: "{key}" has the wrong type ({type(value).__name__}); '
                    "plan again to rewrite it"
                )
        return cls(**{**values, "schema": schema})


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_optional_text(value: object) -> bool:
    return value is None or isinstance(value, str)


def _is_bool(value: object) -> bool:
    return isinstance(value, bool)


def _is_text(value: object) -> bool:
    return isinstance(value, str)


def _is_text_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


_FIELD_TYPES: dict[str, Callable[[object], bool]] = {
    "env": _is_text,
    "created_at": _is_number,
    "local": _is_bool,
    "destroy": _is_bool,
    "has_changes": _is_bool,
    "plan_id": _is_optional_text,
    "applied": _is_bool,
    "failed": _is_bool,
    "error": _is_optional_text,
    "stale": _is_text_list,
    "schema": _is_whole,
}


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# What `terraform plan` prints before the plan itself: one line per resource or data source read.
_PROGRESS = re.compile(
    r"^\S.*: (Refreshing state\.\.\.|Reading\.\.\.|Read complete after |Still reading\.\.\.|"
    r"Preparing import\.\.\.|Importing)"
)
_BOX = ("\u256d", "\u2577", "\u2502", "\u2575", "\u2570")  # the frame of a warning printed by plan
_RULE = "\u2500" * 10  # the rule before "Saved the plan to:" (shown without TF_IN_AUTOMATION)


def plan_text(plan_stdout: str) -> str | None:
    """The plan as `terraform show PLANFILE` renders it, cut out of what `terraform plan -out`
    already printed: saves a second provider load (about as long as the plan) per plan.

    Drops colour codes, the refresh/read progress lines, warning boxes (show prints none) and the
    "Saved the plan to" trailer. None when nothing plan-like is left (the caller runs show)."""
    lines = _ANSI.sub("", plan_stdout).splitlines()
    for index, line in enumerate(lines):
        if line.startswith(_RULE) and any(
            rest.startswith("Saved the plan to:") for rest in lines[index + 1 : index + 3]
        ):
            lines = lines[:index]
            break
    kept = [line for line in lines if not _PROGRESS.match(line) and not line.startswith(_BOX)]
    text = "\n".join(kept).strip("\n")
    return "\n" + text + "\n" if text else None


def read_meta(folder: Path) -> PlanMeta | None:
    """The folder's meta.json, or None when there is none."""
    path = folder / META_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as err:  # ValueError: not UTF-8
        raise UsageError(f"cannot read plan metadata {path}: {err}") from None
    return PlanMeta.from_json(text, path)


@dataclass(frozen=True)
class SavedPlan:
    """The env's published plan files, plus the private plan file of the run that made them.

    Each run plans into its own private file and publishes copies atomically, so a concurrent
    run (e.g. a second apply failing on the lock) never removes the file another run applies.
    """

    folder: Path
    private_file: Path

    @classmethod
    def for_run(cls, folder: Path) -> SavedPlan:
        folder.mkdir(parents=True, exist_ok=True)
        return cls(folder, folder / f"plan.{os.getpid()}.tfplan")

    @property
    def plan_file(self) -> Path:
        return self.folder / PLAN_FILE

    @property
    def json_file(self) -> Path:
        return self.folder / PLAN_JSON

    @property
    def text_file(self) -> Path:
        return self.folder / PLAN_TEXT

    @property
    def meta_file(self) -> Path:
        return self.folder / META_FILE

    def read_meta(self) -> PlanMeta | None:
        return read_meta(self.folder)

    def publish(self, shown_json: str, shown_text: str | None, meta: PlanMeta) -> None:
        """Make this run's plan the env's plan: plan.tfplan, plan.json, plan.txt, meta.json."""
        _replace_bytes(self.plan_file, self.private_file.read_bytes())
        _replace_bytes(self.json_file, shown_json.encode())
        if shown_text is None:
            self.text_file.unlink(missing_ok=True)
        else:
            _replace_bytes(self.text_file, shown_text.encode())
        self.write_meta(meta)

    def publish_failure(self, env: str, error: str) -> None:
        """Say the env's latest plan failed: the earlier plan files go, so nobody reviews them."""
        for path in (self.plan_file, self.json_file, self.text_file):
            path.unlink(missing_ok=True)
        self.write_meta(PlanMeta(env=env, failed=True, error=error))

    def write_meta(self, meta: PlanMeta) -> None:
        stamped = meta if meta.created_at else replace(meta, created_at=time.time())
        _replace_bytes(self.meta_file, stamped.to_json().encode())

    def discard_private(self) -> None:
        self.private_file.unlink(missing_ok=True)


def _replace_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
