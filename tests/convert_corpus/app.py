"""The convert oracle's corpus: one small cdktf stack per feature, plus two multi-resource apps.

Run as `python app.py OUTDIR`; cdktf writes OUTDIR/stacks/<stack>/cdk.tf.json. Every provider
has fake credentials and no start-up calls, so plans run offline.
"""

from __future__ import annotations

import sys
from typing import Any

from cdktf import (
    App,
    Fn,
    LocalExecProvisioner,
    NamedRemoteWorkspace,
    Postcondition,
    Precondition,
    RemoteBackend,
    SSHProvisionerConnection,
    TerraformCount,
    TerraformHclModule,
    TerraformIterator,
    TerraformLocal,
    TerraformOutput,
    TerraformResourceLifecycle,
    TerraformStack,
    TerraformVariable,
    TerraformVariableValidationConfig,
)
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.data_aws_iam_policy_document import (
    DataAwsIamPolicyDocument,
    DataAwsIamPolicyDocumentStatement,
    DataAwsIamPolicyDocumentStatementPrincipals,
)
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.instance import Instance
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.security_group import SecurityGroup, SecurityGroupIngress  # noqa: F401
from cdktf_cdktf_provider_aws.sns_topic import SnsTopic
from cdktf_cdktf_provider_aws.sqs_queue import SqsQueue
from cdktf_cdktf_provider_aws.ssm_parameter import SsmParameter
from constructs import Construct

OFFLINE: dict[str, Any] = dict(
    access_key="test",
    secret_key="test",
    skip_credentials_validation=True,
    skip_requesting_account_id=True,
    skip_metadata_api_check="true",
)


def stack(app: App, name: str) -> TerraformStack:
    result = TerraformStack(app, name)
    AwsProvider(result, "aws", region="us-east-1", **OFFLINE)
    result.add_override("terraform.required_providers.aws.version", "~> 5.99")  # the provider the mirror holds
    return result


def terraform_block(app: App) -> None:
    s = stack(app, "terraform-block")
    s.add_override("terraform.required_version", ">= 1.5.0")
    RemoteBackend(s, organization="acme", workspaces=NamedRemoteWorkspace("demo"))
    SnsTopic(s, "topic", name="alerts")


def provider_alias(app: App) -> None:
    s = stack(app, "provider-alias")
    west = AwsProvider(s, "west", alias="west", region="us-west-2", **OFFLINE)
    SqsQueue(s, "queue", name="west-jobs", provider=west)


def variables_and_locals(app: App) -> None:
    s = stack(app, "variables-locals")
    names = TerraformVariable(
        s,
        "names",
        type="list(string)",
        default=["a", "b"],
        description="Queue names",
        nullable=False,
        validation=[
            TerraformVariableValidationConfig(
                condition="${length(var.names) > 0}", error_message="Give at least one name."
            )
        ],
    )
    secret = TerraformVariable(s, "secret", type="string", default="s3cr3t", sensitive=True)
    prefix = TerraformLocal(s, "prefix", "app-${terraform.workspace}")
    tags = TerraformLocal(s, "tags", {"team": "core", "env": prefix.as_string})
    SqsQueue(s, "queue", name=f"{prefix.as_string}-{Fn.element(names.list_value, 0)}", tags=tags.as_string_map)
    SsmParameter(s, "param", name="/app/secret", type="SecureString", value=secret.string_value)


def data_source(app: App) -> None:
    s = stack(app, "data-source")
    doc = DataAwsIamPolicyDocument(
        s,
        "assume",
        statement=[
            DataAwsIamPolicyDocumentStatement(
                actions=["sts:AssumeRole"],
                principals=[
                    DataAwsIamPolicyDocumentStatementPrincipals(type="Service", identifiers=["ecs-tasks.amazonaws.com"])
                ],
            )
        ],
    )
    IamRole(s, "role", name="task", assume_role_policy=doc.json)


def meta_arguments(app: App) -> None:
    s = stack(app, "meta-arguments")
    topic = SnsTopic(s, "topic", name="events")
    SqsQueue(s, "counted", count=TerraformCount.of(2), name="counted-${count.index}", depends_on=[topic])
    names = TerraformVariable(s, "names", type="set(string)", default=["x", "y"])
    each = TerraformIterator.from_list(names.list_value)
    SqsQueue(s, "each", for_each=each, name=f"each-{Fn.tostring(each.value)}")
    SqsQueue(
        s,
        "guarded",
        name="guarded",
        lifecycle=TerraformResourceLifecycle(
            create_before_destroy=True,
            ignore_changes=["tags"],
            replace_triggered_by=[topic.id],
            precondition=[Precondition(condition="${length(var.names) > 0}", error_message="names")],
            postcondition=[Postcondition(condition='${self.name == "guarded"}', error_message="name")],
        ),
    )


def dynamic_blocks(app: App) -> None:
    s = stack(app, "dynamic-blocks")
    actions = TerraformVariable(s, "actions", type="list(string)", default=["sqs:SendMessage", "sqs:ReceiveMessage"])
    each = TerraformIterator.from_list(actions.list_value)
    doc = DataAwsIamPolicyDocument(
        s, "doc", statement=each.dynamic({"actions": [each.value], "resources": ["*"], "effect": "Allow"})
    )
    SsmParameter(s, "policy", name="/policy", type="String", value=doc.json)


def provisioners(app: App) -> None:
    s = stack(app, "provisioners")
    Instance(
        s,
        "web",
        ami="ami-12345678",
        instance_type="t3.micro",
        user_data="#!/bin/sh\necho hello\nsystemctl start app\n",
        provisioners=[LocalExecProvisioner(type="local-exec", command="echo ${self.id}")],
        connection=SSHProvisionerConnection(type="ssh", host="${self.public_ip}", user="ec2-user"),
    )


def module_call(app: App) -> None:
    s = stack(app, "module-call")
    module = TerraformHclModule(
        s, "naming", source="./mod", variables={"prefix": "app"}, skip_asset_creation_from_local_modules=True
    )
    SqsQueue(s, "queue", name=module.get_string("name"))


def outputs(app: App) -> None:
    s = stack(app, "outputs")
    queue = SqsQueue(s, "queue", name="out")
    TerraformOutput(s, "url", value=queue.url, description="Queue URL", sensitive=True, depends_on=[queue])
    TerraformOutput(s, "names", value={"queue": queue.name, "list": [queue.name, "x"]})


def moved_import_removed(app: App) -> None:
    s = stack(app, "moved-import-removed")
    queue = SqsQueue(s, "queue", name="renamed")
    queue.move_from_id("aws_sqs_queue.old")
    s.add_override("removed", [{"from": "aws_sqs_queue.gone", "lifecycle": {"destroy": False}}])


def imports(app: App) -> None:
    s = stack(app, "imports")
    topic = SnsTopic(s, "topic", name="imported")
    topic.import_from("arn:aws:sns:us-east-1:123456789012:imported")


def checks(app: App) -> None:
    s = stack(app, "checks")
    SnsTopic(s, "topic", name="checked")
    s.add_override(
        "check",
        {
            "doc": {
                "data": {
                    "aws_iam_policy_document": {
                        "probe": {"statement": [{"actions": ["sns:Publish"], "resources": ["*"]}]}
                    }
                },
                "assert": [
                    {
                        "condition": "${length(data.aws_iam_policy_document.probe.json) > 0}",
                        "error_message": "empty policy",
                    }
                ],
            }
        },
    )


def expressions(app: App) -> None:
    s = stack(app, "expressions")
    names = TerraformVariable(s, "names", type="list(string)", default=["a", "b"])
    flag = TerraformVariable(s, "flag", type="bool", default=True)
    queues = SqsQueue(s, "q", count=TerraformCount.of(2), name="q-${count.index}")
    upper = TerraformIterator.from_list(names.list_value).for_expression_for_list("upper(val)")
    TerraformLocal(s, "upper", upper)
    TerraformLocal(s, "arns", "${aws_sqs_queue.q[*].arn}")
    TerraformLocal(s, "choice", Fn.conditional(flag.boolean_value, "yes", "no"))
    TerraformLocal(s, "joined", Fn.join(",", names.list_value))
    TerraformLocal(s, "template", "queues: %{ for n in var.names }${n} %{ endfor }")
    SsmParameter(s, "doc", name="/doc", type="String", value=Fn.jsonencode({"names": names.list_value, "n": 1}))
    SsmParameter(s, "count", name="/count", type="String", value=Fn.tostring(Fn.length_of(queues.fqn)))


def app_service(app: App) -> None:
    """A realistic few-resource app: queue, dead letters, topic, logs, role with a policy document."""
    s = stack(app, "app-service")
    env = TerraformVariable(s, "env", type="string", default="dev")
    dlq = SqsQueue(s, "dlq", name=f"jobs-dlq-{env.string_value}", message_retention_seconds=1209600)
    jobs = SqsQueue(
        s,
        "jobs",
        name=f"jobs-{env.string_value}",
        visibility_timeout_seconds=60,
        redrive_policy=Fn.jsonencode({"deadLetterTargetArn": dlq.arn, "maxReceiveCount": 5}),
    )
    SnsTopic(s, "alerts", name=f"alerts-{env.string_value}", tags={"Env": env.string_value})
    CloudwatchLogGroup(s, "logs", name=f"/app/{env.string_value}", retention_in_days=30)
    doc = DataAwsIamPolicyDocument(
        s,
        "assume",
        statement=[
            DataAwsIamPolicyDocumentStatement(
                actions=["sts:AssumeRole"],
                principals=[
                    DataAwsIamPolicyDocumentStatementPrincipals(type="Service", identifiers=["lambda.amazonaws.com"])
                ],
            )
        ],
    )
    IamRole(
        s,
        "worker",
        name=f"worker-{env.string_value}",
        assume_role_policy=doc.json,
        inline_policy=[
            {
                "name": "queue",
                "policy": Fn.jsonencode(
                    {
                        "Version": "2012-10-17",
                        "Statement": [{"Effect": "Allow", "Action": ["sqs:ReceiveMessage"], "Resource": jobs.arn}],
                    }
                ),
            }
        ],
    )
    TerraformOutput(s, "queue_url", value=jobs.url)


def app_buckets(app: App) -> None:
    """A second realistic app: buckets per name with for_each, a shared security group, an instance."""
    s = stack(app, "app-buckets")
    names = TerraformVariable(s, "buckets", type="set(string)", default=["logs", "assets"])
    each = TerraformIterator.from_list(names.list_value)
    S3Bucket(
        s,
        "bucket",
        for_each=each,
        bucket=f"acme-{Fn.tostring(each.value)}",
        force_destroy=True,
        tags={"Name": Fn.tostring(each.value)},
    )
    SecurityGroup(
        s,
        "sg",
        name="app",
        ingress=[
            SecurityGroupIngress(
                from_port=443, to_port=443, protocol="tcp", cidr_blocks=["10.0.0.0/8"], description="https"
            )
        ],
    )
    TerraformOutput(s, "bucket_names", value="${[for b in aws_s3_bucket.bucket : b.bucket]}")


FEATURES = (
    terraform_block,
    provider_alias,
    variables_and_locals,
    data_source,
    meta_arguments,
    dynamic_blocks,
    provisioners,
    module_call,
    outputs,
    moved_import_removed,
    imports,
    checks,
    expressions,
    app_service,
    app_buckets,
)


def main(outdir: str) -> None:
    app = App(outdir=outdir)
    for feature in FEATURES:
        feature(app)
    app.synth()


if __name__ == "__main__":
    main(sys.argv[1])


_ = Construct  # the constructs library is imported so the bindings load with it
