"""Environment config -> cdktf stack -> synthesized JSON plus where every item came from."""

from __future__ import annotations

import inspect
import sys
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from generator.environment import AWS_PROVIDER_CONSTRAINT, AWS_PROVIDER_SOURCE, TERRAFORM_REQUIRED_VERSION
from generator.errors import ConfigError, HclgenError, InputError
from generator.render.emit import EnvDocument, Origin
from generator.render.project import LoadedEnv
from generator.usercode import user_error


def synthesize(envs: list[LoadedEnv], root: Path) -> list[EnvDocument]:
    """One cdktf app, one stack per environment; nothing is written outside a scratch dir."""
    from generator import cdk  # the bindings cost seconds to load: only when synthesizing

    with tempfile.TemporaryDirectory(prefix="hclgen-cdktf-") as scratch:
        app = cdk.App(outdir=scratch, stack_traces=False)
        return [_synth_one(cdk, app, loaded, root) for loaded in envs]


def _synth_one(cdk: Any, app: Any, loaded: LoadedEnv, root: Path) -> EnvDocument:
    env = loaded.env
    stack = cdk.TerraformStack(app, env.name)
    _configure_stack(cdk, stack, env)
    try:
        with cdk.recording() as log:
            env.stack.compose(stack, env)
    except InputError as err:
        raise ConfigError(err.message, env=env.name, module=err.module, field=err.field) from None
    except HclgenError:
        raise
    except Exception as err:  # noqa: BLE001 - a module's own bug: one line naming its file and line
        raise user_error(err, root, env.name) from None
    document = stack.to_terraform()
    origins, module_sources = _origins(cdk, stack, log, document, root, env.name)
    return EnvDocument(
        env=env.name,
        config_path=_relative(loaded.config_path, root),
        document=document,
        origins=tuple(origins),
        module_sources=module_sources,
        diagram_groups=_diagram_groups(stack),
    )


def _diagram_groups(stack: Any) -> dict[str, str]:
    """Module constructs may name the architecture-diagram box their resources go in (DIAGRAM_GROUP)."""
    return {
        child.node.id: str(group)
        for child in stack.node.children
        if isinstance(group := getattr(type(child), "DIAGRAM_GROUP", None), str)
    }


def _configure_stack(cdk: Any, stack: Any, env: Any) -> None:
    cdk.AwsProvider(
        stack, "aws", region=env.region, default_tags=[cdk.AwsProviderDefaultTags(tags=dict(env.default_tags))]
    )
    backend = env.backend
    cdk.S3Backend(stack, bucket=backend.bucket, key=backend.key, region=backend.region, encrypt=True)
    # cdktf 0.20 predates these settings; overrides keep them in the synthesized JSON itself.
    stack.add_override("terraform.backend.s3.use_lockfile", True)
    stack.add_override("terraform.required_version", TERRAFORM_REQUIRED_VERSION)
    stack.add_override("terraform.required_providers.aws.source", AWS_PROVIDER_SOURCE)
    stack.add_override("terraform.required_providers.aws.version", AWS_PROVIDER_CONSTRAINT)


def _origins(
    cdk: Any, stack: Any, log: list[Any], document: dict[str, Any], root: Path, env: str
) -> tuple[list[Origin], dict[str, str]]:
    """Origins in construction order, from tracked()'s log; every synthesized item must be in it."""
    origins: list[Origin] = []
    module_sources: dict[str, str] = {}
    for entry in log:
        kind = _kind(cdk, entry.item)
        type_ = "" if kind == "output" else _resource_type(entry.item)
        file_name, line = entry.source.rsplit(":", 1)
        source = f"{_relative(Path(file_name), root)}:{line}"
        file = _file_for(document, kind, type_, entry.name, stack, root, module_sources)
        module_sources.setdefault(file, source.rsplit(":", 1)[0])
        origins.append(
            Origin(kind=kind, type=type_, name=entry.name, file=file, source=source, moved_from=entry.moved_from)
        )
    _check_complete(origins, document, env)
    return origins, module_sources


def _check_complete(origins: list[Origin], document: dict[str, Any], env: str) -> None:
    seen: set[tuple[str, str, str]] = set()
    for origin in origins:
        key = (origin.kind, origin.type, origin.name)
        if key in seen:
            raise HclgenError(
                f"environment '{env}': two {origin.kind}s named {origin.type or 'output'}.{origin.name}: "
                "pass a distinct name to tracked()"
            )
        seen.add(key)
    synthesized = {
        (kind, type_, name)
        for kind in ("resource", "data")
        for type_, items in document.get(kind, {}).items()
        for name in items
    } | {("output", "", name) for name in document.get("output", {})}
    for kind, type_, name in sorted(synthesized - seen):
        raise HclgenError(
            f"environment '{env}': {kind} {type_}.{name} was not passed through tracked(), "
            "so it would get a hashed name and no source line"
        )


def _kind(cdk: Any, item: Any) -> str:
    if isinstance(item, cdk.TerraformOutput):
        return "output"
    return "data" if isinstance(item, cdk.TerraformDataSource) else "resource"


@cache
def _type_of_class(cls: Any) -> str:
    return str(cls.TF_RESOURCE_TYPE)


def _resource_type(item: Any) -> str:
    try:
        return _type_of_class(type(item))  # type: ignore[arg-type]  # classes are hashable
    except AttributeError:
        return str(item.terraform_resource_type)


def _file_for(
    document: dict[str, Any], kind: str, type_: str, name: str, stack: Any, root: Path, module_sources: dict[str, str]
) -> str:
    """Items inside module construct `vpc` go to vpc.tf; top-level ones to outputs.tf/main.tf."""
    if kind == "output":
        return "outputs.tf"
    path = document[kind][type_][name]["//"]["metadata"]["path"].split("/")
    if len(path) <= 2:
        return "main.tf"
    file = f"{path[1]}.tf"
    if file not in module_sources:
        module = stack.node.find_child(path[1])
        module_sources[file] = _relative(Path(inspect.getfile(type(module))), root)
    return file


def _relative(path: Path, root: Path) -> str:
    """Repo-relative path; for code imported from elsewhere, its path below its sys.path entry."""
    resolved = path.resolve()
    for base in [root, *(Path(entry) for entry in sys.path if entry)]:
        try:
            return resolved.relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return path.name
