"""synth, diff, envs."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
