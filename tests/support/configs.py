"""Writing environment configs into a project copy, for loader and module tests."""

from __future__ import annotations

from pathlib import Path


def write_config(project: Path, env: str, body: str) -> None:
    folder = project / "environments" / env
    folder.mkdir(exist_ok=True)
    (folder / "config.py").write_text(body)


CONFIG = """from generator.environment import Environment
from modules.ecs import EcsInputs
from modules.stack import StackInputs
from modules.vpc import VpcInputs
ENVIRONMENT = Environment(name="{name}", project="acme", region="us-east-1", state_bucket="acme-state",
                          stack=StackInputs({stack}))
"""
