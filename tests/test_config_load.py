"""Loading configs never starts the jsii runtime: the bindings load only when constructs are built."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from scripts.projectcopy import env_names

ROOT = Path(__file__).resolve().parents[1]
BINDINGS = ("cdktf", "constructs", "jsii", "cdktf_cdktf_provider_aws")

PROBE = """
import json, sys
from pathlib import Path

from scripts.projectcopy import env_names
from generator.render.project import load
import modules.stack, modules.rds, modules.ecs, modules.alarms, modules.aurora, modules.codedeploy
loaded = load(Path(sys.argv[1]))
from generator.cdk import Construct, DbInstance
from modules.rds import Rds
checks = [isinstance(Rds, type), callable(DbInstance), Construct is not None]
print(json.dumps({"envs": [item.env.name for item in loaded], "checks": checks,
                  "bindings": sorted(m for m in sys.modules if m.split(".")[0] in %r)}))
""" % (BINDINGS,)  # noqa: UP031 - the template holds {} of its own


def _probe(code: str) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", code, str(ROOT)], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def test_loading_every_config_imports_no_binding() -> None:
    seen = _probe(PROBE)
    assert seen["envs"] == env_names(ROOT)
    assert seen["checks"] == [True, True, True]
    assert seen["bindings"] == [], f"a config load imported {seen['bindings']}"


def test_building_a_construct_loads_the_real_classes() -> None:
    code = """
import json, sys
from generator.cdk import App, TerraformStack
from modules.vpc import Vpc, VpcInputs
stack = TerraformStack(App(), "probe")
module = Vpc(stack, "vpc", VpcInputs(), name="probe", region="ap-northeast-2")
import constructs
checks = [isinstance(module, Vpc), isinstance(module, constructs.Construct), module.node.path == "probe/vpc",
          isinstance(stack, TerraformStack), type(module).__name__ == "Vpc"]
print(json.dumps({"checks": checks, "bindings": sorted(m for m in sys.modules if m.split(".")[0] in %r)}))
""" % (BINDINGS,)  # noqa: UP031 - the template holds {} of its own
    seen = _probe(code)
    assert seen["checks"] == [True] * 5
    assert {"constructs", "cdktf", "cdktf_cdktf_provider_aws.vpc"} <= set(seen["bindings"])  # type: ignore[call-overload]
