"""Which modules a driver script passes its driver, read from source.

Module lists come as names the script imports, `importlib.import_module`
over literal names (also in comprehensions and `map`), lists built with
`append` and `extend`, Hamilton's `dataflows.import_module` (the copied
package of that name), `__main__` (the script itself), a literal dict of
lists picked by a key known only at run time, or a function of the
script returning one module or another: those last two are choices, one
dataflow each.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from studio.core.discovery.module_reader import qualified_name
from studio.core.drivers.script_scopes import Binding, Change, Parameter, returned_values
from studio.core.drivers.script_values import (
    NotLiteralError,
    RunTime,
    ScriptValues,
    run_time,
    short,
)

_MAX_DEPTH = 12
_IMPORT_FUNCTIONS = frozenset(
    {
        "importlib.import_module",
        "importlib.__import__",
        # A contributed dataflow by name: the package of that name the project holds
        # (Hamilton's `dataflows.copy` writes it there), never a download.
        "hamilton.dataflows.import_module",
    }
)


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
    downloads: list[tuple[int, str, str | None, str | None]] = field(default_factory=list)
    """`dataflows.import_module` calls (line, module, user, version): Hamilton downloads
    those when the script runs; discovery finds a copy (`studio.core.discovery.
    module_files`)."""


class ModuleLists:
    """Reads module lists with the literal values of a script (`ScriptValues`)."""

    def __init__(self, values: ScriptValues) -> None:
        self.values = values

    def read(self, exprs: list[ast.expr]) -> ModulesReading:
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
            reading.items.append(self.values.self_module)
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
        name = qualified_name(call.func, self.values.bindings)
        plain = call.func.id if isinstance(call.func, ast.Name) else None
        if (name in _IMPORT_FUNCTIONS or plain == "__import__") and call.args:
            try:
                reading.items.append(str(self.values.literal(call.args[0], depth + 1)))
                if name == "hamilton.dataflows.import_module":
                    user, version = self._download_arguments(call, depth)
                    reading.downloads.append((call.lineno, str(reading.items[-1]), user, version))
            except NotLiteralError:
                reading.unknown.append(run_time(call))
        elif plain in {"list", "tuple"} and len(call.args) == 1:
            self._modules(call.args[0], reading, depth + 1)
        elif plain is not None and self._modules_returned_by(plain, call, reading, depth):
            pass
        elif plain == "map" and len(call.args) == 2 and self._is_import_function(call.args[0]):
            names = self.values.strings(call.args[1])
            if names is None:
                reading.unknown.append(run_time(call))
            else:
                reading.items.extend(names)
        else:
            reading.unknown.append(run_time(call))

    def _download_arguments(self, call: ast.Call, depth: int) -> tuple[str | None, str | None]:
        """`user` and `version` of `dataflows.import_module(name, user, version)`, when
        literal (else None: the official dataflow, the latest version)."""
        given = dict(zip(("user", "version"), call.args[1:3], strict=False))
        given.update({k.arg: k.value for k in call.keywords if k.arg in ("user", "version")})
        found: list[str | None] = []
        for key in ("user", "version"):
            try:
                value = self.values.literal(given[key], depth + 1) if key in given else None
            except NotLiteralError:
                value = None
            found.append(value if isinstance(value, str) else None)
        return found[0], found[1]

    def _modules_returned_by(
        self, function_name: str, call: ast.Call, reading: ModulesReading, depth: int
    ) -> bool:
        """`get_loader(name)`, a function of the script returning one of several modules."""
        function = self.values.scopes.function_named(function_name)
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
        return qualified_name(expr, self.values.bindings) in _IMPORT_FUNCTIONS

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
        names = self.values.strings(generator.iter)
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
            key = str(self.values.literal(expr.slice, depth + 1))
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
            found, _ = self.values.scopes.lookup(expr.id, expr)
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
                label = str(self.values.literal(key, depth + 1))
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
        name = qualified_name(expr, self.values.bindings)
        if name is not None:
            reading.items.append(name)
            return
        if isinstance(expr, ast.Name):
            found, changes = self.values.scopes.lookup(expr.id, expr)
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
        if isinstance(expr, ast.Name) and self.values.bindings.get(expr.id) == "__main__":
            return True
        return (
            isinstance(expr, ast.Subscript)
            and qualified_name(expr.value, self.values.bindings) == "sys.modules"
            and isinstance(expr.slice, ast.Name)
            and expr.slice.id == "__name__"
        )


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
