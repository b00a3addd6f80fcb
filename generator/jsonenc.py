"""JSON text exactly as Terraform's jsonencode() writes it.

Module code renders policy and container-definition documents with `terraform_json`; the HCL
emitter turns any string that is byte-identical to terraform_json(json.loads(s)) back into
`jsonencode({...})`. Both sides then produce the same bytes, so the conversion cannot change
what Terraform plans.
"""

from __future__ import annotations

import json
from typing import Any

# Go's encoding/json escapes these even inside strings; Terraform inherits that.
_GO_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def terraform_json(document: Any) -> str:
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    for raw, escaped in _GO_ESCAPES.items():
        text = text.replace(raw, escaped)
    return text


def as_document(text: str) -> Any | None:
    """The parsed document when `text` is exactly what jsonencode would write, else None."""
    if text[:1] not in ("{", "["):
        return None
    try:
        parsed = json.loads(text)
    except ValueError:
        return None
    if _has_float(parsed) or terraform_json(parsed) != text:
        return None
    return parsed


def _has_float(value: Any) -> bool:
    # Terraform prints numbers through big.Float; avoid any doubt by keeping floats as strings.
    if isinstance(value, float):
        return True
    if isinstance(value, dict):
        return any(_has_float(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_float(item) for item in value)
    return False
