"""convert: any Terraform JSON configuration (cdktf's cdk.tf.json) to terraform-fmt-exact HCL."""

from __future__ import annotations

import time
from pathlib import Path

import click

from generator.errors import StaleError
from generator.program import command
from generator.render import outdir
from generator.render.convert import convert_path


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
    files = convert_path(path, schema=schema, tidy_names=tidy_names, progress=lambda line: click.echo(line, err=True))
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


COMMANDS: list[click.Command] = [convert_command]
