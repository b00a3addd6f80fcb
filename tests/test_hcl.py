"""The pure HCL writer: templates, references, jsonencode round trips and fmt-style alignment."""

from __future__ import annotations

import json

import pytest

from generator.hcl import interpolation
from generator.hcl.syntax import Attr, Blank, Block, Call, render_block
from generator.jsonenc import as_document, terraform_json


@pytest.mark.parametrize(
    ("raw", "hcl"),
    [
        ("${aws_vpc.this.id}", "aws_vpc.this.id"),
        ("arn:${aws_vpc.this.arn}/*", '"arn:${aws_vpc.this.arn}/*"'),
        ("${a.b}${c.d}", '"${a.b}${c.d}"'),
        ('say "hi"\n', '"say \\"hi\\"\\n"'),
        ('${join(",", var.x)}', 'join(",", var.x)'),
        ("$${literal}", '"$${literal}"'),
        ('${{a = 1}["a"]}', '{a = 1}["a"]'),
    ],
)
def test_strings_become_native_expressions_only_when_whole(raw: str, hcl: str) -> None:
    (line,) = render_block(Block("x", (), [Attr("v", raw)]), 0)[1:2]
    assert line == f"  v = {hcl}"


def test_unterminated_interpolation_is_rejected() -> None:
    with pytest.raises(ValueError):
        interpolation.split("${aws_vpc.this.id")


def test_alignment_follows_terraform_fmt() -> None:
    body = [
        Attr("a", 1),
        Attr("long_name", "x"),
        Attr("map", {"k": "v", "longer-key": True}),
        Attr("b", 2),
        Blank(),
        Block("inner", (), [Attr("x", [1, 2])]),
    ]
    assert render_block(Block("resource", ("t", "n"), body), 0) == [
        'resource "t" "n" {',
        "  a         = 1",
        '  long_name = "x"',
        "  map = {",
        '    k          = "v"',
        "    longer-key = true",
        "  }",
        "  b = 2",
        "",
        "  inner {",
        "    x = [1, 2]",
        "  }",
        "}",
    ]


def test_jsonencode_only_for_exact_terraform_json() -> None:
    doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "<&>", "Action": ["a", "b"]}]}
    text = terraform_json(doc)
    assert "\\u003c\\u0026\\u003e" in text
    assert as_document(text) == json.loads(text)
    assert as_document(json.dumps(doc)) is None, "pretty-printed JSON would not round-trip"
    assert as_document('{"a":1.5}') is None
    assert as_document("not json") is None


def test_jsonencode_call_renders_multiline_object() -> None:
    lines = render_block(
        Block("x", (), [Attr("policy", Call("jsonencode", {"A": "${aws_s3_bucket.b.arn}", "aws:Key": [1]}))]), 0
    )
    assert lines == [
        "x {",
        "  policy = jsonencode({",
        "    A         = aws_s3_bucket.b.arn",
        '    "aws:Key" = [1]',
        "  })",
        "}",
    ]


def test_reserved_words_and_odd_keys_are_quoted_in_objects() -> None:
    lines = render_block(Block("x", (), [Attr("m", {"for": 1, "ok_key": 2, "a b": 3})]), 0)
    assert '    "for"  = 1' in lines and "    ok_key = 2" in lines and '    "a b"  = 3' in lines


def test_long_lists_break_with_trailing_commas() -> None:
    items = [f"arn:aws:iam::123456789012:role/role-number-{i}" for i in range(3)]
    lines = render_block(Block("x", (), [Attr("l", items)]), 0)
    assert lines[1] == "  l = [" and lines[2].endswith('role-number-0",') and lines[-2] == "  ]"
