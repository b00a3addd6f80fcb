"""bootstrap: create or verify an environment's S3 state bucket."""

from __future__ import annotations

import click

from generator.paths import project_root


@click.command("bootstrap")
@click.argument("env")
@click.option("--local", is_flag=True, help="Bootstrap on the embedded local AWS instead of real AWS.")
@click.option("--repair", is_flag=True, help="Apply the settings an existing bucket lacks.")
def bootstrap_command(env: str, local: bool, repair: bool) -> None:
    """Create ENV's state bucket (versioned, encrypted, private, TLS-only); idempotent."""
    from generator.localaws import server as local_aws
    from generator.render.project import load
    from generator.terraform import statebucket

    root = project_root()
    backend = load(root, [env])[0].env.backend
    settings = None
    if local:
        server, _ = local_aws.ensure(root)
        settings = local_aws.client_settings(server, backend.region)
    client = statebucket.s3_client(backend.region, settings)
    try:
        lines = statebucket.ensure_state_bucket(client, backend, repair=repair)
    except Exception as err:  # botocore's errors: credentials, network, API
        if type(err).__module__.startswith(("botocore", "boto3")):
            from generator.errors import HclgenError

            raise HclgenError(f"bootstrap of {env} failed: {err}") from None
        raise
    for line in lines:
        click.echo(line)


COMMANDS: list[click.Command] = [bootstrap_command]
