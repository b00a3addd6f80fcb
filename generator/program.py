"""The program's name as the user invoked it, so every hint can be pasted back as is."""

from __future__ import annotations

import sys
from pathlib import Path

import click

NAMES = ("python main.py", "hclgen")


def program() -> str:
    """`python main.py` when started through main.py, else `hclgen` (the console script).

    Inside a command, the name click was given (and shows in its usage lines) wins."""
    context = click.get_current_context(silent=True)
    if context is not None and context.find_root().info_name in NAMES:
        return str(context.find_root().info_name)
    return NAMES[0] if Path(sys.argv[0]).name == "main.py" else NAMES[1]


def command(*words: str) -> str:
    """A full command line for a hint, e.g. command("synth") -> "hclgen synth"."""
    return " ".join((program(), *words))
