"""generator/affected.py: which environments a set of changed paths touches, and why."""

from __future__ import annotations

from generator.changes.affected import affected_envs, everything

ENVS = ["dev", "prod"]


def test_own_folder_affects_only_that_env() -> None:
    result = affected_envs(["environments/dev/alb.tf"], ENVS)
    assert result.envs == ("dev",)
    assert result.reasons == {"dev": ("environments/dev/alb.tf changed",)}


def test_shared_inputs_affect_every_env() -> None:
    for path in [
        "modules/ecs.py",
        "generator/hcl/syntax.py",
        "generator/templates/plan_comment.md.j2",
        "pyproject.toml",
    ]:
        result = affected_envs([path], ENVS)
        assert result.envs == ("dev", "prod"), path
        assert result.reasons["prod"] == (f"shared input {path} changed",)


def test_unrelated_paths_affect_nothing() -> None:
    changed = [
        "README.md",
        ".github/workflows/plan.yml",
        "tests/test_x.py",
        "environments/README.md",
        "environments/qa/main.tf",
        "modulesx/a.py",
        "docs/pyproject.toml",
    ]
    result = affected_envs(changed, ENVS)
    assert result.envs == ()
    assert result.lines() == []


def test_reasons_collect_own_then_shared_without_duplicates() -> None:
    changed = ["modules/vpc.py", "environments/prod/vpc.tf", "environments/prod/vpc.tf", "modules/vpc.py"]
    result = affected_envs(changed, ENVS)
    assert result.envs == ("dev", "prod")
    assert result.reasons["prod"] == ("environments/prod/vpc.tf changed", "shared input modules/vpc.py changed")
    assert result.lines() == [
        "dev: shared input modules/vpc.py changed",
        "prod: environments/prod/vpc.tf changed; shared input modules/vpc.py changed",
    ]


def test_env_order_follows_the_given_names_and_paths_are_normalized() -> None:
    result = affected_envs(["./environments/prod/config.py", "environments\\dev\\main.tf", "", "  "], ["prod", "dev"])
    assert result.envs == ("prod", "dev")
    assert result.reasons["dev"] == ("environments/dev/main.tf changed",)


def test_everything_gives_one_reason_per_env() -> None:
    result = everything(ENVS, "no base commit to compare with")
    assert result.envs == ("dev", "prod")
    assert result.lines() == ["dev: no base commit to compare with", "prod: no base commit to compare with"]


def test_matrix_lists_each_env_with_the_changed_paths() -> None:
    result = affected_envs(["environments/prod/vpc.tf", "modules/vpc.py", "README.md"], ENVS)
    assert result.matrix() == {
        "include": [
            {"env": "dev", "reasons": ["modules/vpc.py"]},
            {"env": "prod", "reasons": ["environments/prod/vpc.tf", "modules/vpc.py"]},
        ]
    }
    assert affected_envs(["README.md"], ENVS).matrix() == {"include": []}
    assert everything(ENVS, "no base commit to compare with").matrix()["include"][1] == {
        "env": "prod",
        "reasons": ["no base commit to compare with"],
    }
