"""Promotion order of environments (Environment.after): checked across envs, in apply order.

Each env's own `after` is checked for form in Environment; names of other envs and cycles
can only be checked with every env known, so that happens here, before workflows render.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from generator.errors import ConfigError
from generator.render.project import CONFIG_FILE


@dataclass(frozen=True)
class Stage:
    """One env in apply order: the envs it waits for, directly and through them."""

    env: str
    after: tuple[str, ...]  # as declared
    upstream: tuple[str, ...]  # every env it transitively comes after, in apply order


def _where(env: str) -> str:
    return f"environments/{env}/{CONFIG_FILE}"


def check(order: Mapping[str, Sequence[str]]) -> None:
    """One-line ConfigError for an `after` naming an unknown env, or a cycle."""
    known = sorted(order)
    for env in known:
        for other in order[env]:
            if other not in order:
                raise ConfigError(f"{_where(env)}: after: {other!r} is not an environment (known: {', '.join(known)})")
    for env in known:
        cycle = _cycle_from(env, order, [env])
        if cycle:
            raise ConfigError(f"{_where(env)}: after: the promotion order has a cycle: {' -> '.join(cycle)}")


def _cycle_from(start: str, order: Mapping[str, Sequence[str]], path: list[str]) -> list[str]:
    for other in order[path[-1]]:
        if other == start:
            return [*path, other]
        if other not in path:
            found = _cycle_from(start, order, [*path, other])
            if found:
                return found
    return []


def stages(order: Mapping[str, Sequence[str]]) -> list[Stage]:
    """Every env in apply order (an env after all it waits for; ties by name)."""
    check(order)
    placed: list[str] = []
    while len(placed) < len(order):
        ready = sorted(env for env in order if env not in placed and all(o in placed for o in order[env]))
        placed.extend(ready)
    rank = {env: index for index, env in enumerate(placed)}
    return [Stage(env, tuple(order[env]), tuple(sorted(_upstream(env, order), key=rank.__getitem__))) for env in placed]


def _upstream(env: str, order: Mapping[str, Sequence[str]]) -> set[str]:
    seen: set[str] = set()
    todo = list(order[env])
    while todo:
        other = todo.pop()
        if other not in seen:
            seen.add(other)
            todo.extend(order[other])
    return seen
