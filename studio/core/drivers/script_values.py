"""The values a driver script gives its driver, read from source: config and inputs.

What is literal is taken as it is, following names to their assignment and
the changes made to them since (`cfg.update(...)`, `cfg["k"] = v`,
`{**base, ...}`, `dict(base, k=v)`); a command-line default (argparse, click)
is the value as meant, with a note that the command line may change it.
What is not literal (a call, an argument of the enclosing function) is
kept as "set at run time" with its line and text, never guessed and never
silently dropped. Module lists are read by `studio.core.drivers.script_modules`.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from studio.core.discovery.module_reader import qualified_name
from studio.core.drivers.script_scopes import (
    Binding,
    Change,
    Parameter,
    ScriptScopes,
    calls_in,
    returned_values,
)

_MAX_DEPTH = 12


class NotLiteralError(Exception):
    """An expression whose value is only known when the script runs."""


@dataclass(frozen=True, slots=True)
class RunTime:
    """A value the script computes when it runs: where, and the expression."""

    line: int
    text: str
    span: tuple[int, int, int, int] | None = None
    """Where the expression is (line, column, end line, end column), to evaluate it."""


@dataclass(frozen=True, slots=True)
class Defaulted:
    """A value the script's command line sets, with the default it has when not given."""

    value: Any
    where: RunTime


@dataclass(slots=True)
class DictReading:
    """A dict as far as the source tells: literal values, and keys set at run time."""

    values: dict[str, Any] = field(default_factory=dict)
    run_time: dict[str, RunTime] = field(default_factory=dict)
    maybe: dict[str, RunTime] = field(default_factory=dict)
    """Keys that have a literal value here but that a branch may change when the script runs."""
    unknown_changes: list[RunTime] = field(default_factory=list)
    """Changes whose keys are only known when the script runs (`cfg.update(load())`)."""
    choices: list[ConfigChoice] = field(default_factory=list)
    """Dicts a function of the script returns, one of which is merged in at run time."""

    def set(self, key: str, value: Any | RunTime | Defaulted) -> None:
        self.values.pop(key, None)
        self.run_time.pop(key, None)
        self.maybe.pop(key, None)
        if isinstance(value, RunTime):
            self.run_time[key] = value
        elif isinstance(value, Defaulted):
            self.values[key] = value.value
            self.maybe[key] = value.where
        else:
            self.values[key] = value

    def merge(self, other: DictReading, conditional: bool = False) -> None:
        """Take `other`'s keys; when `conditional` (set in a branch), known values stay."""
        for key, value in [*other.values.items(), *other.run_time.items()]:
            if conditional and key in self.values:
                if value != self.values[key]:
                    self.maybe[key] = (
                        value if isinstance(value, RunTime) else RunTime(0, repr(value))
                    )
            else:
                self.set(key, value)
        self.maybe.update(other.maybe)
        self.unknown_changes.extend(other.unknown_changes)
        self.choices.extend(other.choices)

    def remove(self, key: str) -> None:
        self.values.pop(key, None)
        self.run_time.pop(key, None)
        self.maybe.pop(key, None)


@dataclass(frozen=True, slots=True)
class ConfigChoice:
    """`cfg.update(model_config(kind))`, the function returning one of several literal dicts."""

    text: str
    options: list[tuple[str, DictReading]]


def short(expr: ast.AST, limit: int = 60) -> str:
    text = ast.unparse(expr)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def run_time(expr: ast.AST) -> RunTime:
    return RunTime(getattr(expr, "lineno", 0), short(expr), span_of(expr))


def span_of(expr: ast.AST) -> tuple[int, int, int, int] | None:
    """Where an expression sits in its script, to find it again in a fresh parse."""
    end_line, end_column = getattr(expr, "end_lineno", None), getattr(expr, "end_col_offset", None)
    if end_line is None or end_column is None:
        return None
    return (expr.lineno, expr.col_offset, end_line, end_column)  # type: ignore[attr-defined]


class ScriptValues:
    """Evaluates literal parts of a script's expressions, at the place they are used."""

    def __init__(self, scopes: ScriptScopes, bindings: dict[str, str], self_module: str) -> None:
        self.scopes = scopes
        self.bindings = bindings
        self.self_module = self_module

    # -- dicts ------------------------------------------------------------------

    def read_dict(self, expr: ast.expr) -> DictReading:
        """The dict `expr` stands for; raises NotLiteralError if its keys cannot be known."""
        return self._dict(expr, 0)

    def _dict(self, expr: ast.expr, depth: int) -> DictReading:
        if depth > _MAX_DEPTH:
            raise NotLiteralError
        reading = DictReading()
        if isinstance(expr, ast.Dict):
            for key, value in zip(expr.keys, expr.values, strict=True):
                if key is None:
                    reading.merge(self._dict(value, depth + 1))
                else:
                    reading.set(str(self.literal(key, depth + 1)), self._slot(value, depth))
            return reading
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.BitOr):
            reading.merge(self._dict(expr.left, depth + 1))
            reading.merge(self._dict(expr.right, depth + 1))
            return reading
        if isinstance(expr, ast.Call):
            return self._dict_call(expr, depth)
        if isinstance(expr, ast.Name):
            found, changes = self.scopes.lookup(expr.id, expr)
            if isinstance(found, Binding):
                reading = self._dict(found.value, depth + 1)
                for change in changes:
                    self._apply_dict_change(reading, expr.id, change, expr, depth)
                return reading
        raise NotLiteralError

    def _dict_call(self, call: ast.Call, depth: int) -> DictReading:
        name = qualified_name(call.func, self.bindings) or (
            call.func.id if isinstance(call.func, ast.Name) else None
        )
        reading = DictReading()
        if name == "dict" or name in {"copy.copy", "copy.deepcopy"}:
            if len(call.args) > 1:
                raise NotLiteralError
            if call.args:
                reading.merge(self._dict(call.args[0], depth + 1))
            if name == "dict":
                self._merge_keywords(reading, call.keywords, depth)
            return reading
        if isinstance(call.func, ast.Attribute) and call.func.attr == "copy" and not call.args:
            return self._dict(call.func.value, depth + 1)
        if isinstance(call.func, ast.Name):
            return self._dicts_returned_by(call, depth)
        raise NotLiteralError

    def _dicts_returned_by(self, call: ast.Call, depth: int) -> DictReading:
        """A function of the script that returns one of several literal dicts."""
        assert isinstance(call.func, ast.Name)
        function = self.scopes.function_named(call.func.id)
        returns = returned_values(function) if function is not None else None
        if not returns:
            raise NotLiteralError
        readings = [self._dict(value, depth + 1) for value in returns]
        if len(readings) == 1:
            return readings[0]
        keys = sorted({k for r in readings for k in r.values})
        differing = [k for k in keys if len({repr(r.values.get(k)) for r in readings}) > 1]
        options = []
        for number, reading in enumerate(readings, 1):
            parts = [f"{k}={reading.values[k]}" for k in differing if k in reading.values]
            options.append((parts[0] if parts else str(number), reading))
        return DictReading(choices=[ConfigChoice(short(call), options)])

    def _merge_keywords(
        self, reading: DictReading, keywords: list[ast.keyword], depth: int
    ) -> None:
        for keyword in keywords:
            if keyword.arg is None:
                reading.merge(self._dict(keyword.value, depth + 1))
            else:
                reading.set(keyword.arg, self._slot(keyword.value, depth))

    def _apply_dict_change(
        self, reading: DictReading, name: str, change: Change, use: ast.AST, depth: int
    ) -> None:
        statement = change.statement
        conditional = self.scopes.is_conditional(statement, use)
        delta = DictReading()
        removed: list[str] = []
        if isinstance(statement, ast.Assign):
            for target in statement.targets:
                if _subscript_of(target, name):
                    delta.set(self._key(target, depth), self._slot(statement.value, depth))
        elif isinstance(statement, ast.Delete):
            for target in statement.targets:
                if _subscript_of(target, name):
                    removed.append(self._key(target, depth))
        elif isinstance(statement, ast.AugAssign) and isinstance(statement.op, ast.BitOr):
            delta.merge(self._dict(statement.value, depth + 1))
        elif isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
            call = statement.value
            method = call.func.attr if isinstance(call.func, ast.Attribute) else ""
            if method == "update":
                for argument in call.args:
                    try:
                        delta.merge(self._dict(argument, depth + 1))
                    except NotLiteralError:
                        reading.unknown_changes.append(run_time(statement.value))
                self._merge_keywords(delta, call.keywords, depth)
            elif method == "setdefault" and call.args:
                key = str(self.literal(call.args[0], depth + 1))
                if key not in reading.values and key not in reading.run_time:
                    default = call.args[1] if len(call.args) > 1 else ast.Constant(None)
                    delta.set(key, self._slot(default, depth))
            elif method == "pop" and call.args:
                removed.append(str(self.literal(call.args[0], depth + 1)))
            elif method == "clear":
                removed.extend([*reading.values, *reading.run_time])
        reading.merge(delta, conditional)
        if not conditional:
            for key in removed:
                reading.remove(key)

    def _key(self, target: ast.Subscript, depth: int) -> str:
        return str(self.literal(target.slice, depth + 1))

    def _slot(self, expr: ast.expr, depth: int) -> Any | RunTime | Defaulted:
        try:
            return self.literal(expr, depth + 1)
        except NotLiteralError:
            return self.command_line_default(expr, depth) or run_time(expr)

    # -- the script's command line --------------------------------------------------

    def command_line_default(self, expr: ast.expr, depth: int = 0) -> Defaulted | None:
        """The default of an argument the script's command line sets: an `argparse` option
        read as `args.name`, a click option or a plain default of the enclosing function."""
        if depth > _MAX_DEPTH:
            return None
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
            return self._argparse_default(expr.attr, depth)
        if not isinstance(expr, ast.Name):
            return None
        found, _ = self.scopes.lookup(expr.id, expr)
        if isinstance(found, Binding):
            return self.command_line_default(found.value, depth + 1)
        if isinstance(found, Parameter):
            return self._parameter_default(found, expr.id, depth)
        return None

    def _argparse_default(self, dest: str, depth: int) -> Defaulted | None:
        for call in calls_in(self.scopes.tree):
            if not (isinstance(call.func, ast.Attribute) and call.func.attr == "add_argument"):
                continue
            if _destination(call) != dest:
                continue
            default = next((k.value for k in call.keywords if k.arg == "default"), None)
            if default is None:
                return None
            try:
                value = self.literal(default, depth + 1)
            except NotLiteralError:
                return None
            return Defaulted(value, RunTime(call.lineno, _flag(call) or dest))
        return None

    def _parameter_default(self, parameter: Parameter, name: str, depth: int) -> Defaulted | None:
        function = self.scopes.function_named(parameter.function)
        for decorator in function.decorator_list if function is not None else []:
            if not (
                isinstance(decorator, ast.Call)
                and isinstance(decorator.func, ast.Attribute)
                and decorator.func.attr == "option"
                and _destination(decorator) == name
            ):
                continue
            default = next((k.value for k in decorator.keywords if k.arg == "default"), None)
            if default is None:
                return None
            try:
                value = self.literal(default, depth + 1)
            except NotLiteralError:
                return None
            return Defaulted(value, RunTime(decorator.lineno, _flag(decorator) or name))
        if parameter.default is not None:
            try:
                value = self.literal(parameter.default, depth + 1)
            except NotLiteralError:
                return None
            line = parameter.default.lineno
            return Defaulted(value, RunTime(line, f"the {name} argument of {parameter.function}()"))
        return None

    # -- literals ---------------------------------------------------------------

    def literal(self, expr: ast.expr, depth: int = 0) -> Any:
        """The value of a literal expression (names followed); raises NotLiteralError otherwise."""
        if depth > _MAX_DEPTH:
            raise NotLiteralError
        if isinstance(expr, ast.Name):
            found, changes = self.scopes.lookup(expr.id, expr)
            if not isinstance(found, Binding):
                raise NotLiteralError
            if _is_dict_like(found.value):
                return self._complete_dict(expr, depth)
            if changes:
                try:
                    return self._complete_dict(expr, depth)
                except NotLiteralError:
                    pass
            return self.literal(found.value, depth + 1)
        if isinstance(expr, ast.Dict) or (isinstance(expr, ast.Call) and _is_dict_like(expr)):
            return self._complete_dict(expr, depth)
        if isinstance(expr, ast.List | ast.Tuple | ast.Set):
            items = [self.literal(element, depth + 1) for element in expr.elts]
            return tuple(items) if isinstance(expr, ast.Tuple) else items
        try:
            return ast.literal_eval(expr)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            raise NotLiteralError from None

    def _complete_dict(self, expr: ast.expr, depth: int) -> dict[str, Any]:
        reading = self._dict(expr, depth + 1)
        if reading.run_time:
            raise NotLiteralError
        return reading.values

    def strings(self, expr: ast.expr) -> list[str] | None:
        """A literal list of strings (requested outputs, module names), or None."""
        try:
            value = self.literal(expr)
        except NotLiteralError:
            return None
        if isinstance(value, str):
            return [value]
        if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
            return list(value)
        return None


def _destination(call: ast.Call) -> str | None:
    """The variable an `add_argument(...)` or `click.option(...)` fills."""
    explicit = next((k.value for k in call.keywords if k.arg == "dest"), None)
    if isinstance(explicit, ast.Constant) and isinstance(explicit.value, str):
        return explicit.value
    names = [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    plain = [n for n in names if not n.startswith("-")]
    if plain:
        return plain[0]
    long = [n for n in names if n.startswith("--")] or names
    return long[0].lstrip("-").replace("-", "_") if long else None


def _flag(call: ast.Call) -> str | None:
    names = [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    long = [n for n in names if n.startswith("--")]
    return long[0] if long else None


def _subscript_of(target: ast.expr, name: str) -> ast.Subscript | None:
    if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
        return target if target.value.id == name else None
    return None


def _is_dict_like(expr: ast.expr) -> bool:
    if isinstance(expr, ast.Dict):
        return True
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.BitOr):
        return _is_dict_like(expr.left) or _is_dict_like(expr.right)
    return isinstance(expr, ast.Call) and _is_plain(expr.func, "dict")


def _is_plain(func: ast.expr, name: str) -> bool:
    return isinstance(func, ast.Name) and func.id == name
