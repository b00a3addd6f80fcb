"""env configs -> synth -> emit -> compare with disk -> writer. The steps behind synth/--check/diff."""

from __future__ import annotations

import difflib
import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.errors import UsageError
from generator.paths import work_dir
from generator.render import cache, committed, envreads, movedfile, workflows, writer
from generator.render.architecture import ARCHITECTURE_FILE, architecture_markdown
from generator.render.committed import manifest_path as manifest_path
from generator.render.committed import owned_files as owned_files
from generator.render.emit import emit
from generator.render.moved import MOVED_FILE
from generator.render.project import env_names, load
from generator.render.writer import Difference


@dataclass(frozen=True)
class RenderedEnv:
    env: str
    root: Path  # environments/<env>/
    files: dict[str, str]  # file name -> text
    sources: dict[str, str]  # resource address -> "modules/x.py:42"
    after: tuple[str, ...] = ()  # the env's promotion order (Environment.after)


def render(
    root: Path, names: list[str] | tuple[str, ...] = (), progress: Callable[[str], None] | None = None
) -> list[RenderedEnv]:
    """Render environments in memory. Raises ConfigError before anything could be written."""
    from generator.render.synth import synthesize  # loads cdktf: only here

    with envreads.recording(root):  # the variables the configs and modules read join the cache key
        warming = _warm_up()
        try:
            envs = load(root, names)
        finally:  # also on a config error: exiting under a half-started jsii prints its cleanup traceback
            warming.join()  # its failure (e.g. no node) is raised again, as the user's error, by the first construct
        _log_render([loaded.env.name for loaded in envs])
        with cache.tracking():  # constructs may import lazily while they build
            documents = synthesize(envs, root)
    rendered = []
    for loaded, document in zip(envs, documents):
        sources = {_address(o.kind, o.type, o.name): o.source for o in document.origins}
        files = {**emit(document), ARCHITECTURE_FILE: architecture_markdown(document, sources)}
        moves = movedfile.moved_tf(loaded.root, document, movedfile.declared_moves(document, loaded.env.moves))
        files.update({MOVED_FILE: moves} if moves else {})
        rendered.append(RenderedEnv(loaded.env.name, loaded.root, files, sources, loaded.env.after))
        if progress:
            progress(loaded.env.name)
    return rendered


def _warm_up() -> threading.Thread:
    """Node starts and parses the provider assembly on the other core while Python reads the configs.
    render() joins it whatever happens: jsii's temporary folder is removed at exit, and removing it
    while this thread still unpacks an assembly into it fails with a traceback."""
    from generator import cdk

    def run() -> None:
        try:
            cdk.warm_up()
        except Exception:  # noqa: BLE001 - the first real use reports it, with the user's context
            pass

    thread = threading.Thread(target=run, name="hclgen-jsii-warm-up", daemon=True)
    thread.start()
    return thread


def differences(root: Path, rendered: list[RenderedEnv]) -> list[Difference]:
    return [committed.difference(root, item.env, item.root, item.files) for item in rendered]


def unified_diffs(root: Path, env: str) -> list[str]:
    """The unified diff `synth ENV` would apply, one per file it would change (none: up to date)."""
    (rendered,) = render(root, [env])
    (difference,) = differences(root, [rendered])
    parts = []
    for rel in difference.paths:
        path = root / rel
        old = path.read_text(encoding="utf-8").splitlines(keepends=True) if path.exists() else []
        new = rendered.files.get(path.name, "").splitlines(keepends=True)
        before = f"a/{rel}" if old else "/dev/null"
        after = f"b/{rel}" if path.name in rendered.files else "/dev/null"
        parts.append("".join(difflib.unified_diff(old, new, before, after)))
    return parts


def workflow_files(root: Path, rendered: list[RenderedEnv]) -> dict[str, str] | None:
    """The CI workflows when `rendered` holds every env of the project (they list them all), else None."""
    if sorted(item.env for item in rendered) != env_names(root):
        return None
    return workflows.render({item.env: item.after for item in rendered})


def write(root: Path, rendered: list[RenderedEnv]) -> list[Difference]:
    """Bring every environment's files (and, for all envs, the workflows) in line, in one transaction."""
    diffs = differences(root, rendered)
    flows = workflow_files(root, rendered)
    changes: dict[Path, str | None] = {}
    for item, diff in zip(rendered, diffs):
        for rel in diff.created + diff.updated:
            changes[root / rel] = item.files[Path(rel).name]
        for rel in diff.removed:
            changes[root / rel] = None
    imports = cache.imported_names(root)  # what the configs imported from outside the input folders
    digest = cache.inputs_digest(root, imports)
    changes.update(_source_maps(rendered, root, digest))
    changes.update(_manifests(rendered, root))
    hashes = {item.env: committed.hashes(item.files) for item in rendered}
    if flows is not None:
        diffs.append(workflows.difference(root, flows))
        changes.update(workflows.changes(root, flows))
        hashes[workflows.CACHE_KEY] = workflows.hashes(flows)
    with writer.exclusive(root):
        writer.apply(changes)
        cache.record_imports(root, imports)
        cache.store(root, hashes, digest)
    return diffs


def stale_paths(root: Path, names: list[str] | tuple[str, ...] = (), use_cache: bool = True) -> list[str]:
    """Repo-relative paths whose committed text differs from what Python renders ([] = up to date).

    With a cache hit the configs are not even imported (importing modules loads cdktf). Without
    names the workflows under .github/workflows/ are checked too.
    """
    wanted = list(names) or env_names(root)
    keys = wanted + ([] if names else [workflows.CACHE_KEY])
    digest = cache.inputs_digest(root)  # before rendering: an input edited meanwhile misses next time
    expected = cache.lookup(root, keys, digest) if use_cache and set(wanted) <= set(env_names(root)) else None
    if expected is not None:
        return _stale_by_cache(root, wanted, names, expected)
    reads = envreads.recorded(root)
    rendered = render(root, names)
    imports = cache.imported_names(root)
    if envreads.recorded(root) != reads or imports != cache.recorded_imports(root):
        # the render read a variable not yet in the key, or imported a file for the first time: hash it too
        digest = cache.inputs_digest(root, imports)
    flows = None if names else workflow_files(root, rendered)
    flow_paths = workflows.difference(root, flows).paths if flows is not None else []
    stale = sorted([p for d in differences(root, rendered) for p in d.paths] + flow_paths)
    if not stale:
        _persist(root, rendered, digest, flows, imports)
    return stale


def _stale_by_cache(
    root: Path, wanted: list[str], names: list[str] | tuple[str, ...], expected: dict[str, dict[str, str]]
) -> list[str]:
    """stale_paths from the hashes the cache recorded: no config is imported, nothing rendered."""
    stale = [p for env in wanted for p in committed.stale_by_hash(root, root / "environments" / env, expected[env])]
    if not names:
        stale += workflows.stale_by_hash(root, expected[workflows.CACHE_KEY])
    return sorted(stale)


def unchanged(root: Path, names: list[str] | tuple[str, ...] = ()) -> bool:
    """True when the cache vouches that `synth` would change nothing, source maps included.

    Lets `synth` with nothing changed finish without starting node."""
    wanted = list(names) or env_names(root)
    keys = wanted + ([] if names else [workflows.CACHE_KEY])  # a full synth also writes the workflows
    if not set(wanted) <= set(env_names(root)):
        return False
    digest = cache.inputs_digest(root)
    expected = cache.lookup(root, keys, digest)
    if expected is None:
        return False
    return not _stale_sources(root, wanted, digest) and not _stale_by_cache(root, wanted, names, expected)


def _persist(
    root: Path, rendered: list[RenderedEnv], digest: str, flows: dict[str, str] | None, imports: list[str]
) -> None:
    """The committed HCL matches this render: keep what a later step would render again for.

    The cache entry and the source maps (both under .hclgen/, keyed by the inputs' content hash,
    so CI can carry them between jobs), and the manifests a later synth needs to remove files."""
    hashes = {item.env: committed.hashes(item.files) for item in rendered}
    changes = {**_source_maps(rendered, root, digest), **_manifests(rendered, root)}
    if flows is not None:
        hashes[workflows.CACHE_KEY] = workflows.hashes(flows)
        changes[workflows.manifest_path(root)] = workflows.manifest_text(flows)
    with writer.exclusive(root):
        writer.apply(changes)
        cache.record_imports(root, imports)
        cache.store(root, hashes, digest)


RENDER_LOG_VAR = "HCLGEN_RENDER_LOG"


def _log_render(envs: list[str]) -> None:
    """With HCLGEN_RENDER_LOG=path, one line per real (cdktf) render: makes renders per job countable."""
    path = os.environ.get(RENDER_LOG_VAR)
    if path:
        try:
            with open(path, "a", encoding="utf-8") as log:
                log.write(f"{os.getpid()} {' '.join(envs)}\n")
        except OSError as err:
            raise UsageError(f"{RENDER_LOG_VAR}={path}: {err.strerror or err}") from None


def sources_path(root: Path, env: str) -> Path:
    return work_dir(root) / "sources" / f"{env}.json"


def ensure_sources(root: Path, names: list[str]) -> None:
    """Make .hclgen/sources/<env>.json (address -> "file:line") current for these envs.

    A passing `synth --check` that rendered already wrote them (and CI restores them between
    jobs), so this renders only when the map is missing or made from other inputs.
    """
    digest = cache.inputs_digest(root)
    stale = _stale_sources(root, names, digest)
    if not stale:
        return
    reads = envreads.recorded(root)
    rendered = render(root, stale)
    imports = cache.imported_names(root)
    if envreads.recorded(root) != reads or imports != cache.recorded_imports(root):
        digest = cache.inputs_digest(root, imports)
    if any(d.paths for d in differences(root, rendered)):
        with writer.exclusive(root):
            writer.apply(_source_maps(rendered, root, digest))
            cache.record_imports(root, imports)  # the stamps were made with them
    else:  # the committed HCL matches too: the plan's own synced check need not render again
        _persist(root, rendered, digest, None, imports)


def _stale_sources(root: Path, names: list[str], digest: str) -> list[str]:
    return [
        env
        for env in names
        if not _stamp(root, env).is_file()
        or _stamp(root, env).read_bytes() != digest.encode()
        or not _readable_map(sources_path(root, env))
    ]


def _readable_map(path: Path) -> bool:
    """A source map that is there and is a JSON object (a corrupt one is rendered again)."""
    try:
        return isinstance(json.loads(path.read_text(encoding="utf-8")), dict)
    except (OSError, ValueError):
        return False


def _stamp(root: Path, env: str) -> Path:
    return sources_path(root, env).with_suffix(".inputs")


def _source_maps(rendered: list[RenderedEnv], root: Path, digest: str) -> dict[Path, str | None]:
    changes: dict[Path, str | None] = {}
    for item in rendered:
        changes[sources_path(root, item.env)] = json.dumps(item.sources, indent=2, sort_keys=True) + "\n"
        changes[_stamp(root, item.env)] = digest
    return changes


def _manifests(rendered: list[RenderedEnv], root: Path) -> dict[Path, str | None]:
    return {
        committed.manifest_path(root, item.env): json.dumps(sorted(item.files), indent=2) + "\n" for item in rendered
    }


def _address(kind: str, type_: str, name: str) -> str:
    return {"resource": f"{type_}.{name}", "data": f"data.{type_}.{name}"}.get(kind, f"output.{name}")
