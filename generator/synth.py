"""Environment config -> cdktf stack -> synthesized JSON plus where every item came from."""

from __future__ import annotations

import inspect
import tempfile
from pathlib import Path
from typing import Any

from generator.emit import EnvDocument, Origin
from generator.environment import AWS_PROVIDER_CONSTRAINT, AWS_PROVIDER_SOURCE, TERRAFORM_REQUIRED_VERSION
from generator.errors import ConfigError, HclgenError, InputError
from generator.project import LoadedEnv


def synthesize(envs: list[LoadedEnv], root: Path) -> list[EnvDocument]:
    """One cdktf app, one stack per environment; nothing is written outside a scratch dir."""
    from generator import cdk  # the bindings cost seconds to load: only when synthesizing

    with tempfile.TemporaryDirectory(prefix="hclgen-cdktf-") as scratch:
        app = cdk.App(outdir=scratch)
        return [_synth_one(cdk, app, loaded, root) for loaded in envs]


def _synth_one(cdk: Any, app: Any, loaded: LoadedEnv, root: Path) -> EnvDocument:
    env = loaded.env
    stack = cdk.TerraformStack(app, env.name)
    _configure_stack(cdk, stack, env)
    try:
        env.stack.compose(stack, env)
    except InputError as err:
        raise ConfigError(err.message, env=env.name, module=err.module, field=err.field) from None
    document = stack.to_terraform()
    origins, module_sources = _origins(cdk, stack, root, env.name)
    return EnvDocument(env=env.name, config_path=_relative(loaded.config_path, root), document=document,
                       origins=tuple(origins), module_sources=module_sources)


def _configure_stack(cdk: Any, stack: Any, env: Any) -> None:
    cdk.AwsProvider(stack, "aws", region=env.region,
                    default_tags=[cdk.AwsProviderDefaultTags(tags=dict(env.default_tags))])
    backend = env.backend
    cdk.S3Backend(stack, bucket=backend.bucket, key=backend.key, region=backend.region, encrypt=True)
    # cdktf 0.20 predates these settings; overrides keep them in the synthesized JSON itself.
    stack.add_override("terraform.backend.s3.use_lockfile", True)
    stack.add_override("terraform.required_version", TERRAFORM_REQUIRED_VERSION)
    stack.add_override("terraform.required_providers.aws.source", AWS_PROVIDER_SOURCE)
    stack.add_override("terraform.required_providers.aws.version", AWS_PROVIDER_CONSTRAINT)


def _origins(cdk: Any, stack: Any, root: Path, env: str) -> tuple[list[Origin], dict[str, str]]:
    origins: list[Origin] = []
    module_sources: dict[str, str] = {}
    seen: set[tuple[str, str, str]] = set()
    for item in stack.node.find_all():
        kind = _kind(cdk, item)
        if kind is None:
            continue
        source = cdk.source_of(item)
        type_ = "" if kind == "output" else item.terraform_resource_type
        if source is None:
            raise HclgenError(f"environment '{env}': {kind} {type_} '{item.node.id}' at {item.node.path} "
                              "was not passed through tracked(): it would get a hashed name")
        key = (kind, type_, item.friendly_unique_id)
        if key in seen:
            raise HclgenError(f"environment '{env}': two {kind}s named {type_}.{key[2]}: give one another id")
        seen.add(key)
        file = _file_for(item, stack, kind, root, module_sources)
        origins.append(Origin(kind=kind, type=type_, name=key[2], file=file, source=source))
    return origins, module_sources


def _kind(cdk: Any, item: Any) -> str | None:
    if isinstance(item, cdk.TerraformOutput):
        return "output"
    if isinstance(item, cdk.TerraformDataSource):
        return "data"
    if isinstance(item, cdk.TerraformResource):
        return "resource"
    return None


def _file_for(item: Any, stack: Any, kind: str, root: Path, module_sources: dict[str, str]) -> str:
    """Items inside module construct `vpc` go to vpc.tf; top-level ones to outputs.tf/main.tf."""
    path = item.node.path.split("/")
    if len(path) <= 2:
        return "outputs.tf" if kind == "output" else "main.tf"
    module = stack.node.find_child(path[1])
    name = f"{path[1]}.tf"
    module_sources.setdefault(name, _relative(Path(inspect.getfile(type(module))), root))
    return name


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name
