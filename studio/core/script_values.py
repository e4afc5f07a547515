"""The values a driver script gives its driver, read from source: config, inputs, module lists.

What is literal is taken as it is, following names to their assignment and
the changes made to them since (`cfg.update(...)`, `cfg["k"] = v`,
`{**base, ...}`, `dict(base, k=v)`, `mods.append(m)`,
`[importlib.import_module(m) for m in names]`). What is not literal (a call,
an argument of the enclosing function) is kept as "set at run time" with its
line and text, never guessed and never silently dropped.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from studio.core.module_reader import qualified_name
from studio.core.script_scopes import (
    Binding,
    Change,
    Parameter,
    ScriptScopes,
    calls_in,
    returned_values,
)

_MAX_DEPTH = 12
_IMPORT_FUNCTIONS = frozenset({"importlib.import_module", "importlib.__import__"})


class NotLiteralError(Exception):
    """An expression whose value is only known when the script runs."""


@dataclass(frozen=True, slots=True)
class RunTime:
    """A value the script computes when it runs: where, and the expression."""

    line: int
    text: str


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


@dataclass(frozen=True, slots=True)
class ModuleChoice:
    """`modules[stage]` over a literal dict: which modules depends on a run-time key."""

    text: str
    options: dict[str, tuple[str, ...]]


ModuleItem = str | ModuleChoice


@dataclass(slots=True)
class ModulesReading:
    items: list[ModuleItem] = field(default_factory=list)
    unknown: list[RunTime] = field(default_factory=list)


def short(expr: ast.AST, limit: int = 60) -> str:
    text = ast.unparse(expr)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def run_time(expr: ast.AST) -> RunTime:
    return RunTime(getattr(expr, "lineno", 0), short(expr))


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

    # -- module lists -------------------------------------------------------------

    def read_modules(self, exprs: list[ast.expr]) -> ModulesReading:
        reading = ModulesReading()
        for expr in exprs:
            self._modules(expr, reading, 0)
        return reading

    def _modules(self, expr: ast.expr, reading: ModulesReading, depth: int) -> None:
        if depth > _MAX_DEPTH:
            reading.unknown.append(run_time(expr))
            return
        if isinstance(expr, ast.Starred):
            self._modules(expr.value, reading, depth + 1)
        elif isinstance(expr, ast.List | ast.Tuple | ast.Set):
            for element in expr.elts:
                self._modules(element, reading, depth + 1)
        elif self._is_own_module(expr):
            reading.items.append(self.self_module)
        elif isinstance(expr, ast.Call):
            self._modules_of_call(expr, reading, depth)
        elif isinstance(expr, ast.ListComp | ast.GeneratorExp):
            names = self._imported_by_comprehension(expr)
            if names is None:
                reading.unknown.append(run_time(expr))
            else:
                reading.items.extend(names)
        elif isinstance(expr, ast.Subscript):
            self._modules_of_subscript(expr, reading, depth)
        elif isinstance(expr, ast.Name | ast.Attribute):
            self._modules_of_name(expr, reading, depth)
        else:
            reading.unknown.append(run_time(expr))

    def _modules_of_call(self, call: ast.Call, reading: ModulesReading, depth: int) -> None:
        name = qualified_name(call.func, self.bindings)
        plain = call.func.id if isinstance(call.func, ast.Name) else None
        if (name in _IMPORT_FUNCTIONS or plain == "__import__") and call.args:
            try:
                reading.items.append(str(self.literal(call.args[0], depth + 1)))
            except NotLiteralError:
                reading.unknown.append(run_time(call))
        elif plain in {"list", "tuple"} and len(call.args) == 1:
            self._modules(call.args[0], reading, depth + 1)
        elif plain is not None and self._modules_returned_by(plain, call, reading, depth):
            pass
        elif plain == "map" and len(call.args) == 2 and self._is_import_function(call.args[0]):
            names = self.strings(call.args[1])
            if names is None:
                reading.unknown.append(run_time(call))
            else:
                reading.items.extend(names)
        else:
            reading.unknown.append(run_time(call))

    def _modules_returned_by(
        self, function_name: str, call: ast.Call, reading: ModulesReading, depth: int
    ) -> bool:
        """`get_loader(name)`, a function of the script returning one of several modules."""
        function = self.scopes.function_named(function_name)
        returns = returned_values(function) if function is not None else None
        if returns is None:
            return False
        options: dict[str, tuple[str, ...]] = {}
        for value in returns:
            inner = ModulesReading()
            self._modules(value, inner, depth + 1)
            if (
                inner.unknown
                or not inner.items
                or any(isinstance(i, ModuleChoice) for i in inner.items)
            ):
                return False
            modules = tuple(str(i) for i in inner.items)
            options[" ".join(m.rsplit(".", 1)[-1] for m in modules)] = modules
        if len(options) == 1:
            reading.items.extend(next(iter(options.values())))
        else:
            reading.items.append(ModuleChoice(short(call), options))
        return True

    def _is_import_function(self, expr: ast.expr) -> bool:
        return qualified_name(expr, self.bindings) in _IMPORT_FUNCTIONS

    def _imported_by_comprehension(self, expr: ast.ListComp | ast.GeneratorExp) -> list[str] | None:
        if len(expr.generators) != 1 or expr.generators[0].ifs:
            return None
        generator = expr.generators[0]
        element = expr.elt
        if not (
            isinstance(generator.target, ast.Name)
            and isinstance(element, ast.Call)
            and (self._is_import_function(element.func) or _is_plain(element.func, "__import__"))
            and len(element.args) >= 1
        ):
            return None
        argument = element.args[0]
        names = self.strings(generator.iter)
        if names is None:
            return None
        if isinstance(argument, ast.Name) and argument.id == generator.target.id:
            return names
        if isinstance(argument, ast.JoinedStr):  # f"pkg.{m}"
            return [_fill(argument, generator.target.id, n) for n in names]
        return None

    def _modules_of_subscript(
        self, expr: ast.Subscript, reading: ModulesReading, depth: int
    ) -> None:
        table = self._module_table(expr.value, depth)
        if table is None:
            reading.unknown.append(run_time(expr))
            return
        try:
            key = str(self.literal(expr.slice, depth + 1))
        except NotLiteralError:
            reading.items.append(ModuleChoice(short(expr), table))
            return
        if key in table:
            reading.items.extend(table[key])
        else:
            reading.unknown.append(run_time(expr))

    def _module_table(self, expr: ast.expr, depth: int) -> dict[str, tuple[str, ...]] | None:
        """`{"train": [a, b], "serve": [a, c]}`: module lists by key."""
        if isinstance(expr, ast.Name):
            found, _ = self.scopes.lookup(expr.id, expr)
            if isinstance(found, Binding):
                return self._module_table(found.value, depth + 1)
            return None
        if not isinstance(expr, ast.Dict) or depth > _MAX_DEPTH:
            return None
        table: dict[str, tuple[str, ...]] = {}
        for key, value in zip(expr.keys, expr.values, strict=True):
            if key is None:
                return None
            try:
                label = str(self.literal(key, depth + 1))
            except NotLiteralError:
                return None
            inner = ModulesReading()
            self._modules(value, inner, depth + 1)
            if inner.unknown or any(isinstance(i, ModuleChoice) for i in inner.items):
                return None
            table[label] = tuple(str(i) for i in inner.items)
        return table

    def _modules_of_name(
        self, expr: ast.Name | ast.Attribute, reading: ModulesReading, depth: int
    ) -> None:
        name = qualified_name(expr, self.bindings)
        if name is not None:
            reading.items.append(name)
            return
        if isinstance(expr, ast.Name):
            found, changes = self.scopes.lookup(expr.id, expr)
            if isinstance(found, Binding):
                self._modules(found.value, reading, depth + 1)
                for change in changes:
                    self._apply_list_change(reading, expr.id, change, depth)
                return
            if isinstance(found, Parameter):
                reading.unknown.append(
                    RunTime(expr.lineno, f"{expr.id} (an argument of {found.function}())")
                )
                return
        reading.unknown.append(run_time(expr))

    def _apply_list_change(
        self, reading: ModulesReading, name: str, change: Change, depth: int
    ) -> None:
        statement = change.statement
        if isinstance(statement, ast.AugAssign) and isinstance(statement.op, ast.Add):
            self._modules(statement.value, reading, depth + 1)
        elif isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
            call = statement.value
            method = call.func.attr if isinstance(call.func, ast.Attribute) else ""
            if method in ("append", "extend") and len(call.args) == 1:
                self._modules(call.args[0], reading, depth + 1)
            elif method == "insert" and len(call.args) == 2:
                inner = ModulesReading()
                self._modules(call.args[1], inner, depth + 1)
                reading.items[0:0] = inner.items
                reading.unknown.extend(inner.unknown)
            elif method == "remove" and len(call.args) == 1:
                inner = ModulesReading()
                self._modules(call.args[0], inner, depth + 1)
                reading.items = [i for i in reading.items if i not in inner.items]

    def _is_own_module(self, expr: ast.expr) -> bool:
        """`__main__` or `sys.modules[__name__]`: the script passes itself."""
        if isinstance(expr, ast.Name) and self.bindings.get(expr.id) == "__main__":
            return True
        return (
            isinstance(expr, ast.Subscript)
            and qualified_name(expr.value, self.bindings) == "sys.modules"
            and isinstance(expr.slice, ast.Name)
            and expr.slice.id == "__name__"
        )


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


def _fill(template: ast.JoinedStr, variable: str, value: str) -> str:
    parts = []
    for piece in template.values:
        if isinstance(piece, ast.Constant):
            parts.append(str(piece.value))
        elif isinstance(piece, ast.FormattedValue) and _is_plain(piece.value, variable):
            parts.append(value)
        else:
            parts.append("?")
    return "".join(parts)
