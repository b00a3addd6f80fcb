"""Test one module on its own: render it in a throwaway environment, let terraform validate the HCL.

Used by the tests `python main.py new module NAME` writes (tests/test_module_NAME.py), so a new
module is rendered and validated from its first minute, without being wired into any env.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.environment import Environment
from generator.render.emit import emit
from generator.render.project import LoadedEnv
from scripts.projectcopy import ROOT
from tests.support import tf


@dataclass(frozen=True)
class _Only:
    """A blueprint that composes one module (plus nothing else)."""

    build: Callable[[Any], object]

    def compose(self, scope: Any, env: Environment) -> None:
        self.build(scope)


def render_module(build: Callable[[Any], object], *, region: str = "us-east-1") -> dict[str, str]:
    """file name -> HCL of an env holding only what `build(scope)` creates (its construct id names the file)."""
    from generator.render.synth import synthesize

    env = Environment(
        name="modtest", project="acme", region=region, state_bucket="acme-modtest-state", stack=_Only(build)
    )
    loaded = LoadedEnv(env=env, root=ROOT / "environments" / "modtest", config_path=ROOT / "tests" / "modulekit.py")
    (document,) = synthesize([loaded], ROOT)
    return emit(document)


def validate_hcl(files: dict[str, str], workdir: Path) -> None:
    """terraform init (no backend) and validate, with the provider from HCLGEN_PLUGIN_MIRROR."""
    workdir.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (workdir / name).write_text(text)
    rc = tf.cli_config(workdir)
    tf.init(workdir, rc)
    tf.terraform(workdir, "validate", "-no-color", rc=rc)
