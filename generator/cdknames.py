"""Which module of the bindings defines a class, found by reading source text, never by importing:
importing a provider submodule to look would load the 34 MB jsii assembly. cdk.py's module
__getattr__ uses it, so any class of the provider resolves by name with nothing registered."""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path


def module_defining(name: str, provider_package: str, others: tuple[str, ...]) -> str | None:
    """The provider submodule (or one of `others`, e.g. the core package) whose source defines `class name`."""
    for module in [*_provider_candidates(name, provider_package), *others]:
        if _defines(module, name):
            return module
    return None


def _provider_candidates(name: str, package: str) -> list[str]:
    """Submodules whose class prefix starts `name` (SqsQueuePolicy -> sqs_queue_policy, sqs_queue), longest first."""
    found = [sub for sub, camel in _provider_submodules(package).items() if name.startswith(camel)]
    return [f"{package}.{sub}" for sub in sorted(found, key=len, reverse=True)]


@functools.cache
def _provider_submodules(package: str) -> dict[str, str]:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return {}
    folder = Path(next(iter(spec.submodule_search_locations)))
    return {
        p.name: "".join(part[:1].upper() + part[1:] for part in p.name.split("_"))
        for p in folder.iterdir()
        if (p / "__init__.py").is_file() and not p.name.startswith("_")
    }


@functools.cache
def _source_of(module: str) -> str:
    package, _, sub = module.partition(".")
    spec = importlib.util.find_spec(package)
    if spec is None:
        return ""
    if sub:
        locations = spec.submodule_search_locations
        path = Path(next(iter(locations))) / sub / "__init__.py" if locations else None
    else:
        path = Path(spec.origin) if spec.origin else None
    return path.read_text(encoding="utf-8") if path is not None and path.is_file() else ""


def _defines(module: str, name: str) -> bool:
    source = _source_of(module)
    return f"\nclass {name}(" in source or f"\nclass {name}:" in source
