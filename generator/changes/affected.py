"""Which environments a change touches, and why. Pure: paths in, decision out (no git here)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

ENVIRONMENTS_DIR = "environments/"
# Inputs that feed every environment's rendered HCL or the tool that renders and applies it.
SHARED_PREFIXES: tuple[str, ...] = ("modules/", "generator/", "templates/")
SHARED_FILES: tuple[str, ...] = ("pyproject.toml",)


@dataclass(frozen=True)
class Affected:
    """The affected envs (in the order the env names were given) and the reasons for each.

    reasons are sentences for people; causes the bare changed paths (or the one stated reason)
    behind them, for the CI matrix."""

    envs: tuple[str, ...]
    reasons: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    causes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """One human line per env: `dev: environments/dev/alb.tf changed; ...`."""
        return [f"{env}: {'; '.join(self.reasons[env])}" for env in self.envs]

    def matrix(self) -> dict[str, Any]:
        """The GitHub Actions matrix: {"include": [{"env": "dev", "reasons": ["modules/ecs.py"]}, ...]}."""
        return {
            "include": [{"env": env, "reasons": list(self.causes.get(env) or self.reasons[env])} for env in self.envs]
        }


def normalize(path: str) -> str:
    """A repo-relative POSIX path: backslashes and a leading ./ removed."""
    clean = path.strip().replace("\\", "/")
    while clean.startswith("./"):
        clean = clean[2:]
    return clean


def shared_input(path: str) -> bool:
    """True when the path feeds every environment."""
    return path in SHARED_FILES or any(path.startswith(prefix) for prefix in SHARED_PREFIXES)


def env_of(path: str) -> str | None:
    """The env folder a path lies in (`environments/dev/x.tf` -> `dev`), else None."""
    if not path.startswith(ENVIRONMENTS_DIR):
        return None
    rest = path[len(ENVIRONMENTS_DIR) :]
    name, sep, _ = rest.partition("/")
    return name if sep and name else None


def affected_envs(changed: Iterable[str], env_names: Sequence[str]) -> Affected:
    """The envs touched by the changed paths: their own folder, or any shared input.

    Paths outside both (README.md, .github/, an unknown env's folder) affect nothing.
    """
    known = set(env_names)
    shared: list[str] = []
    own: dict[str, list[str]] = {name: [] for name in env_names}
    for raw in changed:
        path = normalize(raw)
        if not path:
            continue
        env = env_of(path)
        if env in known:
            own[env].append(path)
        elif shared_input(path):
            shared.append(path)
    causes = {name: tuple(dict.fromkeys(own[name] + shared)) for name in env_names}
    envs = tuple(name for name in env_names if causes[name])
    reasons = {
        name: tuple(dict.fromkeys([f"{p} changed" for p in own[name]] + [f"shared input {p} changed" for p in shared]))
        for name in envs
    }
    return Affected(envs=envs, reasons=reasons, causes={name: causes[name] for name in envs})


def everything(env_names: Sequence[str], why: str) -> Affected:
    """Every env, for one stated reason (no base commit to diff against, or --all)."""
    return Affected(envs=tuple(env_names), reasons={name: (why,) for name in env_names})
