"""Saved plans (.hclgen/plans/<env>/plan.tfplan, plan.json, meta.json) and their summary."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PLAN_FILE = "plan.tfplan"
PLAN_JSON = "plan.json"
PLAN_TEXT = "plan.txt"
META_FILE = "meta.json"
LISTED_PER_KIND = 25  # creates and updates beyond this are counted, not listed


@dataclass(frozen=True)
class Change:
    action: str  # create | update | delete | replace
    address: str


@dataclass(frozen=True)
class Summary:
    """What a plan will do, by kind; replaces are counted apart from adds and destroys."""

    changes: tuple[Change, ...] = field(default_factory=tuple)
    output_changes: int = 0
    moves: tuple[Change, ...] = field(default_factory=tuple)  # action "move", address "from -> to"

    def count(self, action: str) -> int:
        return sum(1 for c in self.changes if c.action == action)

    @property
    def has_changes(self) -> bool:
        return bool(self.changes or self.moves) or self.output_changes > 0

    def headline(self, env: str) -> str:
        counts = (f"{self.count('create')} to add, {self.count('update')} to change, "
                  f"{self.count('delete')} to destroy, {self.count('replace')} to replace")
        moves = f", {len(self.moves)} to move" if self.moves else ""
        outputs = f", {self.output_changes} output change(s)" if self.output_changes else ""
        return f"{env}: {counts}{moves}{outputs}"

    def lines(self, env: str) -> list[str]:
        """Headline, then destroys and replaces (always all), then updates and creates."""
        out = [self.headline(env)]
        for action, label in (("delete", "destroy"), ("replace", "replace"),
                              ("update", "change"), ("create", "add")):
            picked = [c for c in self.changes if c.action == action]
            limit = len(picked) if action in ("delete", "replace") else LISTED_PER_KIND
            out += [f"  {label:<8} {c.address}" for c in picked[:limit]]
            if len(picked) > limit:
                out.append(f"  {label:<8} ... and {len(picked) - limit} more")
        out += [f"  {'move':<8} {m.address}" for m in self.moves[:LISTED_PER_KIND]]
        if len(self.moves) > LISTED_PER_KIND:
            out.append(f"  {'move':<8} ... and {len(self.moves) - LISTED_PER_KIND} more")
        return out


def _action(actions: list[str]) -> str | None:
    if "delete" in actions and "create" in actions:
        return "replace"
    for kind in ("create", "update", "delete"):
        if actions == [kind]:
            return kind
    return None  # no-op, read


def summarize(plan: dict[str, Any]) -> Summary:
    """Summary of `terraform show -json PLAN`."""
    changes, moves = [], []
    for rc in plan.get("resource_changes") or []:
        if rc.get("mode") == "data":
            continue
        action = _action(list(rc.get("change", {}).get("actions") or []))
        if action is not None:
            changes.append(Change(action, rc.get("address", "?")))
        previous = rc.get("previous_address")
        if previous and previous != rc.get("address"):
            moves.append(Change("move", f"{previous} -> {rc.get('address')}"))
    outputs = sum(1 for oc in (plan.get("output_changes") or {}).values()
                  if (oc.get("actions") or ["no-op"]) != ["no-op"])
    return Summary(tuple(changes), outputs, tuple(moves))


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

    def read_meta(self) -> dict[str, Any]:
        return json.loads(self.meta_file.read_text())  # type: ignore[no-any-return]

    def publish(self, shown_json: str, shown_text: str | None, **meta: Any) -> None:
        """Make this run's plan the env's plan: plan.tfplan, plan.json, plan.txt, meta.json."""
        _replace_bytes(self.plan_file, self.private_file.read_bytes())
        _replace_bytes(self.json_file, shown_json.encode())
        if shown_text is None:
            self.text_file.unlink(missing_ok=True)
        else:
            _replace_bytes(self.text_file, shown_text.encode())
        self.write_meta(**meta)

    def publish_failure(self, env: str, error: str) -> None:
        """Say the env's latest plan failed: the earlier plan files go, so nobody reviews them."""
        for path in (self.plan_file, self.json_file, self.text_file):
            path.unlink(missing_ok=True)
        self.write_meta(env=env, failed=True, error=error)

    def write_meta(self, **meta: Any) -> None:
        text = json.dumps({"created_at": time.time(), **meta}, indent=2) + "\n"
        _replace_bytes(self.meta_file, text.encode())

    def discard_private(self) -> None:
        self.private_file.unlink(missing_ok=True)


def _replace_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def protected_in_state(state: dict[str, Any]) -> list[str]:
    """Addresses in `terraform show -json` state whose deletion protection is on."""
    found = []
    for resource in _state_resources(state.get("values", {}).get("root_module", {})):
        values = resource.get("values") or {}
        if values.get("deletion_protection") is True or values.get("enable_deletion_protection") is True:
            found.append(str(resource.get("address")))
    return found


def _state_resources(module: dict[str, Any]) -> Iterable[dict[str, Any]]:
    yield from module.get("resources") or []
    for child in module.get("child_modules") or []:
        yield from _state_resources(child)
