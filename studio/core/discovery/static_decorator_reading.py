"""Hamilton's decorators on a function read from source: which they are and their
literal arguments, nothing run.

A decorator is known by the dotted name it resolves to in `hamilton.` (so an
alias or `from hamilton.function_modifiers import ...` both work). One that is
not Hamilton's, not read from source, or whose arguments are computed at
import raises `NotExpandedError` with the reason shown on the function's card.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from studio.core.discovery.static_literals import Literals, NotLiteralError
from studio.core.discovery.static_nodes import FunctionSyntax
from studio.core.discovery.type_names import short_type_name


class NotExpandedError(Exception):
    """The function's nodes are known only when Hamilton builds them; says why."""

    def __init__(self, reason: str, name: str | None = None) -> None:
        super().__init__(reason)
        self.name = name
        """The node's name when the config chose the function (`__suffix` stripped)."""


@dataclass(frozen=True, slots=True)
class Decorator:
    kind: str
    """Hamilton's name for it: `extract_columns`, `config.when`, `schema.output`."""
    positional: list[Any]
    keywords: dict[str, Any]
    syntax: ast.expr


RESOLVERS = {"config.when", "config.when_not", "config.when_in", "config.when_not_in"}
CREATORS = {"does", "subdag", "parameterized_subdag"}
INJECTORS = {"pipe_input", "pipe"}
EXPANDERS = {
    "parameterize",
    "parameterize_values",
    "parametrized",
    "parameterize_sources",
    "parameterized_inputs",
    "parametrized_input",
    "inject",
    "parameterize_extract_columns",
}
TRANSFORMERS = {"extract_columns", "extract_fields", "check_output"}
DECORATORS = {"tag", "tag_outputs", "schema.output", "cache"}
KNOWN = RESOLVERS | CREATORS | INJECTORS | EXPANDERS | TRANSFORMERS | DECORATORS
_TWO_PART = ("config.", "schema.")


def read_decorators(function: FunctionSyntax, literals: Literals) -> list[Decorator]:
    """The function's decorators in the order they apply (the nearest first); one
    that cannot be read is kept as kind `?`, its reason as its only argument, so
    that the config can still leave the function out."""
    found: list[Decorator] = []
    for syntax in reversed(function.decorator_list):
        try:
            found.append(_read(syntax, literals))
        except NotExpandedError as error:
            found.append(Decorator("?", [str(error)], {}, syntax))
    return found


def _read(syntax: ast.expr, literals: Literals) -> Decorator:
    call = syntax if isinstance(syntax, ast.Call) else None
    kind = _kind(call.func if call else syntax, literals)
    if kind is None:
        raise NotExpandedError(f"@{ast.unparse(syntax)} is not Hamilton's")
    if kind not in KNOWN:
        raise NotExpandedError(f"@{kind} is not read from source")
    if kind == "extract_fields" and call is not None:
        positional, keywords = _field_arguments(call, literals)
    elif kind == "check_output" and call is not None:
        positional, keywords = _check_arguments(call, literals)
    else:
        try:
            positional, keywords = literals.arguments(call) if call else ([], {})
        except NotLiteralError as error:
            raise NotExpandedError(f"@{kind}: {error} is computed at import") from None
    return Decorator(kind, positional, keywords, syntax)


def _kind(callee: ast.expr, literals: Literals) -> str | None:
    dotted = literals.dotted(callee)
    if dotted is None or not dotted.startswith("hamilton."):
        return None
    parts = dotted.split(".")
    two = ".".join(parts[-2:])
    return two if two.startswith(_TWO_PART) else parts[-1]


def _check_arguments(call: ast.Call, literals: Literals) -> tuple[list[Any], dict[str, Any]]:
    """`@check_output` names its validators after its arguments' names: their values
    (types, schemas) need not be literal, only `target_` must."""
    if call.args or any(k.arg is None for k in call.keywords):
        raise NotExpandedError("@check_output with arguments not read from source")
    keywords: dict[str, Any] = {}
    for keyword in call.keywords:
        assert keyword.arg is not None
        try:
            keywords[keyword.arg] = literals.evaluate(keyword.value)
        except NotLiteralError as error:
            if keyword.arg == "target_":
                raise NotExpandedError(f"@check_output: {error} is computed") from None
            keywords[keyword.arg] = None  # its value does not name anything
    return [], keywords


def _field_arguments(call: ast.Call, literals: Literals) -> tuple[list[Any], dict[str, Any]]:
    """`@extract_fields` names types, which are not literals: kept as their text."""
    if call.keywords and any(k.arg != "fill_with" for k in call.keywords):
        raise NotExpandedError("@extract_fields has arguments not read from source")
    positional: list[Any] = []
    for arg in call.args:
        if (
            isinstance(arg, ast.Call)
            and isinstance(arg.func, ast.Name)
            and arg.func.id == "dict"
            and not arg.args
            and all(k.arg is not None for k in arg.keywords)
        ):
            arg = ast.Dict(
                [ast.Constant(k.arg) for k in arg.keywords], [k.value for k in arg.keywords]
            )
        if isinstance(arg, ast.Dict) and all(isinstance(k, ast.Constant) for k in arg.keys):
            positional.append(
                {
                    k.value: short_type_name(ast.unparse(v))  # type: ignore[union-attr]
                    for k, v in zip(arg.keys, arg.values, strict=True)
                }
            )
        else:
            try:
                positional.append(literals.evaluate(arg))
            except NotLiteralError as error:
                raise NotExpandedError(f"@extract_fields: {error} is computed") from None
    return positional, {}
