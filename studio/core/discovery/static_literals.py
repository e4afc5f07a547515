"""Decorator arguments as values, read from the source without running it.

A decorator of the graph read from source is expanded only when its
arguments are literal: Python literals, module-level names bound once to a
literal, and Hamilton's own markers (`value(...)`, `source(...)`, `group(...)`,
`configuration(...)`, `ParameterizedExtract(...)`), which become the small
classes below. Anything else (a call, a name computed at import) raises
`NotLiteralError`: the function is then drawn as one node, not expanded.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from studio.core.discovery.module_reader import qualified_name


class NotLiteralError(Exception):
    """An argument whose value only running the code would tell."""


@dataclass(frozen=True, slots=True)
class Value:
    """`value(x)`: a literal given to a parameter."""

    value: Any


@dataclass(frozen=True, slots=True)
class Source:
    """`source("node")`: a parameter fed by another node."""

    name: str


@dataclass(frozen=True, slots=True)
class ConfigSource:
    """`configuration("key")`: a subdag's config taken from the outer config."""

    name: str


@dataclass(frozen=True, slots=True)
class Group:
    """`group(...)`: several sources or values gathered into one list or dict parameter."""

    items: tuple[Any, ...] | dict[str, Any]


@dataclass(frozen=True, slots=True)
class Extract:
    """`ParameterizedExtract(outputs, input_mapping)`."""

    outputs: tuple[Any, ...]
    mapping: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Step:
    """`step(fn, *args, **kwargs)`, with what `.named`, `.namespaced` and `.when...` add."""

    function: Reference
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    name: str | None = None
    namespace: Any = Ellipsis
    conditions: tuple[tuple[str, dict[str, Any]], ...] = ()


_STEP_METHODS = {"named", "namespaced", "when", "when_not", "when_in", "when_not_in"}


@dataclass(frozen=True, slots=True)
class Reference:
    """A name that is neither literal nor a Hamilton marker: a module or function
    (for `@subdag`, `@does`, `step`), kept by the dotted name it was imported as."""

    dotted: str


_MARKERS = {"value", "source", "group", "configuration", "ParameterizedExtract", "step"}
_HAMILTON = "hamilton."


class Literals:
    """Evaluates expressions of one module: its imports and its literal constants."""

    def __init__(self, tree: ast.Module, bindings: dict[str, str], module: str) -> None:
        self.bindings = bindings
        self.module = module
        self.constants: dict[str, ast.expr] = {}
        assigned: dict[str, int] = {}
        for statement in tree.body:
            targets: list[ast.expr] = []
            if isinstance(statement, ast.Assign):
                targets = statement.targets
            elif isinstance(statement, ast.AnnAssign | ast.AugAssign):
                targets = [statement.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    assigned[target.id] = assigned.get(target.id, 0) + 1
                    value = getattr(statement, "value", None)
                    if not isinstance(statement, ast.AugAssign) and value is not None:
                        self.constants[target.id] = value
        for name, count in assigned.items():
            if count > 1:  # reassigned at import: its value depends on the order
                self.constants.pop(name, None)
        self.functions = {
            s.name
            for s in tree.body
            if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        }

    def dotted(self, expr: ast.expr) -> str | None:
        """The dotted name an expression stands for: imported (`fm.tag` ->
        `hamilton.function_modifiers.tag`) or defined in this module."""
        found = qualified_name(expr, self.bindings)
        if found is not None:
            return found
        if isinstance(expr, ast.Name) and expr.id in self.functions:
            return f"{self.module}.{expr.id}"
        return None

    def evaluate(self, expr: ast.expr, seen: frozenset[str] = frozenset()) -> Any:
        """The value of `expr`, or NotLiteralError."""
        if isinstance(expr, ast.Constant):
            return expr.value
        if isinstance(expr, ast.List | ast.Tuple | ast.Set):
            items: list[Any] = []
            for item in expr.elts:
                if isinstance(item, ast.Starred):
                    items.extend(self.evaluate(item.value, seen))
                else:
                    items.append(self.evaluate(item, seen))
            if isinstance(expr, ast.List):
                return items
            return tuple(items) if isinstance(expr, ast.Tuple) else set(items)
        if isinstance(expr, ast.Dict):
            result: dict[Any, Any] = {}
            for key, item in zip(expr.keys, expr.values, strict=True):
                if key is None:
                    result.update(self.evaluate(item, seen))
                else:
                    result[self.evaluate(key, seen)] = self.evaluate(item, seen)
            return result
        if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.USub | ast.UAdd):
            operand = self.evaluate(expr.operand, seen)
            if isinstance(operand, int | float):
                return -operand if isinstance(expr.op, ast.USub) else operand
        if isinstance(expr, ast.Name):
            if expr.id in ("None", "True", "False"):
                return {"None": None, "True": True, "False": False}[expr.id]
            if expr.id in self.constants and expr.id not in seen:
                return self.evaluate(self.constants[expr.id], seen | {expr.id})
        if isinstance(expr, ast.Call):
            return self._call(expr, seen)
        if isinstance(expr, ast.Name | ast.Attribute):
            dotted = self.dotted(expr)
            if dotted is not None:
                return Reference(dotted)
        raise NotLiteralError(ast.unparse(expr))

    def _call(self, call: ast.Call, seen: frozenset[str]) -> Any:
        if isinstance(call.func, ast.Attribute) and call.func.attr in _STEP_METHODS:
            made = self.evaluate(call.func.value, seen)
            if isinstance(made, Step):
                return _step_method(made, call.func.attr, *self.arguments(call, seen))
        dotted = self.dotted(call.func) or ""
        name = dotted.rpartition(".")[2]
        if not dotted.startswith(_HAMILTON) or name not in _MARKERS:
            raise NotLiteralError(ast.unparse(call))
        args = self.arguments(call, seen)
        positional, keywords = args
        if name == "value" and len(positional) == 1:
            return Value(positional[0])
        if name == "source" and len(positional) == 1 and isinstance(positional[0], str):
            return Source(positional[0])
        if name == "configuration" and len(positional) == 1:
            return ConfigSource(positional[0])
        if name == "group":
            if positional and not keywords:
                return Group(tuple(positional))
            if keywords and not positional:
                return Group(dict(keywords))
        if name == "step" and positional and isinstance(positional[0], Reference):
            return Step(positional[0], tuple(positional[1:]), keywords)
        if name == "ParameterizedExtract":
            outputs = keywords.get("outputs", positional[0] if positional else None)
            mapping = keywords.get("input_mapping", positional[1] if len(positional) > 1 else None)
            if isinstance(outputs, tuple | list) and isinstance(mapping, dict):
                return Extract(tuple(outputs), mapping)
        raise NotLiteralError(ast.unparse(call))

    def arguments(
        self, call: ast.Call, seen: frozenset[str] = frozenset()
    ) -> tuple[list[Any], dict[str, Any]]:
        """A call's positional and keyword arguments, each evaluated (`*xs` and `**kw` too)."""
        positional: list[Any] = []
        for arg in call.args:
            if isinstance(arg, ast.Starred):
                positional.extend(self.evaluate(arg.value, seen))
            else:
                positional.append(self.evaluate(arg, seen))
        keywords: dict[str, Any] = {}
        for keyword in call.keywords:
            if keyword.arg is None:
                expanded = self.evaluate(keyword.value, seen)
                if not isinstance(expanded, dict):
                    raise NotLiteralError(ast.unparse(keyword.value))
                keywords.update(expanded)
            else:
                keywords[keyword.arg] = self.evaluate(keyword.value, seen)
        return positional, keywords


def _step_method(step: Step, method: str, args: list[Any], kwargs: dict[str, Any]) -> Step:
    from dataclasses import replace

    if method == "named":
        name = kwargs.get("name", args[0] if args else None)
        namespace = kwargs.get("namespace", args[1] if len(args) > 1 else Ellipsis)
        return replace(
            step, name=name, namespace=step.namespace if namespace is Ellipsis else namespace
        )
    if method == "namespaced":
        return replace(step, namespace=kwargs.get("namespace", args[0] if args else None))
    return replace(step, conditions=(*step.conditions, (method, kwargs)))
