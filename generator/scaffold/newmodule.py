"""`new module NAME`: modules/NAME.py (typed inputs, a construct, a docstring) and tests/test_module_NAME.py.

The module starts as one small real resource (a CloudWatch log group the module's code will
write to), so its test renders it, checks the HCL and lets terraform validate it from the first
minute; the author then replaces the resource with what the module is for
(docs/writing-a-module.md).
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass
from pathlib import Path

from generator.errors import UsageError

IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]{0,40}$")


@dataclass(frozen=True)
class NewModule:
    name: str
    files: dict[Path, str]  # path -> text


def plan_module(root: Path, name: str) -> NewModule:
    """The files `new module` would write, checked; raises UsageError (nothing written)."""
    if not IDENTIFIER.match(name) or keyword.iskeyword(name) or keyword.issoftkeyword(name):
        raise UsageError(
            f"new module: {name!r} is not a module name (a lowercase Python identifier like "
            "`queue` or `job_queue`, not a keyword)"
        )
    modules = root / "modules"
    if (modules / f"{name}.py").exists() or (modules / name).exists():
        raise UsageError(f"new module: modules/{name} already exists")
    if name in ("stack", "stack_parts"):
        raise UsageError(f"new module: {name!r} is the stack's own file name")
    test = root / "tests" / f"test_module_{name}.py"
    if test.exists():
        raise UsageError(f"new module: tests/{test.name} already exists")
    title = "".join(part.capitalize() for part in name.split("_"))
    return NewModule(
        name, {modules / f"{name}.py": MODULE.format(name=name, title=title), test: TEST.format(name=name, title=title)}
    )


def write_module(new: NewModule) -> list[Path]:
    """Write both files, or neither."""
    written: list[Path] = []
    try:
        for path, text in new.files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("x", encoding="utf-8") as handle:
                handle.write(text)
            written.append(path)
    except OSError:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return written


MODULE = '''"""{name}: what this module creates and why (one line), then what a reader must know.

Created by `python main.py new module {name}`; docs/writing-a-module.md walks through the next steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator import validate
from generator.cdk import CloudwatchLogGroup, Construct, tracked

MODULE = "{name}"


@dataclass(frozen=True, kw_only=True)
class {title}Inputs:
    """What an environment config sets for {name}; every field has a default suited to dev.

    retention_days: how long the log events are kept (a value CloudWatch Logs accepts).
    tags: extra tags on every resource of the module.
    """

    retention_days: int = 30
    tags: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        validate.one_of(MODULE, "retention_days", self.retention_days,
                        (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827, 3653))


class {title}(Construct):
    """Outputs: log_group_name."""

    def __init__(self, scope: Construct, id_: str, inputs: {title}Inputs, *, name: str) -> None:
        super().__init__(scope, id_)
        group = tracked(CloudwatchLogGroup(self, "this", name=f"/{{name}}/{name}",
                                           retention_in_days=inputs.retention_days,
                                           tags={{"Name": f"{{name}}-{name}", **inputs.tags}}))
        self.log_group_name: str = group.name
'''

TEST = '''"""modules/{name}.py: it renders to HCL that terraform validates, and bad inputs name their field."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import InputError
from modules.{name} import {title}, {title}Inputs
from tests.support.modulekit import render_module, validate_hcl


def test_{name}_renders() -> None:
    files = render_module(lambda scope: {title}(scope, "{name}", {title}Inputs(), name="acme-dev"))
    assert 'resource "aws_cloudwatch_log_group" "this"' in files["{name}.tf"]


def test_{name}_rejects_bad_input() -> None:
    with pytest.raises(InputError) as caught:
        {title}Inputs(retention_days=2)
    assert caught.value.field == "retention_days"


@pytest.mark.terraform
def test_{name}_validates(tmp_path: Path) -> None:
    files = render_module(lambda scope: {title}(scope, "{name}", {title}Inputs(), name="acme-dev"))
    validate_hcl(files, tmp_path)
'''
