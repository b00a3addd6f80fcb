"""The one error a rendering refuses with: what cannot be rendered exactly, and where in the JSON."""

from __future__ import annotations

from generator.errors import ExitCode, HclgenError


class Unrenderable(HclgenError):
    """A construct with no exact HCL rendering here; the message names it and its JSON path."""

    exit_code = ExitCode.FAILURE

    def __init__(self, construct: str, where: str) -> None:
        super().__init__(f"cannot convert {where}: {construct} has no exact HCL rendering here; nothing was written")
        self.construct, self.where = construct, where
