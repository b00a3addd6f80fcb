"""Stand-ins that load a class on first use: how generator.cdk defers the jsii bindings.

Generic (it knows nothing of cdktf): generator.cdk hands each Binding the function that imports
the real class. Importing a module that says `from generator.cdk import DbInstance` or
`class Rds(Construct)` costs nothing; the bindings load when a construct is first built.
"""

from __future__ import annotations

import ast
import functools
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any


class Binding:
    """Stands for a class until it is used; then behaves as that class (call, attribute,
    isinstance, issubclass). As a base class it gives a LazyBase (see there)."""

    __slots__ = ("_module", "_name", "_load", "_made", "__weakref__")

    def __init__(
        self,
        module: str,
        name: str,
        load: Callable[[str, str], Any],
        made: Callable[[Any, tuple[Any, ...], dict[str, Any]], None] | None = None,
    ) -> None:
        """made(instance, args, kwargs), when given, sees each instance the stand-in creates."""
        self._module, self._name, self._load, self._made = module, name, load, made

    def target(self) -> Any:
        return self._load(self._module, self._name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        instance = self.target()(*args, **kwargs)
        if self._made is not None:
            self._made(instance, args, kwargs)
        return instance

    def __getattr__(self, attr: str) -> Any:
        return getattr(self.target(), attr)

    def __instancecheck__(self, obj: object) -> bool:
        return isinstance(obj, self.target())

    def __subclasscheck__(self, cls: type) -> bool:
        return issubclass(cls, self.target())

    def __mro_entries__(self, bases: tuple[Any, ...]) -> tuple[type]:
        return (lazy_base(self),)

    def __repr__(self) -> str:
        return f"<binding {self._module}.{self._name}>"


class _LazyMeta(type):
    """Instantiating a class built on a LazyBase instantiates its realized twin instead."""

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        if cls.__dict__.get("_hclgen_realized", False):
            return super().__call__(*args, **kwargs)
        return realized(cls)(*args, **kwargs)


@functools.cache
def lazy_base(binding: Binding) -> type:
    """The plain base a `class X(Construct)` gets instead of the jsii class itself."""
    return _LazyMeta(f"Lazy{binding._name}", (), {"_hclgen_binding": binding})


@functools.cache
def _realizing_meta(real_meta: Any) -> type:
    return types.new_class("Realized", (_LazyMeta, real_meta))


@functools.cache
def realized(cls: type) -> type:
    """cls with the real class as its base: a subclass of both, so isinstance(obj, cls) and
    super() in cls's methods work, and the metaclass of the real class (jsii's) takes part."""
    real_base = _binding_of(cls).target()
    real_meta: Any = type(real_base)
    namespace = {"__module__": cls.__module__, "__qualname__": cls.__qualname__, "_hclgen_realized": True}
    return types.new_class(
        cls.__name__, (cls, real_base), {"metaclass": _realizing_meta(real_meta)}, lambda ns: ns.update(namespace)
    )


def _binding_of(cls: type) -> Binding:
    binding = getattr(cls, "_hclgen_binding", None)
    assert isinstance(binding, Binding), f"{cls} is not built on a lazy base"
    return binding


def type_checking_imports(source: Path) -> dict[str, tuple[str, str]]:
    """name -> (module, name) of every `from M import N` under `if TYPE_CHECKING:` in source."""
    table: dict[str, tuple[str, str]] = {}
    for node in ast.parse(source.read_text()).body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for statement in node.body:
                if isinstance(statement, ast.ImportFrom) and statement.module:
                    for alias in statement.names:
                        table[alias.asname or alias.name] = (statement.module, alias.name)
    return table
