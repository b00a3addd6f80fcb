"""convert: any Terraform JSON configuration (cdktf's cdk.tf.json) to terraform-fmt-exact HCL."""

from __future__ import annotations

import time
from pathlib import Path

import click

from generator.errors import StaleError
from generator.hcl.document import convert as convert_document
from generator.hcl.schema import Schemas, default_schemas, installed, with_schema_file
from generator.hcl.source import Stack, stacks
from generator.hcl.tidy import tidy
from generator.program import command
from generator.render import outdir

_BIG = 200  # resources in a stack above which a progress line is worth printing


@click.command("convert")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(path_type=Path),
    help="Folder for the HCL files: new, empty, or written by convert before.",
)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 listing the files that differ.")
@click.option(
    "--schema",
    "schema",
    type=click.Path(path_type=Path),
    default=None,
    help="`terraform providers schema -json` output, for providers other than AWS (default: asked "
    "of terraform where PATH is initialised, else the bundled AWS schema).",
)
@click.option(
    "--tidy-names",
    is_flag=True,
    help="Drop cdktf's 8-digit hash from resource names; moved blocks carry the state over.",
)
def convert_command(path: Path, out: Path, check: bool, schema: Path | None, tidy_names: bool) -> None:
    """Convert PATH (a *.tf.json file, a folder of them, or cdktf.out/stacks) into HCL files in --out.

    Addresses stay exactly as in the JSON (unless --tidy-names). What cannot be rendered exactly is refused with one
    line naming the construct and its JSON path, and nothing is written."""
    started = time.monotonic()
    outdir.guard_output_folder(out)
    given = with_schema_file(schema) if schema else None
    found = stacks(path)
    files: dict[str, str] = {}
    for stack in found:
        # An initialised stack folder (after `cdktf diff`/`deploy`) has its providers' own schemas.
        schemas = given or installed(stack.files[0].parent) or default_schemas()
        if tidy_names:
            document, renamed = tidy(stack.document)
            stack = Stack(stack.name, stack.files, document)
            click.echo(
                f"convert: {stack.name or path.name}: {renamed} name(s) tidied, each with a moved block", err=True
            )
        rendered = _render(stack, schemas)
        prefix = f"{stack.name}/" if stack.name else ""
        files.update({prefix + name: text for name, text in rendered.items()})
        count = (
            sum(len(named) for named in stack.document.get("resource", {}).values())
            if isinstance(stack.document.get("resource"), dict)
            else 0
        )
        if len(found) > 1 or count >= _BIG:
            click.echo(f"convert: {stack.name or path.name}: {count} resource(s), {len(rendered)} file(s)", err=True)
    for folder in sorted({file.parent for stack in found for file in stack.files}):
        hcl = sorted(folder.glob("*.tf"))
        if hcl:  # already HCL: part of the configuration, but not what convert reads
            click.echo(
                f"convert: note: {len(hcl)} *.tf file(s) in {folder} are not converted; copy them "
                f"beside the output ({', '.join(p.name for p in hcl[:3])}{' ...' if len(hcl) > 3 else ''})",
                err=True,
            )
    difference = outdir.difference(out, files, str(out))
    if check:
        for label, paths in (
            ("missing", difference.created),
            ("differs", difference.updated),
            ("extra", difference.removed),
        ):
            for item in paths:
                click.echo(f"  {label} {item}", err=True)
        if difference.paths:
            raise StaleError(
                f"{len(difference.paths)} file(s) in {out} differ from {path}; run "
                f"`{command('convert', str(path), '--out', str(out))}`"
            )
        click.echo(f"convert --check: {out} is up to date", err=True)
        return
    outdir.write(out, files)
    click.echo(
        f"convert: {len(files)} file(s) in {out}, {len(difference.paths)} changed ({time.monotonic() - started:.1f}s)",
        err=True,
    )


def _render(stack: Stack, schemas: Schemas) -> dict[str, str]:
    names = ", ".join(file.name for file in stack.files)
    header = [f"Converted from {names} by `hclgen convert`. Addresses are those of the JSON configuration."]
    return convert_document(stack.document, header, schemas)


COMMANDS: list[click.Command] = [convert_command]
