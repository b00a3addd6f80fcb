"""Discover and load environment configs (environments/<name>/config.py)."""

from __future__ import annotations

import ast
import dataclasses
import importlib.util
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from generator.environment import Environment
from generator.errors import ConfigError, InputError, UsageError
from generator.render import cache

CONFIG_FILE = "config.py"
CONFIG_VARIABLE = "ENVIRONMENT"


@dataclass(frozen=True)
class LoadedEnv:
    """An environment config together with where it lives."""

    env: Environment
    root: Path  # environments/<name>/: the Terraform root of the env
    config_path: Path


def env_names(root: Path) -> list[str]:
    """Sorted names of folders under environments/ that hold a config.py."""
    base = root / "environments"
    return sorted(p.name for p in base.iterdir() if (p / CONFIG_FILE).is_file()) if base.is_dir() else []


def env_table(root: Path) -> list[str]:
    """`envs`: a header and one aligned line per env (name, region, state backend, config file)."""
    rows = [("ENV", "REGION", "STATE", "CONFIG")]
    for item in load(root):
        backend = item.env.backend
        state = f"s3://{backend.bucket}/{backend.key}"
        rows.append((item.env.name, item.env.region, state, item.config_path.relative_to(root).as_posix()))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths)) + "  " + row[3] for row in rows]


def load(root: Path, names: tuple[str, ...] | list[str] = ()) -> list[LoadedEnv]:
    """Load the named environments (all when empty), in the order given."""
    known = env_names(root)
    for name in names:
        if name not in known:
            hint = ", ".join(known) or "none"
            raise UsageError(f"unknown environment '{name}' (known: {hint})")
    return [_load_one(root, name) for name in (names or known)]


def _load_one(root: Path, name: str) -> LoadedEnv:
    path = root / "environments" / name / CONFIG_FILE
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    module_name = f"_hclgen_env_{name.replace('-', '_')}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Registered like any import, so classes the config defines (a construct, a stack) know their file.
    sys.modules[module_name] = module
    try:
        with cache.tracking():  # what the config imports is an input of the synth cache
            spec.loader.exec_module(module)
    except InputError as err:
        raise ConfigError(err.message, env=name, module=err.module, field=err.field) from None
    except TypeError as err:
        missing = _missing_value(module, path, err, name)
        raise (missing if missing is not None else _crashed(root, path, err, name)) from None
    except (Exception, SystemExit) as err:  # noqa: BLE001 - any failure of user code is one line
        raise _crashed(root, path, err, name) from None
    env = getattr(module, CONFIG_VARIABLE, None)
    if not isinstance(env, Environment):
        raise ConfigError(f"{path.relative_to(root)} must define {CONFIG_VARIABLE} = Environment(...)", env=name)
    if env.name != name:
        raise ConfigError(f"name is {env.name!r} but the folder is environments/{name}", env=name, field="name")
    return LoadedEnv(env=env, root=path.parent, config_path=path)


def _crashed(root: Path, path: Path, err: BaseException, env: str) -> ConfigError:
    """`environments/dev/config.py:LINE: NameError: ...` for a config that raises or exits."""
    from generator import usercode

    line = _line_in(path, err)
    deeper = None if isinstance(err, SyntaxError) else usercode.where(err, root)  # e.g. a module it imports
    where = deeper or (f"{_relative(root, path)}:{line}" if line else _relative(root, path))
    if isinstance(err, SystemExit):
        detail = f"calls sys.exit({err.code!r}) while loading; a config only defines {CONFIG_VARIABLE}"
    elif isinstance(err, SyntaxError):
        detail = f"SyntaxError: {err.msg}"
    else:
        text = str(err).splitlines()[0] if str(err) else ""
        detail = f"{type(err).__name__}: {text}" if text else type(err).__name__
    error = ConfigError(f"{where}: {detail}")  # the path names the env
    error.traceback = "".join(traceback.format_exception(err))
    return error


def _line_in(path: Path, err: BaseException) -> int | None:
    if isinstance(err, SyntaxError) and err.filename and Path(err.filename).resolve() == path.resolve():
        return err.lineno
    line = None
    trace = err.__traceback__
    while trace is not None:
        if Path(trace.tb_frame.f_code.co_filename).resolve() == path.resolve():
            line = trace.tb_lineno
        trace = trace.tb_next
    return line


def _relative(root: Path, path: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _missing_value(module: ModuleType, path: Path, err: TypeError, env: str) -> ConfigError | None:
    """The required fields a config's call of an input dataclass leaves out, checked against the class.

    The failing line is the config's last traceback frame; each call there whose callee is a dataclass
    (Environment, VpcInputs, ...) is compared with the fields it requires. None: not a missing value."""
    line = _line_in(path, err)
    if line is None:
        return None
    calls = [
        node
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and node.lineno <= line <= (node.end_lineno or node.lineno)
    ]
    for call in sorted(calls, key=lambda node: (node.end_lineno or 0) - node.lineno):  # innermost first
        owner = _callee(module, call.func)
        missing = _required(owner, call) if isinstance(owner, type) and dataclasses.is_dataclass(owner) else []
        if missing:
            assert isinstance(owner, type)
            names = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " and " + missing[-1]
            return ConfigError(
                f"required value missing: {names}",
                env=env,
                module=owner.__name__.removesuffix("Inputs").lower() or None,
            )
    return None


def _callee(module: ModuleType, func: ast.expr) -> object:
    """What `VpcInputs` or `modules.vpc.VpcInputs` names in the config's namespace (None if unknown)."""
    if isinstance(func, ast.Name):
        return vars(module).get(func.id)
    if isinstance(func, ast.Attribute):
        return getattr(_callee(module, func.value), func.attr, None)
    return None


def _required(owner: type, call: ast.Call) -> list[str]:
    """Required init fields the call does not pass (none when it unpacks *args / **kwargs)."""
    if any(isinstance(arg, ast.Starred) for arg in call.args) or any(kw.arg is None for kw in call.keywords):
        return []
    fields = [f for f in dataclasses.fields(owner) if f.init]
    given = {kw.arg for kw in call.keywords} | {f.name for f in [f for f in fields if not f.kw_only][: len(call.args)]}
    return [
        f.name
        for f in fields
        if f.name not in given and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    ]
