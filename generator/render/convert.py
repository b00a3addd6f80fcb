"""`convert`'s engine: PATH (a *.tf.json file, a folder of them, cdktf.out/stacks) -> {file: HCL text}.

Each stack is rendered with its own providers' schemas when it was initialised, else the given
or the bundled AWS schema; --tidy-names drops cdktf's hashes (with moved blocks). Nothing is
written here: the command compares or writes the result through render/outdir.py.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from generator.hcl.document import convert as convert_document
from generator.hcl.schema import Schemas, default_schemas, installed, with_schema_file
from generator.hcl.source import Stack, stacks
from generator.hcl.tidy import tidy

_BIG = 200  # resources in a stack above which a progress line is worth printing


def convert_path(
    path: Path, *, schema: Path | None, tidy_names: bool, progress: Callable[[str], None]
) -> dict[str, str]:
    """The HCL files of every stack under PATH (a stack's files in its own folder when there are
    several); `progress` gets the tidy counts, big stacks' sizes and *.tf files left alone."""
    given = with_schema_file(schema) if schema else None
    found = stacks(path)
    files: dict[str, str] = {}
    for stack in found:
        # An initialised stack folder (after `cdktf diff`/`deploy`) has its providers' own schemas.
        schemas = given or installed(stack.files[0].parent) or default_schemas()
        if tidy_names:
            document, renamed = tidy(stack.document)
            stack = Stack(stack.name, stack.files, document)
            progress(f"convert: {stack.name or path.name}: {renamed} name(s) tidied, each with a moved block")
        rendered = _render(stack, schemas)
        prefix = f"{stack.name}/" if stack.name else ""
        files.update({prefix + name: text for name, text in rendered.items()})
        resources = stack.document.get("resource")
        count = sum(len(named) for named in resources.values()) if isinstance(resources, dict) else 0
        if len(found) > 1 or count >= _BIG:
            progress(f"convert: {stack.name or path.name}: {count} resource(s), {len(rendered)} file(s)")
    for folder in sorted({file.parent for stack in found for file in stack.files}):
        hcl = sorted(folder.glob("*.tf"))
        if hcl:  # already HCL: part of the configuration, but not what convert reads
            progress(
                f"convert: note: {len(hcl)} *.tf file(s) in {folder} are not converted; copy them "
                f"beside the output ({', '.join(p.name for p in hcl[:3])}{' ...' if len(hcl) > 3 else ''})"
            )
    return files


def _render(stack: Stack, schemas: Schemas) -> dict[str, str]:
    names = ", ".join(file.name for file in stack.files)
    header = [f"Converted from {names} by `hclgen convert`. Addresses are those of the JSON configuration."]
    return convert_document(stack.document, header, schemas)
