"""`deploy ENV --image-tag TAG`: roll a new image so that the next apply keeps it.

The env's image tag lives in an SSM parameter (modules/deploy.py) that the task definition
reads. A deploy writes the parameter, plans, checks that the plan only rolls the service
(a new task definition revision and the service update; anything else means main holds
un-applied changes, and the tag is put back), and applies that plan. With CodeDeploy
blue/green on, the service's task definition is CodeDeploy's: the apply registers the new
revision and a CodeDeploy deployment shifts traffic to it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from generator.errors import HclgenError, RefusedError, UsageError
from generator.localaws import server as local_aws
from generator.program import command
from generator.terraform import operations, pending, rails, runlock, workspace
from generator.terraform.workspace import Workspace

TAG = pending.TAG  # the tags a deploy accepts and a pending record may hold
# What an image roll may change: a new task definition revision and the service that runs it.
ROLL_TYPES = ("aws_ecs_task_definition", "aws_ecs_service")
OVERRIDE_FLAG = "--override-branch-check"
CONTAINER = "app"


def deploy(
    root: Path, name: str, image_tag: str, *, local: bool, auto_approve: bool, override_branch: bool = False
) -> int:
    if not TAG.fullmatch(image_tag):
        raise UsageError(f"--image-tag {image_tag!r} is not an image tag (letters, digits, _ . -; max 128)")
    rails.require_terminal(auto_approve, "deploy")
    rails.check_synced(root, [name])
    rails.check_branch(root, name, override=override_branch, flag=OVERRIDE_FLAG)
    with runlock.hold(root, [name], f"deploy {name}"):  # no apply of the env between tag write and roll
        return _deploy(operations.open_workspace(root, name, local=local), name, image_tag, auto_approve)


def _deploy(ws: Workspace, name: str, image_tag: str, auto_approve: bool) -> int:
    outputs = read_outputs(ws)
    parameter = outputs.get("image_tag_parameter")
    if not parameter:
        raise HclgenError(
            f"{name} has no image tag parameter in its state: apply it first "
            f"(`{command('apply', name)}{ws.local_flag()}`), with deploy.tag_from_parameter on"
        )
    ssm = _client(ws, "ssm")
    untested = pending.read_pending(
        ws.root, name
    )  # a killed deploy's tag is untested: the one before it is the old tag
    previous = untested or _ssm_call(lambda: ssm.get_parameter(Name=parameter)["Parameter"]["Value"], parameter)
    if previous == image_tag:
        click.echo(f"{name}: {image_tag} is already the deployed tag; applying to converge")
    pending.write_pending(ws.root, name, previous, image_tag)
    _ssm_call(lambda: ssm.put_parameter(Name=parameter, Value=image_tag, Type="String", Overwrite=True), parameter)
    try:
        _plan_and_apply(ws, name, auto_approve, previous)
    except BaseException as err:  # a failed plan or apply, a killed terraform, Ctrl-C: the old tag again
        _put_back(ssm, parameter, previous, err)
        pending.pending_path(ws.root, name).unlink(missing_ok=True)
        raise
    pending.pending_path(ws.root, name).unlink(missing_ok=True)
    if "codedeploy_deployment_group_name" in outputs:
        _blue_green(ws, read_outputs(ws))
    click.echo(f"{name}: deployed image tag {image_tag} (was {previous})")
    return 0


def _plan_and_apply(ws: Workspace, name: str, auto_approve: bool, previous: str) -> None:
    outcome = operations.plan(ws)
    try:
        extra = [c.address for c in outcome.plan.changes if c.address.split(".")[0] not in ROLL_TYPES]
        if extra:
            raise RefusedError(
                f"deploy rolls only the image, but the plan of {name} also changes "
                f"{', '.join(extra[:5])}; apply main first (`{command('apply', name)}{ws.local_flag()}`). "
                f"The tag is back at {previous}"
            )
        if outcome.plan.has_changes:
            if not auto_approve and not rails.confirm_apply(name):
                raise HclgenError(f"deploy cancelled; the tag is back at {previous}")
            operations.apply_saved(ws, outcome.saved)
    finally:
        outcome.saved.discard_private()


def _put_back(ssm: Any, parameter: str, previous: str, err: BaseException) -> None:
    """Restore the tag a failed deploy wrote, so the next ordinary apply does not roll an untested image."""
    try:
        ssm.put_parameter(Name=parameter, Value=previous, Type="String", Overwrite=True)
    except Exception as restore:  # noqa: BLE001 - any failure here must be named, never hide err
        raise HclgenError(
            f"deploy failed ({err or type(err).__name__}) and the image tag parameter {parameter} "
            f"could not be put back to {previous} ({restore}); set it back before the next "
            "apply"
        ) from None
    if not isinstance(err, HclgenError) or "is back at" not in str(err):
        click.echo(f"deploy did not finish; the image tag parameter {parameter} is back at {previous}", err=True)


def _ssm_call(call: Callable[[], Any], parameter: str) -> Any:
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        return call()
    except (BotoCoreError, ClientError) as err:
        raise HclgenError(f"the image tag parameter {parameter}: {err}") from None


def read_outputs(ws: Workspace) -> dict[str, Any]:
    """The env's Terraform outputs as name -> value ({} before the first apply)."""
    workspace.init(ws)
    result = ws.run("output", "-json", echo_stdout=False)
    return {key: item.get("value") for key, item in json.loads(result.stdout or "{}").items()}


def appspec(task_definition_arn: str, container_port: int) -> str:
    """The ECS AppSpec CodeDeploy needs: which task definition, and the container the ALB reaches."""
    return json.dumps(
        {
            "version": 0.0,
            "Resources": [
                {
                    "TargetService": {
                        "Type": "AWS::ECS::Service",
                        "Properties": {
                            "TaskDefinition": task_definition_arn,
                            "LoadBalancerInfo": {"ContainerName": CONTAINER, "ContainerPort": container_port},
                        },
                    }
                }
            ],
        }
    )


def _blue_green(ws: Workspace, outputs: dict[str, Any]) -> None:
    content = appspec(str(outputs["ecs_task_definition_arn"]), int(outputs["ecs_container_port"]))
    reply = _client(ws, "codedeploy").create_deployment(
        applicationName=outputs["codedeploy_app_name"],
        deploymentGroupName=outputs["codedeploy_deployment_group_name"],
        revision={"revisionType": "AppSpecContent", "appSpecContent": {"content": content}},
        description=f"hclgen deploy of {ws.name}",
    )
    click.echo(
        f"{ws.name}: CodeDeploy blue/green deployment {reply['deploymentId']} started "
        f"(test listener first, then traffic shift)"
    )


def _client(ws: Workspace, service: str) -> Any:
    import boto3

    region = ws.loaded.env.region
    if ws.server is not None:
        return boto3.client(service, **local_aws.client_settings(ws.server, region))
    return boto3.client(service, region_name=region)
