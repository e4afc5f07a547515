"""Reading a Hamilton driver script (`run.py`) without running it.

Driver scripts name their dataflow modules and often their configuration
and inputs as literals. Importing a driver script would run it, so this
module reads its syntax tree instead: `Builder().with_modules(...)`,
`.with_config({...})`, `.allow_module_overrides()`,
`.enable_dynamic_execution(...)`, `driver.Driver(config, *modules)` and
`dr.execute(..., inputs={...})`. A name bound to a literal elsewhere in the
script (`config = {...}`, `modules = [a, b]`) is followed; anything that
is computed at run time is reported as a note instead of guessed.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from studio.core.module_reader import DRIVER_CLASSES, ModuleFacts, qualified_name

BUILDER_METHODS = frozenset(
    {
        "with_modules",
        "with_config",
        "allow_module_overrides",
        "enable_dynamic_execution",
        "with_adapters",
        "with_adapter",
        "with_cache",
        "with_materializers",
        "with_local_executor",
        "with_remote_executor",
        "with_execution_manager",
        "with_grouping_strategy",
        "copy",
    }
)
RUN_METHODS = frozenset(
    {"execute", "raw_execute", "materialize", "validate_execution", "validate_materialization"}
)
_MAX_DEPTH = 8


class _NotLiteralError(Exception):
    """An expression whose value is only known when the script runs."""


@dataclass(slots=True)
class DriverFacts:
    modules: list[str] = field(default_factory=list)
    config: dict[str, Any] = field(default_factory=dict)
    inputs: dict[str, Any] = field(default_factory=dict)
    allow_module_overrides: bool = False
    dynamic_execution: bool = False
    notes: list[str] = field(default_factory=list)


class _Reader:
    def __init__(self, facts: ModuleFacts, self_module: str) -> None:
        self.facts = facts
        self.self_module = self_module
        self.result = DriverFacts()
        self.assignments: dict[str, list[ast.expr]] = {}
        for node in ast.walk(facts.tree):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        self.assignments.setdefault(target.id, []).append(node.value)
            elif (
                isinstance(node, ast.AnnAssign)
                and node.value is not None
                and isinstance(node.target, ast.Name)
            ):
                self.assignments.setdefault(node.target.id, []).append(node.value)

    # -- what the script builds -------------------------------------------------

    def read(self) -> DriverFacts:
        for node in ast.walk(self.facts.tree):
            if not isinstance(node, ast.Call):
                continue
            name = qualified_name(node.func, self.facts.bindings)
            if name in DRIVER_CLASSES and name.endswith("Driver"):
                self._read_driver_constructor(node)
            elif isinstance(node.func, ast.Attribute):
                method = node.func.attr
                if method in BUILDER_METHODS and self._is_builder(node.func.value, 0):
                    self._read_builder_call(method, node)
                elif method in RUN_METHODS:
                    self._read_inputs(node)
        return self.result

    def _is_builder(self, expr: ast.expr, depth: int) -> bool:
        if depth > _MAX_DEPTH:
            return False
        if isinstance(expr, ast.Call):
            name = qualified_name(expr.func, self.facts.bindings)
            if name in DRIVER_CLASSES and name.endswith("Builder"):
                return True
            if isinstance(expr.func, ast.Attribute) and expr.func.attr in BUILDER_METHODS:
                return self._is_builder(expr.func.value, depth + 1)
        if isinstance(expr, ast.Name):
            return any(self._is_builder(v, depth + 1) for v in self.assignments.get(expr.id, []))
        return False

    def _read_builder_call(self, method: str, call: ast.Call) -> None:
        if method == "with_modules":
            for arg in call.args:
                self._add_modules(arg)
        elif method == "with_config" and call.args:
            self._merge_dict(call.args[0], self.result.config, "config")
        elif method == "allow_module_overrides":
            self.result.allow_module_overrides = True
        elif method == "enable_dynamic_execution":
            self.result.dynamic_execution = True

    def _read_driver_constructor(self, call: ast.Call) -> None:
        if call.args:
            self._merge_dict(call.args[0], self.result.config, "config")
        for arg in call.args[1:]:
            self._add_modules(arg)
        for keyword in call.keywords:
            if keyword.arg == "allow_module_overrides":
                try:
                    self.result.allow_module_overrides = bool(self._literal(keyword.value, 0))
                except _NotLiteralError:
                    self.result.notes.append("allow_module_overrides is not a literal")

    def _read_inputs(self, call: ast.Call) -> None:
        for keyword in call.keywords:
            if keyword.arg == "inputs":
                self._merge_dict(keyword.value, self.result.inputs, "inputs")

    # -- modules ------------------------------------------------------------------

    def _add_modules(self, expr: ast.expr, depth: int = 0) -> None:
        for module in self._modules_of(expr, depth):
            if module not in self.result.modules:
                self.result.modules.append(module)

    def _modules_of(self, expr: ast.expr, depth: int) -> list[str]:
        if depth > _MAX_DEPTH:
            return []
        if isinstance(expr, ast.Starred):
            return self._modules_of(expr.value, depth + 1)
        if isinstance(expr, ast.List | ast.Tuple | ast.Set):
            return [m for element in expr.elts for m in self._modules_of(element, depth + 1)]
        if self._is_own_module(expr):
            return [self.self_module]
        if isinstance(expr, ast.Call) and self._is_import_module_call(expr):
            try:
                return [str(self._literal(expr.args[0], depth + 1))]
            except (_NotLiteralError, IndexError):
                pass
        if isinstance(expr, ast.Name | ast.Attribute):
            name = qualified_name(expr, self.facts.bindings)
            if name is not None:
                return [name]
            if isinstance(expr, ast.Name) and expr.id in self.assignments:
                return self._modules_of(self.assignments[expr.id][-1], depth + 1)
        self.result.notes.append(
            f"line {getattr(expr, 'lineno', '?')}: cannot tell which module "
            f"`{ast.unparse(expr)}` is without running the script"
        )
        return []

    def _is_own_module(self, expr: ast.expr) -> bool:
        """`__main__` or `sys.modules[__name__]`: the script passes itself."""
        if isinstance(expr, ast.Name) and self.facts.bindings.get(expr.id) == "__main__":
            return True
        return (
            isinstance(expr, ast.Subscript)
            and qualified_name(expr.value, self.facts.bindings) == "sys.modules"
            and isinstance(expr.slice, ast.Name)
            and expr.slice.id == "__name__"
        )

    def _is_import_module_call(self, call: ast.Call) -> bool:
        return qualified_name(call.func, self.facts.bindings) in {
            "importlib.import_module",
            "importlib.__import__",
        }

    # -- literals -----------------------------------------------------------------

    def _merge_dict(self, expr: ast.expr, into: dict[str, Any], what: str) -> None:
        try:
            items = self._dict_items(expr, 0)
        except _NotLiteralError:
            self.result.notes.append(
                f"line {expr.lineno}: {what} `{_short(expr)}` is computed when the script "
                "runs; set its values in the studio"
            )
            return
        for key, value_expr in items:
            try:
                into[key] = self._literal(value_expr, 0)
            except _NotLiteralError:
                self.result.notes.append(
                    f"line {value_expr.lineno}: {what} value {key!r} = `{_short(value_expr)}` "
                    "is computed when the script runs; set it in the studio"
                )

    def _dict_items(self, expr: ast.expr, depth: int) -> list[tuple[str, ast.expr]]:
        if depth > _MAX_DEPTH:
            raise _NotLiteralError
        if isinstance(expr, ast.Dict):
            items = []
            for key, value in zip(expr.keys, expr.values, strict=True):
                if key is None:  # {**other}
                    items.extend(self._dict_items(value, depth + 1))
                    continue
                key_value = self._literal(key, depth + 1)
                items.append((str(key_value), value))
            return items
        if (
            isinstance(expr, ast.Call)
            and isinstance(expr.func, ast.Name)
            and expr.func.id == "dict"
            and not expr.args
        ):
            return [(k.arg, k.value) for k in expr.keywords if k.arg is not None]
        if isinstance(expr, ast.Name) and expr.id in self.assignments:
            for candidate in self.assignments[expr.id]:
                try:
                    return self._dict_items(candidate, depth + 1)
                except _NotLiteralError:
                    continue
        raise _NotLiteralError

    def _literal(self, expr: ast.expr, depth: int) -> Any:
        if depth > _MAX_DEPTH:
            raise _NotLiteralError
        if isinstance(expr, ast.Name) and expr.id in self.assignments:
            return self._literal(self.assignments[expr.id][0], depth + 1)
        if isinstance(expr, ast.Dict):
            return {k: self._literal(v, depth + 1) for k, v in self._dict_items(expr, depth + 1)}
        try:
            return ast.literal_eval(expr)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            raise _NotLiteralError from None


def _short(expr: ast.expr, limit: int = 60) -> str:
    text = ast.unparse(expr)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def read_driver_script(facts: ModuleFacts, self_module: str) -> DriverFacts:
    """What a driver script builds, read from its syntax tree."""
    return _Reader(facts, self_module).read()
