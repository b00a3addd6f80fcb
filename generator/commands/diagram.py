"""diagram: an environment's architecture, as Mermaid text or (with --png) a picture with AWS icons."""

from __future__ import annotations

from pathlib import Path

import click

from generator.paths import project_root


@click.command()
@click.argument("env")
@click.option(
    "--png",
    "png",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FILE",
    help="Render a PNG with AWS icons (needs the `diagrams` extra and graphviz's `dot`); "
    "an existing FILE is replaced only when it is a PNG.",
)
def diagram(env: str, png: Path | None) -> None:
    """Draw ENV's architecture from its synthesized stack (the picture of ARCHITECTURE.md).

    Without --png, prints the Mermaid text.
    """
    from generator.diagram.mermaid import mermaid
    from generator.render.architecture import diagram_of
    from generator.render.project import load
    from generator.render.synth import synthesize

    root = project_root()
    if png is not None:
        from generator.diagram import png as diagram_png
        from generator.paths import check_output_file

        png = check_output_file(root, png, "--png", diagram_png.PNG_SIGNATURE)
        diagram_png.check_graphviz()  # fail before seconds of synth
        diagram_png.require_library()
    (document,) = synthesize(load(root, [env]), root)
    model = diagram_of(document)
    if png is None:
        click.echo(mermaid(model), nl=False)
        return
    from generator.diagram.png import render_png

    click.echo(f"wrote {render_png(model, png)}", err=True)


COMMANDS: list[click.Command] = [diagram]
