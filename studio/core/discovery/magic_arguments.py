"""The arguments of Hamilton's `%%cell_to_module` and `%%incr_cell_to_module`, parsed by
the magic's own rules without importing it.

Importing `hamilton.plugins.jupyter_magic` imports Hamilton's driver (1.3 s), too slow
for discovery in the window. Its argument spec is read instead from the magic's source
(the literal `@argument(...)` decorators of each magic) and given to IPython's own
`magic_arguments`, the way the magic builds its parser; the line is split with
IPython's `arg_split` and parsed with `parse_known_args`, as the magic does. Without
IPython (a project interpreter may lack it) argparse and `shlex` stand in.
"""

from __future__ import annotations

import argparse
import ast
import functools
import importlib.util
import json
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAGICS = ("cell_to_module", "incr_cell_to_module")


@dataclass(frozen=True, slots=True)
class MagicCall:
    """One `%%cell_to_module` line, as the magic reads it."""

    magic: str
    module: str | None
    """None when the line names no module (the magic then makes none)."""
    config: dict[str, Any] | None = None
    """The literal config (`key=value` pairs or JSON); None when none is given."""
    config_variable: str | None = None
    """`--config NAME`: a variable of the notebook holding the config."""
    builder: str | None = None
    inputs: str | None = None
    overrides: str | None = None
    execute: str | bool | None = None
    display: str | bool | None = None
    identifier: int | None = None
    """`%%incr_cell_to_module`'s place of this cell in its module."""
    write_to_file: str | bool | None = None
    """`-w/--write_to_file [PATH]`: run, the cell writes its module's code to PATH (True:
    `MODULE.py`), from the notebook's folder."""
    problems: list[str] = field(default_factory=list)
    """Why the magic would refuse the line, as it would print it."""


def parse_magic_line(line: str) -> MagicCall | None:
    """The call a cell's first line makes (`%%cell_to_module name --config a=1`), or None
    when the cell is not one of Hamilton's module magics."""
    head, _, rest = line.strip().partition(" ")
    magic = head.removeprefix("%%")
    if not head.startswith("%%") or magic not in MAGICS:
        return None
    try:
        parser = magic_parser(magic)
    except (LookupError, OSError, SyntaxError):  # no Hamilton magic here: its name alone
        words = [w for w in _split(rest) if not w.startswith("-")]
        return MagicCall(magic, words[0] if words else None)
    try:
        args, _ = parser.parse_known_args(_split(rest))
    except (SystemExit, Exception) as error:  # argparse exits, IPython's raises, on a bad line
        return MagicCall(magic, None, problems=[f"cannot read `{line.strip()}`: {error}"])
    values = vars(args)
    problems: list[str] = []
    if magic == "cell_to_module":
        name, alias = values.get("name"), values.get("module_name")
        if isinstance(name, str) and isinstance(alias, str):
            problems.append(f"names the module twice ({name}, {alias})")
        module = alias if isinstance(alias, str) else name
    else:
        module = values.get("module_name")
    config, variable = _config(values.get("config"), problems)
    return MagicCall(
        magic=magic,
        module=module if isinstance(module, str) else None,
        config=config,
        config_variable=variable,
        builder=values.get("builder"),
        inputs=values.get("inputs"),
        overrides=values.get("overrides"),
        execute=values.get("execute"),
        display=values.get("display"),
        identifier=values.get("identifier"),
        write_to_file=values.get("write_to_file"),
        problems=problems,
    )


def _config(text: str | None, problems: list[str]) -> tuple[dict[str, Any] | None, str | None]:
    """The magic's `resolve_config_arg` without the notebook's namespace: a name is a
    variable; `a=1 b=2` pairs of strings; text with a colon JSON."""
    if text is None:
        return None, None
    if text.isidentifier():
        return None, text
    if "=" in text:
        try:
            return dict(item.split("=") for item in text.split()), None  # type: ignore[misc]
        except ValueError:
            problems.append(f"cannot read the config `{text}` as key=value pairs")
            return None, None
    if ":" in text:
        try:
            value = json.loads(text.strip("'\""))
        except json.JSONDecodeError:
            problems.append(f"cannot read the config `{text}` as JSON (the magic refuses it)")
            return None, None
        return (value, None) if isinstance(value, dict) else (None, None)
    return None, text


def _split(text: str) -> list[str]:
    try:
        from IPython.utils.process import arg_split
    except ImportError:
        return shlex.split(text)
    return list(arg_split(text))


@functools.cache
def magic_parser(magic: str) -> argparse.ArgumentParser:
    """The magic's parser, built from the `@argument` decorators in its source."""
    spec = _argument_spec(magic)
    try:
        from IPython.core.magic_arguments import argument, magic_arguments
    except ImportError:
        parser = argparse.ArgumentParser(prog=magic, add_help=False)
        for args, kwargs in spec:
            parser.add_argument(*args, **kwargs)
        return parser

    def stub(line: str, cell: str) -> None:
        """A stand-in for the magic, carrying its parser."""

    decorated: Callable[..., Any] = stub
    for args, kwargs in reversed(spec):  # decorators apply bottom-up
        decorated = argument(*args, **kwargs)(decorated)
    decorated = magic_arguments()(decorated)
    parser = decorated.parser  # type: ignore[attr-defined]
    parser.prog = magic
    return parser


def _argument_spec(magic: str) -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
    """`@argument(...)` of the magic, top to bottom, from Hamilton's installed source."""
    source = _magic_source()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef) and node.name == magic:
            found = []
            for decorator in node.decorator_list:
                if (
                    isinstance(decorator, ast.Call)
                    and isinstance(decorator.func, ast.Name)
                    and decorator.func.id == "argument"
                ):
                    args = tuple(ast.literal_eval(a) for a in decorator.args)
                    kwargs = {k.arg: _keyword(k.value) for k in decorator.keywords if k.arg}
                    found.append((args, kwargs))
            return found
    raise LookupError(f"Hamilton's jupyter_magic has no {magic}")


def _keyword(value: ast.expr) -> Any:
    if isinstance(value, ast.Name) and value.id in {"int", "str", "float"}:
        return {"int": int, "str": str, "float": float}[value.id]
    return ast.literal_eval(value)


@functools.cache
def _magic_source() -> str:
    spec = importlib.util.find_spec("hamilton.plugins.jupyter_magic")
    if spec is None or spec.origin is None:
        raise LookupError("Hamilton's jupyter_magic is not installed")
    return Path(spec.origin).read_text(encoding="utf-8")
