"""ci-record (a job's step outcomes, for the comment) and artifact (a plan folder safe to upload)."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("ci-record")
@click.option("--job", required=True, metavar="JOB", help="The workflow job's id (the check job: `check`).")
@click.option("--env", "env_name", metavar="ENV", help="The env a matrix job worked on.")
@click.option(
    "--name",
    "--names",
    "names",
    multiple=True,
    metavar="ID=NAME",
    help="Human name of a step id (repeatable); the generated workflows' ids have names already.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    metavar="DIR",
    help="Folder of the records (new, empty or made by ci-record); default .hclgen/status.",
)
def ci_record(job: str, env_name: str | None, names: tuple[str, ...], out: Path | None) -> None:
    """Record this job's steps from HCLGEN_STEPS_JSON (`${{ toJSON(steps) }}`) in .hclgen/status/JOB[-ENV].json.

    Run it as the job's last step with `if: always()`; `comment --status-dir` reads the records.
    """
    from generator.review.comment import status

    record, path = status.record_job(job, env_name, names, out)
    failed = ", ".join(step.id for step in record.failed)
    click.echo(
        f"recorded {len(record.steps)} steps of job {job}{' ' + env_name if env_name else ''} in {path}"
        + (f" (did not succeed: {failed})" if failed else ""),
        err=True,
    )


@click.command("artifact")
@click.argument("env")
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    metavar="DIR",
    help="Target folder: new, empty, or one this command made (replaced whole); never the checkout, "
    "environments/, .git/ or the tool's state. Default .hclgen/artifacts/ENV.",
)
@click.option(
    "--include-tfplan", is_flag=True, help="Also copy the raw plan.tfplan, which holds sensitive values in clear text."
)
def artifact(env: str, out: Path | None, include_tfplan: bool) -> None:
    """Copy what reviewers need from ENV's saved plan: plan.txt, plan.json with sensitive values
    stripped, meta.json and the source map. `comment DIR` renders it like the plan folder."""
    from generator.paths import project_root, work_dir
    from generator.review.artifact import make_artifact

    root = project_root()
    copied = make_artifact(root, env, out or work_dir(root) / "artifacts" / env, include_tfplan=include_tfplan)
    click.echo(f"{env}: {', '.join(copied.files)} in {copied.folder}", err=True)


COMMANDS: list[click.Command] = [ci_record, artifact]
