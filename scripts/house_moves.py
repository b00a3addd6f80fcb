"""The "house" refactor's moves (issue 25): old module/file path -> new, and an import rewriter.

Code written on the old layout (before generator/plan/, generator/github/, generator/diagram/,
generator/changes/ and review/'s rooms) is brought onto the new one with:

    python scripts/house_moves.py rewrite FILE...     # .py: imports and dotted names; .md: file paths too
    python scripts/house_moves.py table               # the mapping, one `old -> new` per line
    python scripts/house_moves.py check FILE...       # exit 1 if a file still names an old path

`from generator.review import cost` (a module imported from its package) becomes
`from generator.review.cost import estimate as cost`, so the code below the import is unchanged.
Rewriting is idempotent, so files already on the new layout may be passed too; the one form it
cannot tell apart is `from generator.review import cost|policy|comment` (old: a module, new: a
package): it is read as the old module, so new code imports the room's modules by full name.
A file that itself sits at an old path is not moved by this script: `git mv` it to FILES[old].
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

# old dotted module -> new dotted module (files; packages follow from them)
MODULES: dict[str, str] = {
    # the plan floor: Terraform's plan JSON -> the one plan model, its digest and on-disk files
    "generator.review.model": "generator.plan.model",
    "generator.review.planparts": "generator.plan.parts",
    "generator.review.attrdiff": "generator.plan.attrdiff",
    "generator.review.jsondiff": "generator.plan.jsondiff",
    "generator.review.schema": "generator.plan.schema",
    "generator.review.digest": "generator.plan.digest",
    "generator.review.redact": "generator.plan.redact",
    "generator.review.summary": "generator.plan.summary",
    "generator.review.plansource": "generator.plan.source",
    "generator.terraform.planfiles": "generator.plan.files",
    # which envs a change touches
    "generator.review.affected": "generator.changes.affected",
    "generator.review.changed": "generator.changes.changed",
    # the one door to GitHub
    "generator.review.github": "generator.github.client",
    "generator.review.ghissues": "generator.github.issues",
    # review's rooms
    "generator.review.cost": "generator.review.cost.estimate",
    "generator.review.costrules": "generator.review.cost.rules",
    "generator.review.costreport": "generator.review.cost.report",
    "generator.review.pricing": "generator.review.cost.pricing",
    "generator.review.usage": "generator.review.cost.usage",
    "generator.review.policy": "generator.review.policy.findings",
    "generator.review.policyreport": "generator.review.policy.report",
    "generator.review.checkov": "generator.review.policy.checkov",
    "generator.review.toolvenv": "generator.review.policy.toolvenv",
    "generator.review.comment": "generator.review.comment.render",
    "generator.review.commentcost": "generator.review.comment.costpolicy",
    "generator.review.commentparts": "generator.review.comment.parts",
    "generator.review.status": "generator.review.comment.status",
    "generator.review.applyreport": "generator.review.reports.apply",
    "generator.review.applysummary": "generator.review.reports.applysummary",
    "generator.review.driftreport": "generator.review.reports.drift",
    # the diagram room (pure: resources and references -> a typed sketch -> Mermaid / PNG)
    "generator.render.diagram": "generator.diagram.build",
    "generator.render.diagram_edges": "generator.diagram.edges",
    "generator.render.diagram_graph": "generator.diagram.graph",
    "generator.render.diagram_kinds": "generator.facts.kinds",
    "generator.render.diagram_labels": "generator.diagram.labels",
    "generator.render.diagram_mermaid": "generator.diagram.mermaid",
    "generator.render.diagram_model": "generator.diagram.model",
    "generator.render.diagram_plan": "generator.diagram.plan",
    "generator.render.diagram_png": "generator.diagram.png",
    # files the parallel branches added on the old layout (moved when the house was merged)
    "generator.review.planjson": "generator.plan.planjson",
    "generator.review.mdescape": "generator.review.comment.mdescape",
    "generator.review.costrules_res": "generator.review.cost.rules_res",
    "generator.review.costrules_services": "generator.review.cost.rules_services",
    "generator.review.freetier": "generator.review.cost.freetier",
    "generator.render.hcl": "generator.hcl.syntax",
    "generator.render.interpolation": "generator.hcl.interpolation",
    "generator.hcl.outdir": "generator.render.outdir",
    "tests.githubrender": "tests.support.githubrender",
    "tests.modulekit": "tests.support.modulekit",
    "tests.resstack": "tests.support.resstack",
    # tests: shared helpers live in tests/support/, never in a test module
    "tests.goldens": "tests.support.goldens",
    "tests.tf": "tests.support.tf",
    "tests.projectcopy": "scripts.projectcopy",
}

# data and template files that move with their code (old path -> new path, from the checkout root)
DATA: dict[str, str] = {
    "generator/review/data/aws_sets.json.gz": "generator/plan/data/aws_sets.json.gz",
    "generator/review/data/prices.json": "generator/review/cost/data/prices.json",
    "templates/plan_comment.md.j2": "generator/templates/plan_comment.md.j2",
    "templates/workflows/apply.yml.j2": "generator/templates/workflows/apply.yml.j2",
    "templates/workflows/deploy.yml.j2": "generator/templates/workflows/deploy.yml.j2",
    "templates/workflows/drift.yml.j2": "generator/templates/workflows/drift.yml.j2",
    "templates/workflows/plan.yml.j2": "generator/templates/workflows/plan.yml.j2",
    "templates/workflows/_steps.j2": "generator/templates/workflows/_steps.j2",
}

# Names that moved to another module after the moves (splits that broke cycles, test helpers that
# left test modules): (module on the new layout, name) -> (new module, new name).
SYMBOLS: dict[tuple[str, str], tuple[str, str]] = {
    **{
        ("generator.review.cost.estimate", name): ("generator.review.cost.lines", name)
        for name in ("Line", "Resource", "Context")
    },
    ("generator.render.pipeline", "generated_files"): ("generator.render.writer", "generated_files"),
    ("generator.render.moved", "ADDRESS"): ("generator.addresses", "ADDRESS"),
    ("generator.render.moved", "resource_type"): ("generator.addresses", "resource_type"),
    **{
        ("tests.test_github", name): ("tests.support.fakegithub", name)
        for name in ("REPO", "NUMBER", "TOKEN", "FakeGitHub", "Seen")
    },
    ("tests.test_github", "github"): ("", ""),  # fixtures now come from tests/conftest.py: drop the import
    ("tests.test_github", "sleeps"): ("", ""),
    ("tests.test_e2e_local", "Project"): ("tests.support.e2e", "Project"),
    ("tests.test_e2e_local", "ok"): ("tests.support.e2e", "ok"),
    ("tests.test_terraform", "_planned"): ("tests.support.tf", "planned"),
    ("tests.test_modules", "CONFIG"): ("tests.support.configs", "CONFIG"),
    ("tests.test_modules", "_write_config"): ("tests.support.configs", "write_config"),
    ("tests.test_workflows", "actionlint"): ("tests.support.actionlint", "actionlint"),
    ("tests.test_comment", "check_golden"): ("tests.support.goldens", "check_comment_golden"),
    # the one door to GitHub: these now take a generator.github.context.RunContext, not os.environ
    ("generator.terraform.workspace", "in_ci"): ("generator.github.context", "in_ci"),
    ("generator.github.event", "pull_request_from_env"): ("generator.github.event", "current_pull_request"),
    ("generator.github.issues", "repository_from_env"): ("generator.github.issues", "repository_of"),
}

NEW_PACKAGES = (
    "generator/plan",
    "generator/changes",
    "generator/github",
    "generator/diagram",
    "generator/review/cost",
    "generator/review/policy",
    "generator/review/comment",
    "generator/review/reports",
    "tests/support",
)


def _file(dotted: str) -> str:
    return dotted.replace(".", "/") + ".py"


FILES: dict[str, str] = {**{_file(old): _file(new) for old, new in MODULES.items()}, **DATA}

# Old modules whose names are now packages (generator.review.cost): a dotted name followed by one
# of the new package's submodules is already on the new layout and is left alone.
_AMBIGUOUS = {old for old in MODULES if any(new.startswith(old + ".") for new in MODULES.values())}
_SUBMODULES = sorted(
    {new[len(old) + 1 :].split(".")[0] for old in _AMBIGUOUS for new in MODULES.values() if new.startswith(old + ".")}
    | {"data"}
)
# Longest first, so generator.review.costrules never matches as generator.review.cost + "rules".
_DOTTED = re.compile(
    r"(?<![\w.])("
    + "|".join(re.escape(m) for m in sorted(MODULES, key=len, reverse=True))
    + r")(?![\w])(?!\.(?:"
    + "|".join(_SUBMODULES)
    + r")\b)"
)
_PATHS = re.compile(
    r"(?<![\w./])(" + "|".join(re.escape(p) for p in sorted(FILES, key=len, reverse=True)) + r")(?![\w])"
)
# docs often name engine files relative to generator/ (review/costrules.py)
_SHORT = {
    old.removeprefix("generator/"): new.removeprefix("generator/")
    for old, new in FILES.items()
    if old.startswith("generator/")
}
_SHORT_PATHS = re.compile(
    r"(?<![\w./])(" + "|".join(re.escape(p) for p in sorted(_SHORT, key=len, reverse=True)) + r")(?![\w])"
)


def _alias(name: str, asname: str | None) -> str:
    return f"{name} as {asname}" if asname and asname != name else name


def _import_from(node: ast.ImportFrom) -> list[str]:
    """One single-line `from X import ...` on the new layout (one statement or several)."""
    module = node.module or ""
    aliases = list(node.names)
    if module in MODULES and not all(a.name in _SUBMODULES for a in aliases):
        module = MODULES[module]  # from generator.review.cost import Line -> ...review.cost.estimate import Line
    moved = [a for a in aliases if f"{module}.{a.name}" in MODULES]
    renamed = [a for a in aliases if (module, a.name) in SYMBOLS]
    kept = [a for a in aliases if a not in moved and a not in renamed]
    # kept names keep their own spelling: `x as x` is mypy's explicit re-export, not a redundant alias
    kept_names = ", ".join(f"{a.name} as {a.asname}" if a.asname else a.name for a in kept)
    lines = [f"from {module} import {kept_names}"] if kept else []
    for alias in moved:  # from generator.review import cost -> from generator.review.cost import estimate as cost
        package, name = MODULES[f"{module}.{alias.name}"].rsplit(".", 1)
        lines.append(f"from {package} import " + _alias(name, alias.asname or alias.name))
    targets: dict[str, list[str]] = {}  # from ...cost.estimate import Line -> from ...cost.lines import Line
    for alias in renamed:
        target, name = SYMBOLS[(module, alias.name)]
        if target:
            targets.setdefault(target, []).append(_alias(name, alias.asname or alias.name))
    lines += [f"from {target} import " + ", ".join(names) for target, names in targets.items()]
    return lines


def rewrite_text(text: str, *, python: bool) -> str:
    imports: dict[int, list[str]] = {}
    if python:
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and node.end_lineno == node.lineno:
                imports[node.lineno] = _import_from(node)
    out = []
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        if number in imports:
            body = line.rstrip("\n")
            indent = body[: len(body) - len(body.lstrip())]
            code, hash_, comment = body.partition("  #")
            rebuilt = ("\n" + indent).join(imports[number])
            if rebuilt.strip() != code.strip():
                keep = "" if comment.strip().startswith("noqa") else hash_ + comment  # the noqa was for the old names
                ending = "\n" if line.endswith("\n") else ""
                line = indent + rebuilt + keep + ending if rebuilt else ending
            out.append(line)
            continue
        line = _DOTTED.sub(lambda m: MODULES[m.group(1)], line)
        line = _PATHS.sub(lambda m: FILES[m.group(1)], line)
        out.append(_SHORT_PATHS.sub(lambda m: _SHORT[m.group(1)], line))
    return "".join(out)


def rewrite(path: Path) -> bool:
    old = path.read_text(encoding="utf-8")
    new = rewrite_text(old, python=path.suffix == ".py")
    if new != old:
        path.write_text(new, encoding="utf-8")
    return new != old


def stale(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    new = rewrite_text(text, python=path.suffix == ".py")
    return [f"line {n}: {a.strip()}" for n, (a, b) in enumerate(zip(text.splitlines(), new.splitlines()), 1) if a != b]


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"rewrite", "table", "check"}:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    command, files = argv[0], [Path(name) for name in argv[1:]]
    if command == "table":
        for old, new in FILES.items():
            print(f"{old} -> {new}")
        for old, new in MODULES.items():
            print(f"{old} -> {new}")
        return 0
    if command == "rewrite":
        changed = [str(path) for path in files if rewrite(path)]
        print(f"rewrote {len(changed)} of {len(files)} files" + "".join(f"\n  {name}" for name in changed))
        return 0
    problems = {str(path): names for path in files if (names := stale(path))}
    for name, names in problems.items():
        print(f"{name}: still on the old layout:" + "".join(f"\n  {n}" for n in names))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
