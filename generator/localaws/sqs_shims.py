"""moto 5.2 fix for SQS (shim 13), found re-planning modules/queue.py after a local apply.

moto answers a queue's RedrivePolicy as Python's json.dumps writes it (`{"a": 1, "b": 2}`); AWS
answers compact JSON, which is exactly what `jsonencode` writes, and the provider compares the two
as strings, so every plan after an apply showed the redrive policy as changed ("whitespace
changes"). The policy is answered compact, as AWS does.
"""

from __future__ import annotations

import json
from typing import Any


def compact_redrive(attributes: dict[str, Any], redrive_policy: Any) -> dict[str, Any]:
    """The queue attributes with RedrivePolicy written as AWS writes it."""
    if redrive_policy and "RedrivePolicy" in attributes:
        attributes["RedrivePolicy"] = json.dumps(redrive_policy, separators=(",", ":"))
    return attributes


def patch_sqs_redrive_json() -> None:
    from moto.sqs.models import Queue

    original = Queue.attributes.fget  # type: ignore[attr-defined]

    def attributes(self: Any) -> dict[str, Any]:
        return compact_redrive(original(self), self.redrive_policy)

    Queue.attributes = property(attributes)  # type: ignore[method-assign,assignment]
