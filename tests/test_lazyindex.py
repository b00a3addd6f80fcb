"""generator/lazyindex.js: node requires a provider resource module when the kernel first reads it.

Run with real node on the real provider index.js (from the installed bindings' jsii tarball) and on
small packages of both index forms (cdktf's and cdktn's).
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from generator import cdk
from tests.conftest import ROOT

_REPORT = """
const m = require(process.argv[1]);
const first = m.vpc;
console.log(JSON.stringify({keys: Object.keys(m).length, loaded: globalThis.loaded || [], same: first === m.vpc,
                            direct: first === require(process.argv[2])}));
"""


def _node(script: str, *args: str, preload: bool = True) -> subprocess.CompletedProcess[str]:
    argv = ["node", *(["--require", str(cdk.LAZY_INDEX)] if preload else []), "-e", script, "--", *args]
    return subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)


def _package(root: Path, index_lines: list[str], modules: dict[str, str]) -> Path:
    lib = root / "node_modules" / "@cdktf" / "provider-aws" / "lib"
    for rel, name in modules.items():
        (lib / rel).parent.mkdir(parents=True, exist_ok=True)
        (lib / rel).write_text(f"(globalThis.loaded ||= []).push({name!r}); exports.name = {name!r};\n")
    (lib / "index.js").write_text('"use strict";\n' + "\n".join(index_lines) + "\n//# sourceMappingURL=index.js.map")
    return lib


def test_a_namespace_loads_on_first_read_only(tmp_path: Path) -> None:
    lib = _package(
        tmp_path,
        ['exports.vpc = require("./vpc");', 'exports.subnet = require("./subnet");'],
        {"vpc/index.js": "vpc", "subnet/index.js": "subnet"},
    )
    done = _node(_REPORT, str(lib / "index.js"), str(lib / "vpc"))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"keys": 2, "loaded": ["vpc"], "same": True, "direct": True}
    eager = _node(_REPORT, str(lib / "index.js"), str(lib / "vpc"), preload=False)
    assert json.loads(eager.stdout)["loaded"] == ["vpc", "subnet"]


def test_cdktn_index_form_is_lazy_too(tmp_path: Path) -> None:
    star = "var __importStar = function (m) { return m; };"
    lib = _package(
        tmp_path,
        [
            star,
            'exports.vpc = __importStar(require("./vpc/index"));',
            'exports.subnet = __importStar(require("./subnet/index"));',
        ],
        {"vpc/index.js": "vpc", "subnet/index.js": "subnet"},
    )
    done = _node(_REPORT, str(lib / "index.js"), str(lib / "vpc" / "index.js"))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"keys": 2, "loaded": ["vpc"], "same": True, "direct": True}


def test_other_files_compile_as_they_are(tmp_path: Path) -> None:
    other = tmp_path / "node_modules" / "cdktf" / "lib"
    other.mkdir(parents=True)
    (other / "vpc.js").write_text("exports.name = 'vpc';\n")
    (other / "index.js").write_text('exports.vpc = require("./vpc");\n')
    done = _node(
        "console.log(Object.getOwnPropertyDescriptor(require(process.argv[1]), 'vpc').get === undefined)",
        str(other / "index.js"),
    )
    assert done.stdout.strip() == "true", done.stderr


def test_the_installed_provider_index_needs_no_resource_module_to_load(tmp_path: Path) -> None:
    """The real lib/index.js, alone in a folder: with the preload every namespace is there and none
    was required (they do not exist here); without it node fails on the first one."""
    spec = importlib.util.find_spec(cdk.PROVIDER_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        pytest.skip(f"{cdk.PROVIDER_PACKAGE} is not installed")
    tarball = next(Path(spec.submodule_search_locations[0], "_jsii").glob("*.jsii.tgz"))
    with tarfile.open(tarball) as archive:
        member = archive.extractfile("package/lib/index.js")
        assert member is not None
        text = member.read().decode()
    lib = tmp_path / "node_modules" / "@cdktf" / "provider-aws" / "lib"
    lib.mkdir(parents=True)
    (lib / "index.js").write_text(text)
    namespaces = sum(1 for line in text.splitlines() if line.startswith("exports.") and 'require("./' in line)
    assert namespaces > 1000
    done = _node("console.log(Object.keys(require(process.argv[1])).length)", str(lib / "index.js"))
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) == namespaces
    eager = _node("require(process.argv[1])", str(lib / "index.js"), preload=False)
    assert eager.returncode != 0 and "MODULE_NOT_FOUND" in eager.stderr


@pytest.mark.parametrize("before", [None, "--max-old-space-size=4000"])
def test_node_options_are_set_for_the_jsii_start_only(before: str | None) -> None:
    code = (
        "import os; from generator import cdk; cdk.warm_up(); "
        "print(repr(os.environ.get('NODE_OPTIONS'))); print(cdk.SqsQueue.TF_RESOURCE_TYPE)"
    )
    env = {k: v for k, v in os.environ.items() if k != "NODE_OPTIONS"} | ({"NODE_OPTIONS": before} if before else {})
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.splitlines() == [repr(before), "aws_sqs_queue"]
