"""generator/cdk.py spares jsii round-trips to node: tracked() names a resource by the construct id it
was made with, and `x.node` / `node.id` are read from node once. Counted on the real runtime."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT

_SCRIPT = r"""
import collections, json, tempfile
from jsii._kernel.providers import process
from generator import cdk

sent = collections.Counter()
send = process._NodeProcess.send
def counting(self, request, response_type):
    sent[type(request).__name__] += 1
    return send(self, request, response_type)
process._NodeProcess.send = counting

app = cdk.App(outdir=tempfile.mkdtemp(), stack_traces=False)
stack = cdk.TerraformStack(app, "env")
cdk.AwsProvider(stack, "aws", region="eu-west-1")
with cdk.recording() as log:
    sent.clear()
    queue = cdk.tracked(cdk.SqsQueue(stack, "jobs"))
    named = cdk.tracked(cdk.SqsQueue(stack, "other"), "renamed")
    slashed = cdk.tracked(cdk.SqsQueue(stack, "a/b"))
    made = dict(sent)
    sent.clear()
    ids = [queue.node.id, queue.node.id, queue.node.id]
    again = dict(sent)
document = stack.to_terraform()
print(json.dumps({"made": made, "again": again, "ids": ids, "names": sorted(document["resource"]["aws_sqs_queue"]),
                  "logged": [entry.name for entry in log]}))
"""


def test_tracked_names_without_asking_node_and_node_id_is_read_once() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=180, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.splitlines()[-1])
    # three creates, three override_logical_id; only "a/b" (constructs rewrites it to "a--b") asks node its id
    assert found["made"] == {"CreateRequest": 3, "InvokeRequest": 3, "GetRequest": 2}
    assert found["again"] == {"GetRequest": 2}  # queue.node, then node.id: once each
    assert found["ids"] == ["jobs"] * 3
    assert found["names"] == ["a--b", "jobs", "renamed"]
    assert found["logged"] == ["jobs", "renamed", "a--b"]
