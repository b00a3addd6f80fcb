"""The single boundary to cdktf and the AWS provider bindings.

Everything else imports cdktf types from here, so moving to another CDK for Terraform
(e.g. the CDK Terrain fork) is an edit to this file alone.

Speed: the jsii bindings cost seconds to load, and an environment config imports modules/*
only for their input dataclasses. So nothing loads at import time: each name below is a
stand-in (generator.cdkload.Binding) that loads its binding on first real use (a call, an
attribute, isinstance), and a module construct subclassing Construct gets its real jsii base
when first instantiated. `envs`, config errors and whatever only reads configs never start
the jsii runtime. Type checkers see the real classes: the TYPE_CHECKING imports of cdktypes.py, which
are also the table the stand-ins are made from. Any other class of the provider or cdktf
(`from generator.cdk import SqsQueue`) resolves by name on first import (module __getattr__
below): a new module never needs an edit here.
`cdktf_cdktf_provider_aws/__init__.py` imports all ~1,500 resource submodules (about 18 s):
a bare package object is registered first, so a submodule loads only itself and the shared
jsii assembly. Node's side has the same problem (the provider's lib/index.js requires every resource
module): generator/lazyindex.js, preloaded into jsii's node, makes those requires lazy too.

Engine: HCLGEN_ENGINE=cdktf (default) or cdktn (CDK Terrain, the maintained fork of the archived
cdktf). ENGINES below is the one edit point: the rest of the code reaches cdktf/cdktn and the
provider bindings only through the names here. cdktn's AWS bindings exist only for provider 6.x
(cdktn-provider-aws 25.x), this project pins and tests provider 5.x, hence the default. cdktn lives
in its own virtualenv (generator/enginevenv.py), never in the project's.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import threading
import types
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from generator import cdknames, enginevenv
from generator.cdkload import Binding, type_checking_imports

if TYPE_CHECKING:  # the classes for type checkers; at run time each name is a stand-in (below)
    from generator.cdktypes import *  # noqa: F403

ENGINE_VAR = "HCLGEN_ENGINE"
DEFAULT_ENGINE = "cdktf"
# engine -> (core package, AWS provider bindings package, distributions whose versions key the render cache)
ENGINES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "cdktf": ("cdktf", "cdktf_cdktf_provider_aws", ("cdktf", "cdktf-cdktf-provider-aws")),
    "cdktn": ("cdktn", "cdktn_provider_aws", ("cdktn", "cdktn-provider-aws")),
}
ENGINE = enginevenv.chosen(ENGINE_VAR, sorted(ENGINES), DEFAULT_ENGINE)
CORE_PACKAGE, PROVIDER_PACKAGE, ENGINE_DISTRIBUTIONS = ENGINES[ENGINE]
# The TYPE_CHECKING table names cdktf's modules; the selected engine's modules hold the same classes.
_RENAMES = {"cdktf_cdktf_provider_aws": PROVIDER_PACKAGE, "cdktf": CORE_PACKAGE}


def engine_on_path() -> None:
    """cdktn comes from its own virtualenv unless it is importable already (e.g. installed as an extra)."""
    if ENGINE != DEFAULT_ENGINE:
        enginevenv.put_on_path(CORE_PACKAGE, f"{ENGINE_VAR}={ENGINE}")


def _register_lazy_package(name: str) -> None:
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"{name} is not installed")
    package = types.ModuleType(name)
    package.__path__ = list(spec.submodule_search_locations)
    package.__spec__ = spec
    package.__file__ = spec.origin
    sys.modules[name] = package


NODE_HINT = (
    "install Node.js 20 or newer (https://nodejs.org, or your package manager: `apt-get install nodejs`, "
    "`brew install node`) and put `node` on PATH"
)


def _require_node() -> None:
    """cdktf runs in Node.js through jsii: without it jsii fails deep inside with a traceback."""
    import shutil

    from generator.errors import UsageError

    node = os.environ.get("JSII_NODE", "node")
    if shutil.which(node) is None:
        raise UsageError(f"rendering needs Node.js (the cdktf runtime), but `{node}` was not found: {NODE_HINT}")


def _load(module: str, name: str) -> Any:
    """The real class behind a stand-in (the first call starts the jsii runtime)."""
    if not _STARTED:
        _require_node()
        # jsii prints a full-screen banner on every run under Node 18/20; README recommends Node 22+.
        os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "18,20")
        engine_on_path()
        _register_lazy_package(PROVIDER_PACKAGE)
        _start_runtime()
    return getattr(importlib.import_module(module), name)


_STARTING = threading.Lock()
_STARTED: list[bool] = []  # [True] once the runtime is up and the readonly properties are kept
LAZY_INDEX = Path(__file__).with_name("lazyindex.js")


def _start_runtime() -> None:
    """Import the core package, which starts node, with generator/lazyindex.js preloaded into it:
    node then compiles only the provider's resource modules a stack uses (~50), not all ~1,500
    (about 2 s). NODE_OPTIONS is set for that one start only: terraform and other children never see it.
    Started by someone else (an eager `import cdktf_cdktf_provider_aws`), node keeps its eager index."""
    with _STARTING:
        if _STARTED:
            return
        if CORE_PACKAGE not in sys.modules:
            before = os.environ.get("NODE_OPTIONS")
            preload = '--require "' + str(LAZY_INDEX).replace("\\", "\\\\").replace('"', '\\"') + '"'
            os.environ["NODE_OPTIONS"] = f"{before} {preload}" if before else preload
            try:
                importlib.import_module(CORE_PACKAGE)
            finally:
                if before is None:
                    os.environ.pop("NODE_OPTIONS", None)
                else:
                    os.environ["NODE_OPTIONS"] = before
        constructs = importlib.import_module("constructs")
        _remember(constructs.Construct, "node")
        _remember(constructs.Node, "id")
        _STARTED.append(True)


_CONSTRUCT_ID = "_hclgen_construct_id"


def _made(instance: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Keep the construct id a resource was made with (scope, id, ...; the bindings call it id_):
    tracked() names it without asking node. Not kept: an id with "/" (constructs rewrites it) and a
    keyword `id`, which is a resource's Terraform attribute, not its construct id."""
    construct_id = args[1] if len(args) > 1 else kwargs.get("id_")
    state = getattr(instance, "__dict__", None)
    if isinstance(construct_id, str) and "/" not in construct_id and isinstance(state, dict):
        state[_CONSTRUCT_ID] = construct_id


def _remember(cls: Any, name: str) -> None:
    """Keep a readonly jsii property (TypeScript `readonly node`, `readonly id`) on the Python object
    after its first read: module code and tracked() read `x.node.id` ~450 times a render, each read
    a round-trip to node."""
    read = getattr(cls, name).fget
    key = f"_hclgen_{name}"

    def remembered(self: Any) -> Any:
        try:
            return self.__dict__[key]
        except KeyError:
            value = self.__dict__[key] = read(self)
            return value

    setattr(cls, name, property(remembered, doc=getattr(cls, name).__doc__))


def warm_up() -> None:
    """Start node and load the core and provider assemblies (~0.5 s with the lazy index): run in a
    thread while the caller reads configs, the first construct then finds them loaded."""
    _load(CORE_PACKAGE, "App")
    importlib.import_module(f"{PROVIDER_PACKAGE}._jsii")


if not TYPE_CHECKING:
    globals().update(
        {
            name: Binding(enginevenv.renamed(module, _RENAMES), real, _load, _made)
            for name, (module, real) in type_checking_imports(Path(__file__).with_name("cdktypes.py")).items()
        }
    )


def __getattr__(name: str) -> Any:
    """Any other class of the AWS provider or cdktf by its name (`from generator.cdk import SqsQueue`),
    as a stand-in like the names above: nothing to register, nothing loads until first use. Type
    checkers see Any; a module wanting the real type imports it under its own TYPE_CHECKING."""
    if name.startswith("_") or not name[:1].isupper():
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    engine_on_path()
    module = cdknames.module_defining(name, PROVIDER_PACKAGE, (CORE_PACKAGE, "constructs"))
    if module is None:
        raise AttributeError(
            f"{name} is not a class of cdktf or of the AWS provider bindings "
            f"({PROVIDER_PACKAGE}): check its spelling against the provider's resource name"
        )
    binding = Binding(module, name, _load, _made)
    globals()[name] = binding
    return binding


R = TypeVar("R", bound="TerraformElement")  # noqa: F405  (cdktypes.py, for type checkers)


@dataclass(frozen=True)
class Tracked:
    """One named item and the Python line that made it."""

    item: Any
    name: str
    source: str  # "/abs/path/modules/vpc.py:42"
    moved_from: str | None = None  # the name (or address) this resource had before a refactor


_RECORDING: ContextVar[list[Tracked] | None] = ContextVar("hclgen_tracked", default=None)


@contextmanager
def recording() -> Iterator[list[Tracked]]:
    """Collect what tracked() names while a stack is composed (scoped: no global registry)."""
    log: list[Tracked] = []
    token = _RECORDING.set(log)
    try:
        yield log
    finally:
        _RECORDING.reset(token)


def tracked(item: R, name: str | None = None, *, moved_from: str | None = None) -> R:
    """Give a resource (or output) its Terraform name and record the line that made it.

    The name (default: the construct id) is chosen by the module author, never hashed, so it
    stays put when unrelated code changes. Construct ids must be unique per scope, Terraform
    names per type: pass `name` when two types in one module both want e.g. "this".
    moved_from: the name (or "type.name" address) the resource had before a refactor, for when
    synth cannot tell on its own; synth then writes the `moved` block into moved.tf.
    """
    if not callable(getattr(item, "override_logical_id", None)):
        caller = sys._getframe(1)
        from generator.errors import UsageError

        raise UsageError(
            f"{Path(caller.f_code.co_filename).name}:{caller.f_lineno}: tracked() takes a resource, "
            f"data source or output, not {type(item).__name__}"
        )
    logical = name or getattr(item, "__dict__", {}).get(_CONSTRUCT_ID) or item.node.id
    item.override_logical_id(logical)
    log = _RECORDING.get()
    if log is not None:
        caller = sys._getframe(1)
        log.append(Tracked(item, logical, f"{Path(caller.f_code.co_filename).resolve()}:{caller.f_lineno}", moved_from))
    return item
