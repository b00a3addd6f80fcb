"""`artifact ENV`: what reviewers need from a saved plan, safe to upload.

From .hclgen/plans/ENV/: plan.txt (terraform's own text masks sensitive values), plan.json with
every sensitive value replaced (generator.plan.redact), meta.json, and the env's source map
(.hclgen/sources/ENV.json, as sources.json). The raw plan.tfplan holds secrets in clear text and
is copied only when asked. `comment DIR` renders the folder exactly as the original plan folder.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from generator.errors import HclgenError, UsageError
from generator.paths import check_name, check_output_dir, mark_owned, work_dir
from generator.plan import files as planfiles
from generator.plan.redact import strip_plan
from generator.plan.source import FOLDER_SOURCES, read_plan_json
from generator.render.pipeline import sources_path

SOURCES_FILE = FOLDER_SOURCES


@dataclass(frozen=True)
class Copied:
    folder: Path
    files: tuple[str, ...]


def make_artifact(root: Path, env: str, out: Path, *, include_tfplan: bool = False, flag: str = "--out") -> Copied:
    """Fill `out` with env's reviewable plan files; a failed plan is copied as failed (meta.json).

    `out` is replaced whole, and only when this tool made it (paths.check_output_dir): the files
    are put together in a sibling folder first, so a failure leaves the earlier artifact as it was."""
    check_name(env, "env")
    folder = work_dir(root) / "plans" / env
    meta = planfiles.read_meta(folder)
    if meta is None:
        raise UsageError(f"{env} has no saved plan in {folder} (no meta.json): run `plan {env}` first")
    if meta.env != env:
        raise UsageError(f"{folder / planfiles.META_FILE} is the plan of {meta.env!r}, not {env!r}")
    target = check_output_dir(root, out, flag)
    plan_json = folder / planfiles.PLAN_JSON
    stripped = None if meta.failed else strip_plan(read_plan_json(plan_json))
    if include_tfplan and not meta.failed and not (folder / planfiles.PLAN_FILE).is_file():
        raise UsageError(f"--include-tfplan: {folder / planfiles.PLAN_FILE} does not exist")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".hclgen-tmp", dir=target.parent))
    except OSError as err:
        raise HclgenError(f"{flag} {out}: cannot create it ({err.strerror or err})") from None
    try:
        files = _fill(root, env, folder, staging, stripped, include_tfplan)
        mark_owned(staging, f"artifact {env}")
        _swap_in(staging, target)
    except OSError as err:
        raise HclgenError(
            f"could not write the artifact in {out}: {err.strerror or err}; the earlier one is unchanged"
        ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Copied(target, tuple(files))


def _fill(root: Path, env: str, folder: Path, out: Path, stripped: object, include_tfplan: bool) -> list[str]:
    files = [planfiles.META_FILE]
    shutil.copyfile(folder / planfiles.META_FILE, out / planfiles.META_FILE)
    if stripped is not None:
        (out / planfiles.PLAN_JSON).write_text(json.dumps(stripped, indent=1) + "\n", encoding="utf-8")
        files.append(planfiles.PLAN_JSON)
    for name, source in (
        (planfiles.PLAN_TEXT, folder / planfiles.PLAN_TEXT),
        (SOURCES_FILE, sources_path(root, env)),
        *([(planfiles.PLAN_FILE, folder / planfiles.PLAN_FILE)] if include_tfplan else []),
    ):
        if source.is_file():  # a failed plan's folder holds only meta.json
            shutil.copyfile(source, out / name)
            files.append(name)
    return files


def _swap_in(staging: Path, target: Path) -> None:
    """Replace target (checked: new, empty or ours) with the finished staging folder."""
    if not target.exists():
        os.replace(staging, target)
        return
    retired = target.with_name(f".{target.name}.old.hclgen-tmp")
    shutil.rmtree(retired, ignore_errors=True)
    os.replace(target, retired)
    try:
        os.replace(staging, target)
    except OSError:
        os.replace(retired, target)
        raise
    shutil.rmtree(retired, ignore_errors=True)
