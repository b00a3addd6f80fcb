"""convert: every construct of Terraform's JSON syntax rendered fmt-exact, or refused in one line.

Plan equivalence with real terraform lives in test_convert_oracle.py; these are the fast checks:
the renderer's output against `terraform fmt`, the refusals, bad input and the output folder.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.hcl import expr
from generator.hcl.document import convert
from generator.hcl.refusal import Unrenderable
from generator.hcl.schema import default_schemas
from tests.conftest import ROOT

EVERY_CONSTRUCT: dict[str, Any] = {
    "//": {"metadata": {"stackName": "demo", "version": "0.20.12"}},
    "terraform": {
        "required_version": ">= 1.5",
        "required_providers": {
            "aws": {"version": "~> 5.99", "source": "hashicorp/aws", "configuration_aliases": ["aws.west"]}
        },
        "backend": {"remote": {"organization": "acme", "workspaces": {"name": "demo"}}},
    },
    "provider": {
        "aws": [
            {"region": "eu-west-1", "default_tags": [{"tags": {"team": "x"}}]},
            {"alias": "west", "region": "us-west-2"},
        ]
    },
    "variable": {
        "names": {
            "type": "list(string)",
            "default": ["a", "b"],
            "description": "Names",
            "nullable": False,
            "sensitive": False,
            "validation": [{"condition": "${length(var.names) > 0}", "error_message": "Need one."}],
        }
    },
    "locals": {
        "prefix": "app-${var.names[0]}",
        "m": {"a": 1, "b c": "${var.names}"},
        "upper": "${[ for k, v in var.names: upper(v)]}",
        "pick": '${var.names[0]=="a"?1:-1}',
        "all": "${aws_sqs_queue.jobs[*].arn}",
        "tpl": "%{ if true }yes%{ endif }",
    },
    "data": {"aws_iam_policy_document": {"doc": {"statement": [{"actions": ["sqs:*"], "resources": ["*"]}]}}},
    "resource": {
        "aws_security_group": {
            "sg": {
                "name": "sg",
                "//": {"metadata": {"path": "demo/network/sg"}},
                "dynamic": {
                    "ingress": {
                        "for_each": "${var.names}",
                        "iterator": "rule",
                        "content": {"from_port": 80, "to_port": 80, "protocol": "tcp"},
                    }
                },
                "lifecycle": {
                    "create_before_destroy": True,
                    "prevent_destroy": False,
                    "ignore_changes": ["tags"],
                    "replace_triggered_by": ["${aws_sqs_queue.jobs}"],
                    "precondition": [{"condition": "${true}", "error_message": "x"}],
                    "postcondition": [{"condition": '${self.name != ""}', "error_message": "y"}],
                },
            }
        },
        "aws_sqs_queue": {
            "jobs": {
                "name": "jobs",
                "count": 2,
                "provider": "aws.west",
                "policy": '{"Statement":[{"Effect":"Allow"}],"Version":"2012-10-17"}',
                "depends_on": ["aws_security_group.sg"],
            },
            "each": {
                "for_each": "${toset(var.names)}",
                "name": "q-${each.key}",
                "lifecycle": {"ignore_changes": "all"},
            },
        },
        "aws_instance": {
            "web": {
                "ami": "ami-1",
                "instance_type": "t3.micro",
                "user_data": "#!/bin/sh\necho ${var.names[0]}\n",
                "root_block_device": {"volume_size": 20},
                "connection": {"host": "${self.public_ip}", "type": "ssh"},
                "provisioner": [
                    {"local-exec": {"command": "echo hi", "when": "destroy", "on_failure": "continue"}},
                    {
                        "remote-exec": {
                            "inline": ["uptime"],
                            "connection": {"host": "${self.private_ip}", "type": "ssh"},
                        }
                    },
                ],
            }
        },
    },
    "module": {
        "net": {
            "source": "./mod",
            "providers": {"aws": "aws.west"},
            "count": 1,
            "cidr": "10.0.0.0/16",
            "depends_on": ["aws_sqs_queue.jobs"],
        }
    },
    "output": {
        "q": {
            "value": "${aws_sqs_queue.jobs[0].arn}",
            "sensitive": True,
            "description": "Queue",
            "depends_on": ["aws_sqs_queue.jobs"],
            "precondition": {"condition": "${true}", "error_message": "no"},
        }
    },
    "moved": [{"from": "aws_sqs_queue.old", "to": "aws_sqs_queue.jobs"}],
    "import": [
        {
            "to": "aws_sqs_queue.each[each.key]",
            "for_each": "${var.names}",
            "id": "${each.value}",
            "provider": "aws.west",
        }
    ],
    "removed": [{"from": "aws_sqs_queue.gone", "lifecycle": {"destroy": False}}],
    "check": {
        "health": {
            "data": {"aws_caller_identity": {"me": {}}},
            "assert": [{"condition": '${data.aws_caller_identity.me.account_id != ""}', "error_message": "e"}],
        }
    },
}


def _fmt(text: str) -> str:
    result = subprocess.run(
        ["terraform", "fmt", "-"],
        input=text,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/local/bin:/usr/bin:/bin", "TF_CLI_CONFIG_FILE": "/dev/null"},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_every_construct_renders_terraform_fmt_exact() -> None:
    files = convert(EVERY_CONSTRUCT, ["header"], default_schemas())
    for name, text in files.items():
        assert _fmt(text) == text, name
    everything = "".join(files.values())
    for expected in (
        'backend "remote"',
        "workspaces {",
        'required_version = ">= 1.5"',
        'dynamic "ingress"',
        "iterator = rule",
        "precondition {",
        "postcondition {",
        "replace_triggered_by  = [aws_sqs_queue.jobs]",
        "ignore_changes = all",
        'provisioner "local-exec"',
        "when       = destroy",
        "connection {",
        "provider = aws.west",
        "configuration_aliases = [aws.west]",
        'module "net"',
        "moved {",
        "import {",
        "removed {",
        'check "health"',
        "type        = list(string)",
        "user_data     = <<EOT",
        "jsonencode({",
        "[for k, v in var.names : upper(v)]",
        'var.names[0] == "a" ? 1 : -1',
        "aws_sqs_queue.jobs[*].arn",
        '"%{if true}yes%{endif}"',
        "aws = aws.west",
        "root_block_device {",
    ):
        assert expected in everything, expected
    assert "//" not in everything and "metadata" not in everything
    assert "network.tf" in files  # the construct path cdktf recorded


@pytest.mark.parametrize(
    "raw",
    [
        "[ for k, v in x: k]",
        "{for k,v in var.m: k=>v}",
        "a?b:c",
        "! var.x",
        "x==-1",
        "f(a,b...)",
        "x . y [ 0 ]",
        "concat([1],[2])",
        '"a-${ var.x }-b"',
        "tomap({})",
        "x ? -1 : 1",
        "element(x,0)[1]",
        "x.*.id",
        "x[*].id",
        "(a+b)*c",
        '{ "a b" = 1 }',
        '[for s in var.l: upper(s) if s!=""]',
        "provider::aws::arn_parse(x)",
        "{for k,v in m: k=>v...}",
        "x ? { a = 1 } : {}",
        "-x",
        "!(a&&b)",
    ],
)
def test_expressions_are_spaced_as_terraform_fmt_prints_them(raw: str) -> None:
    line = f"x = {expr.normalise(raw, 'x')}\n"
    assert _fmt(line) == line


@pytest.mark.parametrize(
    ("document", "where"),
    [
        ({"resource": {"aws_instance": {"a": {"ami": "${ # x }"}}}}, "resource.aws_instance.a.ami"),
        ({"resource": {"aws_instance": {"a": {"ami": "${var.x\n}"}}}}, "resource.aws_instance.a.ami"),
        ({"resource": {"random_id": {"a": {"keepers": {"a": "b"}}}}}, "resource.random_id.a.keepers"),
        (
            {"resource": {"aws_instance": {"a": {"lifecycle": {"destroy_later": True}}}}},
            "resource.aws_instance.a.lifecycle.destroy_later",
        ),
        (
            {"resource": {"aws_instance": {"a": {"provisioner": [{"local-exec": {"when": "later"}}]}}}},
            "resource.aws_instance.a.provisioner[0].local-exec.when",
        ),
        ({"ephemeral": {"aws_secret": {"a": {}}}}, "ephemeral"),
        ({"output": {"o": {"value": "${<<EOT\nx\nEOT\n}"}}}, "output.o.value"),
        ({"variable": {"v": {"type": "string", "deprecated": "x"}}}, "variable.v.deprecated"),
    ],
)
def test_what_cannot_be_rendered_exactly_is_refused_naming_its_json_path(document: dict[str, Any], where: str) -> None:
    with pytest.raises(Unrenderable) as caught:
        convert(document, [], default_schemas())
    assert caught.value.where == where
    assert "\n" not in str(caught.value)


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "convert", *args], cwd=cwd, capture_output=True, text=True
    )


def test_convert_writes_checks_and_refuses_in_one_line(tmp_path: Path) -> None:
    source = tmp_path / "cdk.tf.json"
    source.write_text(json.dumps(EVERY_CONSTRUCT))
    out = tmp_path / "hcl"
    assert _cli(str(source), "--out", str(out), cwd=tmp_path).returncode == 0
    assert (out / "versions.tf").is_file() and (out / ".hclgen-convert").is_file()
    assert _cli(str(source), "--out", str(out), "--check", cwd=tmp_path).returncode == 0
    (out / "sqs.tf").write_text("changed\n")
    checked = _cli(str(source), "--out", str(out), "--check", cwd=tmp_path)
    assert checked.returncode == 1 and "sqs.tf" in checked.stderr
    assert (out / "sqs.tf").read_text() == "changed\n"  # --check writes nothing

    bad = dict(EVERY_CONSTRUCT, resource={"aws_instance": {"web": {"ami": "${ # no }"}}})
    source.write_text(json.dumps(bad))
    refused = _cli(str(source), "--out", str(out), cwd=tmp_path)
    assert refused.returncode == 1
    assert refused.stderr.count("\n") == 1 and "resource.aws_instance.web.ami" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert (out / "sqs.tf").read_text() == "changed\n"  # nothing written


@pytest.mark.parametrize(
    ("content", "expect"),
    [
        ("", "empty"),
        ("{", "not valid JSON"),
        ('{"a": 1}', "not a Terraform JSON configuration"),
        ("[1]", "not a Terraform JSON configuration"),
        (None, "no *.tf.json"),
        ("FOREIGN", "did not write"),
        ("OVERRIDE", "an override file"),
    ],
)
def test_bad_input_is_one_line_non_zero_and_writes_nothing(tmp_path: Path, content: str | None, expect: str) -> None:
    out = tmp_path / "out"
    if content is None:
        (tmp_path / "src").mkdir()
        source = tmp_path / "src"
    elif content == "OVERRIDE":
        source = tmp_path / "src"
        source.mkdir()
        (source / "main.tf.json").write_text(json.dumps({"variable": {"x": {}}}))
        (source / "main_override.tf.json").write_text(json.dumps({"variable": {"x": {"default": 1}}}))
    elif content == "FOREIGN":
        source = tmp_path / "main.tf.json"
        source.write_text(json.dumps({"variable": {"x": {}}}))
        out.mkdir()
        (out / "main.tf").write_text("# someone else's\n")
    else:
        source = tmp_path / "main.tf.json"
        source.write_text(content)
    before = sorted(p.name for p in out.iterdir()) if out.exists() else None
    result = _cli(str(source), "--out", str(out), cwd=tmp_path)
    assert result.returncode != 0
    assert expect in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert (sorted(p.name for p in out.iterdir()) if out.exists() else None) == before


def test_synth_emits_every_construct_through_the_same_renderer() -> None:
    from generator.render.emit import EnvDocument, Origin, emit

    document = json.loads(json.dumps(EVERY_CONSTRUCT))
    document["terraform"]["backend"] = {"s3": {"bucket": "state", "key": "dev.tfstate", "region": "us-east-1"}}
    origins = (
        Origin("resource", "aws_sqs_queue", "jobs", "queue.tf", "modules/queue.py:1"),
        Origin("output", "", "q", "outputs.tf", "modules/queue.py:9"),
    )
    files = emit(EnvDocument("dev", "environments/dev/config.py", document, origins, {"queue.tf": "modules/queue.py"}))
    for name, text in files.items():
        assert _fmt(text) == text, name
    assert 'resource "aws_sqs_queue" "jobs"' in files["queue.tf"] and "precondition {" in files["outputs.tf"]
    assert 'resource "aws_sqs_queue" "each"' in files["sqs.tf"]  # no origin claims it: its family's file
    for name in ("variables.tf", "locals.tf", "modules.tf", "imports.tf", "removed.tf", "checks.tf", "refactoring.tf"):
        assert name in files, name
    assert "moved.tf" not in files  # synth's own moved-block pass owns moved.tf


RANDOM_SCHEMA = {
    "format_version": "1.0",
    "provider_schemas": {
        "registry.terraform.io/hashicorp/random": {
            "provider": {"block": {}},
            "resource_schemas": {
                "random_id": {
                    "block": {
                        "attributes": {"keepers": {"type": ["map", "string"]}},
                        "block_types": {"timeouts": {"block": {}}},
                    }
                }
            },
        }
    },
}


def test_a_schema_file_says_which_keys_of_another_provider_are_blocks(tmp_path: Path) -> None:
    source = tmp_path / "main.tf.json"
    source.write_text(json.dumps({"resource": {"random_id": {"a": {"keepers": {"k": "v"}, "timeouts": {}}}}}))
    refused = _cli(str(source), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert refused.returncode == 1 and "`random`" in refused.stderr and "--schema" in refused.stderr
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps(RANDOM_SCHEMA))
    done = _cli(str(source), "--out", str(tmp_path / "out"), "--schema", str(schema), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "out" / "id.tf").read_text()
    assert "keepers = {" in text and "timeouts {" in text


@pytest.mark.terraform
def test_an_initialised_folder_gives_its_installed_providers_schemas(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.hcl.schema import installed
    from tests.support import tf

    (tmp_path / "main.tf.json").write_text(
        json.dumps({"terraform": {"required_providers": {"aws": {"source": "hashicorp/aws", "version": "~> 5.99"}}}})
    )
    rc = tf.cli_config(tmp_path)
    assert installed(tmp_path) is None
    tf.init(tmp_path, rc)
    monkeypatch.setenv("TF_CLI_CONFIG_FILE", str(rc))
    schemas = installed(tmp_path)
    assert schemas is not None
    assert "aws_sqs_queue" in schemas.tables["aws"]["resource"]  # the bundled table lists only types with blocks
    assert schemas.blocks("resource", "aws_instance") == default_schemas().blocks("resource", "aws_instance")


def test_no_shape_of_json_makes_a_traceback() -> None:
    """Every value of the every-construct document swapped for an odd one: rendered or refused."""
    from generator.errors import HclgenError

    paths: list[list[Any]] = []

    def walk(node: Any, path: list[Any]) -> None:
        paths.append(path)
        children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
        for key, child in children:
            walk(child, [*path, key])

    walk(EVERY_CONSTRUCT, [])
    outcomes = {"rendered": 0, "refused": 0}
    for path in paths[1:]:
        for odd in (1, "x", [], None, {}, [1], "${", {"a": 1}, [{"b": 2}]):
            document = json.loads(json.dumps(EVERY_CONSTRUCT))
            node = document
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = odd
            try:
                convert(document, [], default_schemas())
                outcomes["rendered"] += 1
            except HclgenError as err:  # anything else fails the test with its traceback
                assert "\n" not in str(err)
                outcomes["refused"] += 1
    assert outcomes["rendered"] > 100 and outcomes["refused"] > 100, outcomes


def test_tidy_names_drop_cdktf_hashes_and_move_the_old_addresses(tmp_path: Path) -> None:
    from generator.hcl.tidy import tidy

    document = {
        "resource": {
            "aws_sqs_queue": {
                "jobs_queue_1A2B3C4D": {"name": "jobs"},
                "dlq_5E6F7A8B": {
                    "name": "dlq",
                    "redrive_allow_policy": "${aws_sqs_queue.jobs_queue_1A2B3C4D.arn}",
                    "depends_on": ["aws_sqs_queue.jobs_queue_1A2B3C4D"],
                },
                "dlq": {"name": "taken"},
            }
        },
        "data": {"aws_iam_policy_document": {"doc_0A1B2C3D": {}}},
        "output": {
            "arn": {
                "value": "${aws_sqs_queue.jobs_queue_1A2B3C4D.arn}-${data.aws_iam_policy_document.doc_0A1B2C3D.json}"
            }
        },
    }
    tidied, renamed = tidy(document)
    assert renamed == 2  # the queue and the data source; dlq_5E6F7A8B keeps its hash: `dlq` is taken
    queues = tidied["resource"]["aws_sqs_queue"]
    assert set(queues) == {"jobs_queue", "dlq_5E6F7A8B", "dlq"}
    assert queues["dlq_5E6F7A8B"]["redrive_allow_policy"] == "${aws_sqs_queue.jobs_queue.arn}"
    assert queues["dlq_5E6F7A8B"]["depends_on"] == ["aws_sqs_queue.jobs_queue"]
    assert (
        tidied["output"]["arn"]["value"] == "${aws_sqs_queue.jobs_queue.arn}-${data.aws_iam_policy_document.doc.json}"
    )
    assert tidied["moved"] == [{"from": "aws_sqs_queue.jobs_queue_1A2B3C4D", "to": "aws_sqs_queue.jobs_queue"}]
    source = tmp_path / "cdk.tf.json"
    source.write_text(json.dumps(document))
    done = _cli(str(source), "--out", str(tmp_path / "out"), "--tidy-names", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    moved = (tmp_path / "out" / "moved.tf").read_text()
    assert "from = aws_sqs_queue.jobs_queue_1A2B3C4D" in moved and _fmt(moved) == moved


def test_hcl_files_beside_the_json_are_named_not_silently_left_out(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "cdk.tf.json").write_text(json.dumps({"variable": {"x": {"type": "string"}}}))
    (source / "extra.tf").write_text('variable "y" {}\n')
    done = _cli(str(source), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "extra.tf" in done.stderr and "not converted" in done.stderr
    assert (tmp_path / "out" / "variables.tf").is_file()
