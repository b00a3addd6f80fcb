"""Plan summaries, terraform error reading, safety rails and destroy protections (no AWS)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import runner
from generator.errors import RefusedError, TerraformError, UsageError
from generator.plan import files as planfiles
from generator.plan import model, summary
from generator.terraform import destroy, diagnostics, rails, tflog
from generator.terraform.state import protected_in_state

LOCK_ERROR = """\x1b[31m╷\x1b[0m\x1b[0m
\x1b[31m│\x1b[0m \x1b[0m\x1b[1m\x1b[31mError: \x1b[0m\x1b[0m\x1b[1mError acquiring the state lock\x1b[0m
\x1b[31m│\x1b[0m \x1b[0m\x1b[0mError message: operation error S3: PutObject, https response error
\x1b[31m│\x1b[0m \x1b[0mapi error PreconditionFailed: At least one of the pre-conditions you
\x1b[31m│\x1b[0m \x1b[0mLock Info:
\x1b[31m│\x1b[0m \x1b[0m  ID:        4db275c4-bd50-1bc0-4562-f934f00ab789
\x1b[31m│\x1b[0m \x1b[0m  Path:      acme-api-terraform-state-dev/acme-api/dev/terraform.tfstate
\x1b[31m│\x1b[0m \x1b[0m  Operation: OperationTypeApply
\x1b[31m│\x1b[0m \x1b[0m  Who:       root@vm
\x1b[31m│\x1b[0m \x1b[0m  Version:   1.11.4
\x1b[31m│\x1b[0m \x1b[0m  Created:   2026-11-23 04:37:15.940987122 +0000 UTC
\x1b[31m│\x1b[0m \x1b[0m  Info:
\x1b[31m╵\x1b[0m\x1b[0m
"""


def _rc(address: str, *actions: str, mode: str = "managed") -> dict[str, object]:
    return {"address": address, "mode": mode, "change": {"actions": list(actions)}}


def test_summary_counts_and_lists_destroys_first() -> None:
    plan = {
        "resource_changes": [
            _rc("aws_vpc.this", "create"),
            _rc("aws_lb.this", "update"),
            _rc("aws_db_instance.this", "delete"),
            _rc("aws_ecs_service.this", "delete", "create"),
            _rc("aws_iam_role.x", "create", "delete"),
            _rc("aws_subnet.a", "no-op"),
            _rc("data.aws_region.current", "read", mode="data"),
        ],
        "output_changes": {"a": {"actions": ["update"]}, "b": {"actions": ["no-op"]}},
    }
    planned = model.env_plan("dev", plan)
    assert summary.headline(planned) == "dev: 1 to add, 1 to change, 1 to destroy, 2 to replace, 1 output change(s)"
    assert summary.lines(planned)[1:] == [
        "  destroy  aws_db_instance.this",
        "  replace  aws_ecs_service.this",
        "  replace  aws_iam_role.x",
        "  change   aws_lb.this",
        "  add      aws_vpc.this",
    ]
    assert model.env_plan("dev", {"resource_changes": [_rc("aws_subnet.a", "no-op")]}).has_changes is False


def test_long_lists_of_adds_are_cut_but_destroys_never() -> None:
    many = [_rc(f"aws_subnet.s{i}", "create") for i in range(40)] + [_rc(f"aws_x.d{i}", "delete") for i in range(30)]
    lines = summary.lines(model.env_plan("dev", {"resource_changes": many}))
    assert sum(line.startswith("  destroy") for line in lines) == 30
    assert lines[-1] == "  add      ... and 15 more"


def test_lock_error_names_the_lock_and_the_unlock_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.argv", ["main.py"])  # hints name the program as invoked
    info = diagnostics.lock_info(LOCK_ERROR)
    assert info == diagnostics.LockInfo(
        "4db275c4-bd50-1bc0-4562-f934f00ab789", "apply", "root@vm", "2026-11-23 04:37:15 +0000 UTC"
    )
    with pytest.raises(TerraformError) as caught:
        diagnostics.check(runner.Completed(1, "", LOCK_ERROR), env="dev", what="apply", local_flag=" --local")
    message = str(caught.value)
    assert "locked (lock ID 4db275c4-bd50-1bc0-4562-f934f00ab789; apply by root@vm" in message
    assert message.endswith("python main.py unlock dev 4db275c4-bd50-1bc0-4562-f934f00ab789 --local")


def test_other_failures_read_clearly() -> None:
    with pytest.raises(TerraformError, match="was interrupted; terraform stopped cleanly") as caught:
        diagnostics.check(runner.Completed(1, "", "", interrupted=True), env="dev", what="apply")
    assert caught.value.exit_code == 130  # 128 + SIGINT, as shells report it
    with pytest.raises(TerraformError, match="changed since this plan was made"):
        diagnostics.check(runner.Completed(1, "", "│ Error: Saved plan is stale\n"), env="dev", what="apply")
    boxed = (
        "│ Error: Instance cannot be destroyed\n│ Resource aws_db_instance.this has\n│ lifecycle.prevent_destroy set\n"
    )
    with pytest.raises(RefusedError, match="aws_db_instance.this in dev have lifecycle.prevent_destroy"):
        diagnostics.check(runner.Completed(1, "", boxed), env="dev", what="plan")
    with pytest.raises(TerraformError, match=r"terraform plan failed for dev \(exit 5\)") as failed:
        diagnostics.check(runner.Completed(5, "", "boom"), env="dev", what="plan")
    assert failed.value.exit_code == 5
    diagnostics.check(runner.Completed(2, "", ""), env="dev", what="plan", ok=(0, 2))


def test_aws_refusals_and_missing_credentials_read_as_one_line() -> None:
    protected = (
        "│ Error: deleting RDS DB Instance (acme-api-prod): operation error RDS: DeleteDBInstance, "
        "api error InvalidParameterCombination: Cannot delete protected DB Instance, please disable "
        "deletion protection and try again.\n│ \n│   with aws_db_instance.this,\n"
    )
    with pytest.raises(
        RefusedError,
        match=r"prod: AWS refused to delete aws_db_instance.this: its deletion "
        r"protection is on",
    ) as caught:
        diagnostics.check(runner.Completed(1, "", protected), env="prod", what="apply", local_flag=" --local")
    assert "untaint prod aws_db_instance.this --local`" in str(caught.value) and "\n" not in str(caught.value)
    streamed = (
        "aws_ecs_task_definition.this: Destroying... [id=x]\naws_ecs_task_definition.this: Destruction "
        "complete after 0s\naws_db_instance.this: Destroying... [id=db-1]\n"
    )
    unnamed = protected.split("\n│ \n")[0]  # a failed delete's box names no address: the stream does
    with pytest.raises(RefusedError, match=r"prod: AWS refused to delete aws_db_instance.this: "):
        diagnostics.check(runner.Completed(1, streamed, unnamed), env="prod", what="apply")
    no_credentials = "│ Error: No valid credential sources found\n│ \n│ Please see https://...\n"
    with pytest.raises(TerraformError, match="no AWS credentials for dev: terraform found none") as missing:
        diagnostics.check(runner.Completed(1, "", no_credentials), env="dev", what="plan")
    assert "`python main.py plan dev --local`" in str(missing.value) or "plan dev --local" in str(missing.value)


def test_progress_counts_completions_across_chunks(capsys: pytest.CaptureFixture[str]) -> None:
    progress = tflog.Progress("dev", "apply", 10)
    lines = b"".join(b"aws_vpc.n%d: Creation complete after 1s [id=x]\n" % n for n in range(9))
    for start in range(0, len(lines), 7):  # split mid-line, as pipes do
        progress(lines[start : start + 7])
    progress(b"aws_vpc.read: Read complete after 0s\naws_lb.this: Destruction complete after 2s\n")
    assert progress.done == 10
    assert capsys.readouterr().err.splitlines() == ["dev: apply 5/10 resources done"]
    assert tflog.final_line("x\nApply complete! Resources: 3 added, 0 changed, 0 destroyed.\n\nOutputs:\n") == (
        "Apply complete! Resources: 3 added, 0 changed, 0 destroyed."
    )


def _repo(path: Path, branch: str) -> Path:
    runner.git_output(path, "init", "-q", "-b", branch)
    (path / "file.txt").write_text("x")
    runner.git_output(path, "add", "file.txt")
    runner.git_output(path, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-q", "-m", "init")
    return path


def test_protected_env_needs_clean_main(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv(rails.PROTECTED_ENVS_VAR, raising=False)
    repo = _repo(tmp_path, "feature")
    rails.check_branch(repo, "dev", override=False, flag="--x")
    with pytest.raises(RefusedError, match="prod is protected: the checkout is on branch 'feature', not 'main'"):
        rails.check_branch(repo, "prod", override=False, flag="--override-branch-check")
    rails.check_branch(repo, "prod", override=True, flag="--override-branch-check")
    assert "!!! --override-branch-check: changing protected environment prod" in capsys.readouterr().err
    runner.git_output(repo, "checkout", "-q", "-b", "main")
    with pytest.raises(RefusedError, match="branch 'main' has no upstream"):  # main equal to origin: test_rails.py
        rails.check_branch(repo, "prod", override=False, flag="--x")
    (repo / "file.txt").write_text("changed")
    with pytest.raises(RefusedError, match=r"uncommitted changes \(file.txt\)"):
        rails.check_branch(repo, "prod", override=False, flag="--x")


def test_protected_env_set_is_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(rails.PROTECTED_ENVS_VAR, "prod, staging")
    assert rails.protected_envs() == {"prod", "staging"}
    monkeypatch.setenv(rails.PROTECTED_ENVS_VAR, "")
    assert not rails.is_protected("prod")


def test_no_terminal_means_auto_approve_is_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rails, "has_terminal", lambda: False)
    with pytest.raises(RefusedError, match="no terminal to ask; in CI pass --auto-approve"):
        rails.require_terminal(False, "apply")
    rails.require_terminal(True, "apply")


def test_destroy_finds_protections(tmp_path: Path) -> None:
    (tmp_path / "rds.tf").write_text(
        'resource "aws_db_instance" "this" {\n  identifier = "x"\n'
        "  lifecycle {\n    prevent_destroy = true\n  }\n}\n"
        'resource "aws_s3_bucket" "logs" {\n  bucket = "y"\n}\n'
    )
    (tmp_path / "extra.tf.json").write_text(
        '{"resource": {"aws_eip": {"nat": {"lifecycle": {"prevent_destroy": true}}}}}'
    )
    assert destroy.prevent_destroy_in_hcl(tmp_path) == ["aws_db_instance.this", "aws_eip.nat"]
    state = {
        "values": {
            "root_module": {
                "resources": [
                    {"address": "aws_lb.this", "mode": "managed", "values": {"enable_deletion_protection": True}},
                    {"address": "aws_db_instance.this", "mode": "managed", "values": {"deletion_protection": False}},
                ],
                "child_modules": [
                    {"resources": [{"address": "module.m.aws_rds_cluster.c", "values": {"deletion_protection": True}}]}
                ],
            }
        }
    }
    assert protected_in_state(state) == ["aws_lb.this", "module.m.aws_rds_cluster.c"]


def test_destroy_confirmation_rails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(rails.PROTECTED_ENVS_VAR, raising=False)
    monkeypatch.setattr(rails, "has_terminal", lambda: False)
    with pytest.raises(RefusedError, match="typed at a terminal"):
        destroy._check_confirmation_possible("dev", auto_approve=False, protected_ok=False)
    with pytest.raises(RefusedError, match="also needs --destroy-protected-env"):
        destroy._check_confirmation_possible("prod", auto_approve=True, protected_ok=False)
    destroy._check_confirmation_possible("prod", auto_approve=True, protected_ok=True)
    destroy._check_confirmation_possible("dev", auto_approve=True, protected_ok=False)


def test_each_run_plans_privately_and_publishes_atomically(tmp_path: Path) -> None:
    first = planfiles.SavedPlan(tmp_path, tmp_path / "plan.1.tfplan")
    second = planfiles.SavedPlan(tmp_path, tmp_path / "plan.2.tfplan")
    first.private_file.write_bytes(b"one")
    first.publish("{}", "text", planfiles.PlanMeta(env="dev", plan_id=first.private_file.name))
    second.private_file.write_bytes(b"two")
    second.publish("{}", None, planfiles.PlanMeta(env="dev", plan_id=second.private_file.name))
    second.discard_private()
    assert first.private_file.read_bytes() == b"one"  # still there for its apply
    assert first.plan_file.read_bytes() == b"two" and not first.text_file.exists()
    assert first.read_meta().plan_id == "plan.2.tfplan"  # type: ignore[union-attr]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["meta.json", "plan.1.tfplan", "plan.json", "plan.tfplan"]


class _StubWorkspace:
    name = "prod"

    def __init__(self, tf_root: Path, state: dict[str, object]) -> None:
        self.tf_root, self._state = tf_root, state

    def local_flag(self) -> str:
        return " --local"

    def run(self, *args: str, echo_stdout: bool = True) -> runner.Completed:
        import json

        assert args == ("show", "-json")
        return runner.Completed(0, json.dumps(self._state), "")


def test_destroy_names_protected_resources_and_the_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.argv", ["main.py"])  # hints name the program as invoked
    (tmp_path / "alb.tf").write_text(
        'resource "aws_eip" "nat" {\n  lifecycle {\n    prevent_destroy = true\n  }\n}\n'
        'resource "aws_eip" "gone" {\n  lifecycle {\n    prevent_destroy = true\n  }\n}\n'
    )
    state = {
        "values": {
            "root_module": {
                "resources": [
                    {"address": "aws_lb.this", "mode": "managed", "values": {"enable_deletion_protection": True}},
                    {"address": "aws_eip.nat[0]", "mode": "managed", "values": {}},
                ]
            }
        }
    }
    with pytest.raises(RefusedError) as caught:
        destroy.check_protections(_StubWorkspace(tmp_path, state))  # type: ignore[arg-type]
    message = str(caught.value)
    assert "deletion protection is on for aws_lb.this" in message
    assert "lifecycle.prevent_destroy is set on aws_eip.nat (remove it)" in message and "aws_eip.gone" not in message
    assert "python main.py apply prod --local`, then destroy again" in message
    destroy.check_protections(_StubWorkspace(tmp_path, {"format_version": "1.0"}))  # type: ignore[arg-type]


def test_local_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from generator.cli import cli

    (tmp_path / "environments").mkdir()
    monkeypatch.setenv("HCLGEN_ROOT", str(tmp_path))
    cli_runner = CliRunner()
    assert cli_runner.invoke(cli, ["local", "status"]).exit_code == 1
    up = cli_runner.invoke(cli, ["local", "up"])
    try:
        assert up.exit_code == 0 and "local AWS started at http://127.0.0.1:" in up.output
        again = cli_runner.invoke(cli, ["local", "up"])
        assert "already running" in again.output
        status = cli_runner.invoke(cli, ["local", "status"])
        assert status.exit_code == 0 and "running at http://127.0.0.1:" in status.output
    finally:
        down = cli_runner.invoke(cli, ["local", "down"])
    assert "local AWS stopped" in down.output
    assert "was not running" in cli_runner.invoke(cli, ["local", "down"]).output


@pytest.mark.parametrize(
    ("argv0", "expected"), [("main.py", "python main.py unlock dev L1"), ("/venv/bin/hclgen", "hclgen unlock dev L1")]
)
def test_hints_name_the_program_as_it_was_invoked(monkeypatch: pytest.MonkeyPatch, argv0: str, expected: str) -> None:
    monkeypatch.setattr("sys.argv", [argv0])
    assert diagnostics.unlock_command("dev", "L1", "") == expected


def test_import_only_plan_is_a_change_for_apply_and_comment_alike() -> None:
    plan = {
        "resource_changes": [
            {
                "address": "aws_s3_bucket.logs",
                "mode": "managed",
                "type": "aws_s3_bucket",
                "change": {"actions": ["no-op"], "importing": {"id": "logs"}},
            }
        ]
    }
    planned = model.env_plan("dev", plan)
    assert planned.has_changes and planned.counts.imported == 1
    assert summary.lines(planned) == [
        "dev: 0 to add, 0 to change, 0 to destroy, 0 to replace, 1 to import",
        "  import   aws_s3_bucket.logs",
    ]


def test_plan_meta_round_trips_and_refuses_a_newer_schema(tmp_path: Path) -> None:
    saved = planfiles.SavedPlan(tmp_path, tmp_path / "plan.1.tfplan")
    saved.write_meta(planfiles.PlanMeta(env="dev", has_changes=True, plan_id="plan.1.tfplan"))
    meta = planfiles.read_meta(tmp_path)
    assert meta is not None and meta.env == "dev" and meta.has_changes and meta.schema == planfiles.META_SCHEMA
    (tmp_path / "meta.json").write_text('{"env": "dev", "schema": 99}')
    with pytest.raises(UsageError, match="schema 99, newer than this hclgen understands"):
        planfiles.read_meta(tmp_path)
    (tmp_path / "meta.json").write_text('{"env": "dev", "plan_file": "plan.tfplan", "applied": true}')
    assert planfiles.read_meta(tmp_path) == planfiles.PlanMeta(env="dev", applied=True, schema=0)
