"""moved blocks: the pure engine (identity matching, ambiguity, merge, file format) and synth's use of it.

The synth tests edit module code in a project copy, as a refactor would, and run the real CLI.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.environment import Environment
from generator.errors import InputError
from generator.plan import model
from generator.plan import summary as plan_summary
from generator.render import moved
from generator.render.moved import Declared, Move, MoveConflict, Resource
from generator.render.movedfile import header, identity_table, is_canonical
from generator.terraform.prune import split
from modules.stack import StackInputs

IDENTITY = {
    "aws_vpc": ["cidr_block", "tags.Name"],
    "aws_subnet": ["cidr_block", "vpc_id", "tags.Name"],
    "aws_db_instance": ["identifier"],
    "aws_eip": ["tags.Name"],
}


def res(address: str, file: str = "vpc.tf", source: str = "", **attrs: object) -> Resource:
    return Resource(address, file, attrs, source)


def index(*resources: Resource) -> dict[str, Resource]:
    return {r.address: r for r in resources}


def test_identity_table_comes_from_the_provider_schema() -> None:
    table = identity_table()
    assert table["aws_db_instance"] == ["identifier", "identifier_prefix"]
    assert table["aws_ecr_repository"] == ["name"]
    assert table["aws_iam_role_policy"] == ["name", "name_prefix", "role"]
    assert table["aws_subnet"] == ["cidr_block", "ipv6_cidr_block", "availability_zone", "vpc_id", "tags.Name"]
    assert len(table) > 1000


def test_a_renamed_database_is_moved_with_its_python_line() -> None:
    old = index(res("aws_db_instance.this", "rds.tf", identifier="acme-dev", instance_class="db.t4g.micro"))
    new = index(
        res(
            "aws_db_instance.primary",
            "rds.tf",
            "modules/rds.py:78",
            identifier="acme-dev",
            instance_class="db.t4g.small",
        )
    )
    assert moved.detect(old, new, [], IDENTITY) == [
        Move(
            "aws_db_instance.this",
            "aws_db_instance.primary",
            'rds: aws_db_instance "this" renamed to "primary" (modules/rds.py:78), same identifier',
        )
    ]


def test_a_different_identity_is_a_replacement_not_a_move() -> None:
    old = index(res("aws_db_instance.this", identifier="acme-dev"))
    new = index(res("aws_db_instance.primary", identifier="acme-dev-2"))
    assert moved.detect(old, new, [], IDENTITY) == []


def test_no_identity_set_is_never_matched() -> None:
    old = index(res("aws_eip.nat", domain="vpc"))
    new = index(res("aws_eip.nat_a", domain="vpc"))
    assert moved.detect(old, new, [], IDENTITY) == []


def test_references_follow_earlier_matches() -> None:
    """The VPC and its subnet renamed together: the subnet's vpc_id only matches once the VPC did."""
    old = index(
        res("aws_vpc.this", cidr_block="10.0.0.0/18", tags={"Name": "dev"}),
        res("aws_subnet.public_a", cidr_block="10.0.0.0/24", vpc_id="${aws_vpc.this.id}"),
    )
    new = index(
        res("aws_vpc.main", cidr_block="10.0.0.0/18", tags={"Name": "dev"}),
        res("aws_subnet.public_1", cidr_block="10.0.0.0/24", vpc_id="${aws_vpc.main.id}"),
    )
    found = moved.detect(old, new, [], IDENTITY)
    assert [(m.source, m.target) for m in found] == [
        ("aws_subnet.public_a", "aws_subnet.public_1"),
        ("aws_vpc.this", "aws_vpc.main"),
    ]
    assert found[0].comment.endswith("same cidr_block and vpc_id")


def test_two_candidates_are_refused_with_the_way_out() -> None:
    old = index(res("aws_eip.nat", tags={"Name": "dev-nat"}))
    new = index(res("aws_eip.nat_a", tags={"Name": "dev-nat"}), res("aws_eip.nat_b", tags={"Name": "dev-nat"}))
    with pytest.raises(MoveConflict) as caught:
        moved.detect(old, new, [], IDENTITY)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(
        "cannot tell which of aws_eip.nat_a, aws_eip.nat_b aws_eip.nat became (all have tags.Name = 'dev-nat')"
    )
    assert (
        "tracked(..., moved_from='nat')" in message and "Environment(moves={'aws_eip.nat': 'aws_eip.nat_a'})" in message
    )


def test_a_declared_move_decides_what_identity_cannot() -> None:
    old = index(res("aws_eip.nat", tags={"Name": "dev-nat"}))
    new = index(res("aws_eip.nat_a", tags={"Name": "dev-nat"}), res("aws_eip.nat_b", tags={"Name": "dev-nat"}))
    declared = [Declared("aws_eip.nat", "aws_eip.nat_a", "moved_from= at modules/vpc.py:160")]
    assert moved.detect(old, new, declared, IDENTITY) == [
        Move(
            "aws_eip.nat",
            "aws_eip.nat_a",
            'vpc: aws_eip "nat" renamed to "nat_a", declared by moved_from= at modules/vpc.py:160',
        )
    ]


@pytest.mark.parametrize(
    ("declared", "error"),
    [
        (Declared("aws_eip.nat", "aws_vpc.nat_a", "here"), "keeps the resource type"),
        (Declared("aws_eip.nat", "aws_eip.gone", "here"), "aws_eip.gone is not in the synthesized configuration"),
        (Declared("aws_eip.nat_a", "aws_eip.nat_b", "here"), "aws_eip.nat_a is still in the configuration"),
    ],
)
def test_bad_declarations_are_one_line_errors(declared: Declared, error: str) -> None:
    old = index(res("aws_eip.nat"))
    new = index(res("aws_eip.nat_a"), res("aws_eip.nat_b"))
    with pytest.raises(MoveConflict, match=error):
        moved.detect(old, new, [declared], IDENTITY)


def test_a_declaration_already_carried_out_adds_nothing() -> None:
    new = index(res("aws_eip.nat_a"))
    assert moved.detect(new, new, [Declared("aws_eip.nat", "aws_eip.nat_a", "here")], IDENTITY) == []


def test_merge_keeps_earlier_moves_and_survives_a_rename_back() -> None:
    earlier = [Move("aws_vpc.a", "aws_vpc.y", "one"), Move("aws_vpc.y", "aws_vpc.z", "two")]
    back = [Move("aws_vpc.z", "aws_vpc.y", "three")]  # z renamed back to y: y is declared again
    assert moved.merge(earlier, back, {"aws_vpc.y"}) == [Move("aws_vpc.a", "aws_vpc.z", "one"), back[0]]
    assert moved.merge(earlier, [], {"aws_vpc.z"}) == earlier
    with pytest.raises(MoveConflict, match="two moves share to aws_vpc.z"):
        moved.merge(earlier, [Move("aws_vpc.b", "aws_vpc.z", "four")], {"aws_vpc.z"})


def test_file_round_trips_and_rejects_hand_edits(tmp_path: Path) -> None:
    moves = [
        Move(
            "aws_vpc.this", "aws_vpc.main", 'vpc: aws_vpc "this" renamed to "main" (modules/vpc.py:98), same cidr_block'
        )
    ]
    text = moved.render(header("dev"), moves)
    assert moved.parse(text) == moves
    assert "\nmoved {\n  from = aws_vpc.this\n  to   = aws_vpc.main\n}\n" in text
    path = tmp_path / "dev" / "moved.tf"
    path.parent.mkdir()
    path.write_text(text)
    assert is_canonical(path, "dev")
    path.write_text(text + "\nmoved {\n  from = aws_vpc.x\n  to   = aws_vpc.y\n}\n")
    assert not is_canonical(path, "dev")
    with pytest.raises(MoveConflict, match="holds something synth did not write"):
        moved.parse(path.read_text())


def test_prune_keeps_what_the_state_still_holds_at_from() -> None:
    moves = [Move("aws_vpc.this", "aws_vpc.main", "a"), Move("aws_subnet.a", "aws_subnet.b", "b")]
    outcome = split(moves, ["aws_vpc.main", "aws_subnet.a"])
    assert outcome.kept == (moves[1],) and outcome.pruned == (moves[0],)
    assert split(moves, ["aws_subnet.a[0]"]).kept == (moves[1],)
    assert split(moves, []).kept == tuple(moves)  # an empty state proves nothing


def test_plan_summary_counts_moves_and_applies_them() -> None:
    """A real plan (tests/fixtures/plans/dev-move, scripts/plan_lifecycle.py) with only moves."""
    plan = json.loads((Path(__file__).parent / "fixtures" / "plans" / "dev-move" / "plan.json").read_text())
    planned = model.env_plan("dev", plan)
    assert planned.has_changes  # else apply would say "nothing to apply" and never move them
    assert plan_summary.lines(planned) == [
        "dev: 0 to add, 0 to change, 0 to destroy, 0 to replace, 3 to move",
        "  move     aws_db_instance.this -> aws_db_instance.primary",
        "  move     aws_db_parameter_group.this -> aws_db_parameter_group.primary",
        "  move     aws_vpc.this -> aws_vpc.main",
    ]


def test_environment_moves_are_validated() -> None:
    common = dict(name="dev", project="acme", region="ap-northeast-2", state_bucket="acme-state", stack=StackInputs())
    env = Environment(**common, moves={"aws_ecr_repository.api": "aws_ecr_repository.app"})  # type: ignore[arg-type]
    assert env.moves == {"aws_ecr_repository.api": "aws_ecr_repository.app"}
    with pytest.raises(InputError, match="moves: 'ecr' is not a resource address"):
        Environment(**common, moves={"ecr": "aws_ecr_repository.app"})  # type: ignore[arg-type]
    with pytest.raises(InputError, match="keeps the type"):
        Environment(**common, moves={"aws_ecr_repository.api": "aws_s3_bucket.app"})  # type: ignore[arg-type]


# --- synth in a project copy, through the CLI ---------------------------------------------------


def cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HCLGEN_ROOT": str(root)}
    return subprocess.run(
        [sys.executable, str(root / "main.py"), *args], cwd=root, env=env, capture_output=True, text=True, timeout=300
    )


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    assert path.read_text().count(old) == 1, f"{rel} no longer has {old!r}"
    path.write_text(path.read_text().replace(old, new))


def snapshot(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text() for p in sorted((root / "environments").rglob("*.tf"))}


def test_synth_writes_and_keeps_moved_blocks_and_check_agrees(project: Path) -> None:
    edit(
        project,
        "modules/ecr.py",
        "key = validate.tf_name(repo)",
        'key = "images" if repo == "app" else validate.tf_name(repo)',
    )
    result = cli(project, "synth")
    assert result.returncode == 0, result.stderr
    text = (project / "environments" / "dev" / "moved.tf").read_text()
    assert text.startswith("# Generated by `python main.py synth`")
    assert '# ecr: aws_ecr_repository "app" renamed to "images" (modules/ecr.py:' in text
    assert "from = aws_ecr_lifecycle_policy.app\n  to   = aws_ecr_lifecycle_policy.images" in text
    assert cli(project, "synth", "--check").returncode == 0
    assert cli(project, "synth", "--check", "--no-cache").returncode == 0  # a fresh clone renders the same
    again = cli(project, "synth")
    assert "no changes" in again.stderr and (project / "environments" / "dev" / "moved.tf").read_text() == text
    (project / "environments" / "dev" / "moved.tf").write_text(text + "\n# edited\n")
    stale = cli(project, "synth", "--check")
    assert stale.returncode == 1 and "stale environments/dev/moved.tf" in stale.stderr


def test_two_candidates_stop_synth_with_one_line_and_nothing_written(project: Path) -> None:
    """prod's per-AZ NAT EIPs are tagged by zone; tag them alike and rename them: which is which?"""
    edit(
        project,
        "modules/vpc.py",
        'label = name if key == "this" else f"{name}-{key.removeprefix(\'zone_\')}"',
        "label = name",
    )
    assert cli(project, "synth", "prod").returncode == 0
    edit(
        project,
        "modules/vpc.py",
        'Eip(self, "nat" if key == "this" else f"nat_{key}"',
        'Eip(self, "nat" if key == "this" else f"address_{key}"',
    )
    before = snapshot(project)
    result = cli(project, "synth", "prod")
    assert result.returncode == 64
    lines = result.stderr.strip().splitlines()
    assert [line for line in lines if line.startswith("error:")] == [lines[-1]]
    assert lines[-1].startswith(
        "error: environment 'prod': moves: cannot pair aws_eip.nat_zone_a, "
        "aws_eip.nat_zone_b, aws_eip.nat_zone_c with aws_eip.address_zone_a, "
    )
    assert "moved_from='nat_zone_a'" in lines[-1] and lines[-1].endswith("nothing was written")
    assert snapshot(project) == before


def test_explicit_moves_resolve_the_ambiguity(project: Path) -> None:
    edit(
        project,
        "modules/vpc.py",
        'label = name if key == "this" else f"{name}-{key.removeprefix(\'zone_\')}"',
        "label = name",
    )
    assert cli(project, "synth", "prod").returncode == 0
    edit(
        project,
        "modules/vpc.py",
        'Eip(self, "nat" if key == "this" else f"nat_{key}"',
        'Eip(self, "nat" if key == "this" else f"address_{key}"',
    )
    edit(
        project,
        "modules/vpc.py",
        'tags={"Name": f"{label}-nat", **tags})\n        )',
        'tags={"Name": f"{label}-nat", **tags}),\n'
        '            moved_from=None if key == "this" else f"nat_{key}",\n        )',
    )
    result = cli(project, "synth", "prod")
    assert result.returncode == 0, result.stderr
    text = (project / "environments" / "prod" / "moved.tf").read_text()
    for zone in "abc":
        assert f"from = aws_eip.nat_zone_{zone}\n  to   = aws_eip.address_zone_{zone}" in text
    assert (
        'renamed to "address_zone_a" (modules/vpc.py:' in text and "declared by moved_from= at modules/vpc.py:" in text
    )
