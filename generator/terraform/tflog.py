"""Quiet runs: terraform's full output goes to a log file, the terminal gets one line per phase.

plan, apply and destroy write .hclgen/logs/<env>-<command>.log (replaced by the next such run)
and print progress (`dev: apply 20/57 resources done`) and terraform's final line; on a failure
the tail of terraform's output (its error) is printed above the one-line error. `-v` streams
everything as terraform prints it instead.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

import click

from generator.paths import work_dir

TAIL_LINES = 20
_DONE = re.compile(r": (Creation|Modifications|Destruction) complete after ")
_FINAL = re.compile(r"^(Apply complete!|Destroy complete!).*$", re.MULTILINE)


def log_path(root: Path, env: str, what: str) -> Path:
    """Where the quiet `what` (plan, apply, destroy) of env logs terraform's output."""
    return work_dir(root) / "logs" / f"{env}-{what}.log"


def start(root: Path, env: str, what: str) -> Path:
    """A fresh log for this command on this env; its path is printed once."""
    path = log_path(root, env, what)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("")
    click.echo(f"{env}: terraform's output goes to {shown(root, path)} (-v shows it here)", err=True)
    return path


def shown(root: Path, path: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def every(total: int) -> int:
    """How many resources between two progress lines: about five lines per apply."""
    return max(5, -(-total // 5))


class Progress:
    """Counts terraform's "<address>: Creation complete after 2s" lines as they stream."""

    def __init__(self, env: str, verb: str, total: int) -> None:
        self.env, self.verb, self.total = env, verb, total
        self.done = 0
        self._partial = b""
        self._lock = threading.Lock()

    def __call__(self, chunk: bytes) -> None:
        with self._lock:
            lines = (self._partial + chunk).split(b"\n")
            self._partial = lines.pop()
            for line in lines:
                if _DONE.search(line.decode(errors="replace")):
                    self.done += 1
                    if self.done % every(self.total) == 0 and self.done < self.total:
                        self.echo()

    def echo(self) -> None:
        click.echo(f"{self.env}: {self.verb} {self.done}/{self.total} resources done", err=True)


def final_line(stdout: str) -> str | None:
    """terraform's "Apply complete! Resources: 3 added, 0 changed, 0 destroyed." line."""
    match = _FINAL.search(stdout)
    return match.group(0).strip() if match else None


def show_failure(root: Path, log: Path, stdout: str, stderr: str) -> None:
    """The tail of what terraform said (its error box), and where the whole log is."""
    text = stderr if stderr.strip() else stdout
    lines = [line.rstrip() for line in text.strip().splitlines()]
    tail = lines[-TAIL_LINES:]
    if len(lines) > len(tail):
        tail.insert(0, "...")
    click.echo("\n".join(tail), err=True)
    click.echo(f"(terraform's full output: {shown(root, log)})", err=True)
