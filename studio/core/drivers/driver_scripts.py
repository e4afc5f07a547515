"""Reading a Hamilton driver script (`run.py`) without running it: one reading per driver.

Importing a driver script would run it, so this module reads its syntax
tree instead. Each driver the script constructs (`driver.Driver(config,
*modules, adapter=...)`, or a `Builder()` chain ending in `.build()`, sync or
async) is read on its own: its modules, its config (built in steps or not,
see `studio.core.drivers.script_values`), its adapters, the outputs and inputs of
the `execute` calls made on it, and where it sits (the enclosing function
or command, the variable, the `if` branch) so that several drivers in one
script get names a user recognises.
"""

from __future__ import annotations

import ast
import itertools
from dataclasses import dataclass, field, replace
from typing import Any

from studio.core.discovery.module_reader import (
    DRIVER_CLASSES,
    ModuleFacts,
    is_main_guard,
    qualified_name,
)
from studio.core.discovery.project import MaterializerSpec
from studio.core.drivers.driver_names import name_drivers
from studio.core.drivers.materializers import MaterializerReader, settle_outputs
from studio.core.drivers.run_calls import attach_run_calls, keyword_value
from studio.core.drivers.script_modules import ModuleChoice, ModuleLists
from studio.core.drivers.script_scopes import Binding, ScriptScopes, calls_in
from studio.core.drivers.script_values import (
    ConfigChoice,
    DictReading,
    NotLiteralError,
    RunTime,
    ScriptValues,
    run_time,
    short,
)

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


_MAX_DEPTH = 12


@dataclass(slots=True)
class DriverFacts:
    """One driver a script builds, as its author wrote it."""

    line: int
    modules: list[str] = field(default_factory=list)
    config: dict[str, Any] = field(default_factory=dict)
    run_time_config: dict[str, RunTime] = field(default_factory=dict)
    """Config keys whose value the script computes when it runs."""
    maybe_config: dict[str, RunTime] = field(default_factory=dict)
    """Config keys with a literal value that a branch may change when the script runs."""
    config_choices: list[ConfigChoice] = field(default_factory=list)
    """Config the script merges in from one of several literal dicts, chosen at run time."""
    inputs: dict[str, Any] = field(default_factory=dict)
    input_hints: dict[str, str] = field(default_factory=dict)
    """Inputs the script computes: the expression it uses."""
    outputs: list[str] = field(default_factory=list)
    """What the script's `execute` calls ask for."""
    materializers: list[MaterializerSpec] = field(default_factory=list)
    """`to.<format>(...)` given to `materialize` or `with_materializers`."""
    adapters: list[str] = field(default_factory=list)
    """Adapters and validators, by dotted class name when imported, else as written."""
    allow_module_overrides: bool = False
    dynamic_execution: bool = False
    is_async: bool = False
    notes: list[str] = field(default_factory=list)
    downloads: list[tuple[int, str, str | None, str | None]] = field(default_factory=list)
    """`dataflows.import_module` calls (line, module, user, version): discovery finds
    the copy each takes (`studio.core.discovery.module_files`)."""
    function: str | None = None
    variable: str | None = None
    condition: str | None = None
    choice: str | None = None
    """`key` when the modules come from a literal dict by a run-time key."""
    label: str | None = None
    """What tells this driver from the script's others (None when it is the only one)."""
    computed_inputs: list[int] = field(default_factory=list)
    """Lines of `execute` calls whose whole `inputs=` the script computes."""
    input_slots: dict[str, RunTime] = field(default_factory=dict)
    """Inputs the script computes, with where their expression sits."""
    whole_inputs: list[RunTime] = field(default_factory=list)
    """`inputs=` dicts the script computes as a whole."""
    whole_config: list[RunTime] = field(default_factory=list)
    """Config dicts the script computes as a whole."""

    def identity(self) -> tuple[Any, ...]:
        return (
            tuple(self.modules),
            repr(sorted(self.config.items(), key=lambda item: item[0])),
            tuple(sorted(self.run_time_config)),
            tuple(self.adapters),
            self.is_async,
            self.allow_module_overrides,
            self.dynamic_execution,
        )


class _Reader:
    def __init__(self, facts: ModuleFacts, self_module: str) -> None:
        self.facts = facts
        self.scopes = ScriptScopes(facts.syntax_tree())
        self.values = ScriptValues(self.scopes, facts.bindings, self_module)
        self.modules = ModuleLists(self.values)
        self.materializers = MaterializerReader(self.scopes, self.values, facts.bindings)

    def read(self) -> list[DriverFacts]:
        by_node: dict[ast.Call, list[DriverFacts]] = {}
        for node, reading in self._constructions():
            base = reading(node)
            self._place(base, node)
            by_node[node] = self._variants(base)
        attach_run_calls(
            self.facts.syntax_tree(),
            self.scopes,
            self.values,
            by_node,
            self.materializers.read_materialize,
        )
        drivers = [driver for variants in by_node.values() for driver in variants]
        for driver in drivers:
            settle_outputs(driver)
            if driver.computed_inputs:
                lines = ", ".join(str(n) for n in dict.fromkeys(driver.computed_inputs))
                driver.notes.append(
                    f"line {lines}: the inputs are computed when the script runs; "
                    "give them in the Inputs panel"
                )
        return drivers

    # -- finding the drivers ------------------------------------------------------

    def _constructions(self) -> list[tuple[ast.Call, Any]]:
        found: list[tuple[ast.Call, Any]] = []
        in_chains: set[ast.AST] = set()
        for call in calls_in(self.facts.syntax_tree()):
            name = qualified_name(call.func, self.facts.bindings)
            if name in DRIVER_CLASSES and name.endswith("Driver"):
                found.append((call, self._read_driver_constructor))
            elif (
                isinstance(call.func, ast.Attribute)
                and call.func.attr == "build"
                and self._chain(call.func.value, 0) is not None
            ):
                found.append((call, self._read_builder))
                in_chains.update(ast.walk(call))
        for call in calls_in(self.facts.syntax_tree()):
            name = qualified_name(call.func, self.facts.bindings)
            if name in DRIVER_CLASSES and name.endswith("Builder") and call not in in_chains:
                if self._used_by_a_build(call, found):
                    continue
                top = self._top_of_chain(call)
                in_chains.update(ast.walk(top))
                found.append((top, self._read_builder_without_build))
        found.sort(key=lambda item: (item[0].lineno, item[0].col_offset))
        return found

    def _used_by_a_build(self, root: ast.Call, found: list[tuple[ast.Call, Any]]) -> bool:
        """A `Builder()` bound to a name that a found `.build()` chain goes through."""
        for call, _ in found:
            if not (isinstance(call.func, ast.Attribute) and call.func.attr == "build"):
                continue
            chain = self._chain(call.func.value, 0)
            if chain is not None and chain[0] is root:
                return True
        return False

    def _top_of_chain(self, call: ast.Call) -> ast.Call:
        """The last builder method called on `call` in one expression."""
        current: ast.Call = call
        while True:
            parent = self.scopes.parents.get(current)
            grand = self.scopes.parents.get(parent) if parent is not None else None
            if (
                isinstance(parent, ast.Attribute)
                and parent.attr in BUILDER_METHODS
                and isinstance(grand, ast.Call)
                and grand.func is parent
            ):
                current = grand
                continue
            return current

    def _chain(self, expr: ast.expr, depth: int) -> tuple[ast.Call, list[ast.Call]] | None:
        """A builder expression as its `Builder()` root and the methods called on it, in order."""
        if depth > _MAX_DEPTH:
            return None
        if isinstance(expr, ast.Await):
            return self._chain(expr.value, depth + 1)
        if isinstance(expr, ast.Call):
            name = qualified_name(expr.func, self.facts.bindings)
            if name in DRIVER_CLASSES and name.endswith("Builder"):
                return expr, []
            if isinstance(expr.func, ast.Attribute) and expr.func.attr in BUILDER_METHODS:
                inner = self._chain(expr.func.value, depth + 1)
                if inner is not None:
                    return inner[0], [*inner[1], expr]
            return None
        if isinstance(expr, ast.Name):
            found, changes = self.scopes.lookup(expr.id, expr)
            if not isinstance(found, Binding):
                return None
            inner = self._chain(found.value, depth + 1)
            if inner is None:
                return None
            calls = list(inner[1])
            for change in changes:
                statement = change.statement
                if (
                    isinstance(statement, ast.Expr)
                    and isinstance(statement.value, ast.Call)
                    and isinstance(statement.value.func, ast.Attribute)
                    and statement.value.func.attr in BUILDER_METHODS
                ):
                    calls.append(statement.value)
            return inner[0], calls
        return None

    # -- reading one driver -------------------------------------------------------

    def _read_driver_constructor(self, call: ast.Call) -> DriverFacts:
        name = qualified_name(call.func, self.facts.bindings) or ""
        driver = DriverFacts(line=call.lineno, is_async="async_driver" in name)
        config = call.args[0] if call.args else keyword_value(call, "config")
        if config is not None:
            self._merge_config(driver, config)
        self._add_modules(driver, list(call.args[1:]))
        for keyword in call.keywords:
            if keyword.arg == "adapter":
                self._add_adapters(driver, [keyword.value])
            elif keyword.arg == "allow_module_overrides":
                try:
                    driver.allow_module_overrides = bool(self.values.literal(keyword.value))
                except NotLiteralError:
                    driver.notes.append(
                        f"line {keyword.value.lineno}: allow_module_overrides is not a literal"
                    )
        return driver

    def _read_builder(self, build: ast.Call) -> DriverFacts:
        assert isinstance(build.func, ast.Attribute)
        chain = self._chain(build.func.value, 0)
        assert chain is not None
        return self._read_chain(build, *chain)

    def _read_builder_without_build(self, top: ast.Call) -> DriverFacts:
        chain = self._chain(top, 0)
        assert chain is not None
        return self._read_chain(top, *chain)

    def _read_chain(self, at: ast.Call, root: ast.Call, calls: list[ast.Call]) -> DriverFacts:
        name = qualified_name(root.func, self.facts.bindings) or ""
        driver = DriverFacts(line=at.lineno, is_async="async_driver" in name)
        for call in calls:
            assert isinstance(call.func, ast.Attribute)
            method = call.func.attr
            if method == "with_modules":
                self._add_modules(driver, list(call.args))
            elif method == "with_config" and call.args:
                self._merge_config(driver, call.args[0])
            elif method == "allow_module_overrides":
                driver.allow_module_overrides = True
            elif method == "enable_dynamic_execution":
                driver.dynamic_execution = True
            elif method in ("with_adapters", "with_adapter"):
                self._add_adapters(driver, list(call.args))
            elif method == "with_materializers":
                self.materializers.add(driver, list(call.args))
        return driver

    def _merge_config(self, driver: DriverFacts, expr: ast.expr) -> None:
        try:
            reading = self.values.read_dict(expr)
        except NotLiteralError:
            driver.notes.append(
                f"line {expr.lineno}: the config `{short(expr)}` is computed when the script "
                "runs; set its values in the Config panel"
            )
            driver.whole_config.append(run_time(expr))
            return
        self._apply_config(driver, reading)
        driver.config_choices.extend(reading.choices)

    @staticmethod
    def _apply_config(driver: DriverFacts, reading: DictReading) -> None:
        for key, value in reading.values.items():
            driver.config[key] = value
            driver.run_time_config.pop(key, None)
        for key, slot in reading.run_time.items():
            driver.config.pop(key, None)
            driver.run_time_config[key] = slot
        driver.maybe_config.update(reading.maybe)
        for change in reading.unknown_changes:
            driver.notes.append(
                f"line {change.line}: `{change.text}` adds config values when the script runs; "
                "give them in the Config panel"
            )
        if reading.run_time:
            shown = ", ".join(
                f"{k!r} = `{v.text}` (line {v.line})" for k, v in reading.run_time.items()
            )
            driver.notes.append(
                f"config {shown} is set when the script runs; give it in the Config panel"
            )

    def _add_modules(self, driver: DriverFacts, exprs: list[ast.expr]) -> None:
        reading = self.modules.read(exprs)
        for item in reading.items:
            driver.modules.append(item)  # type: ignore[arg-type]  # choices are expanded later
        for unknown in reading.unknown:
            driver.notes.append(
                f"line {unknown.line}: cannot tell which module `{unknown.text}` is without "
                "running the script"
            )
        driver.downloads += reading.downloads

    def _add_adapters(self, driver: DriverFacts, exprs: list[ast.expr]) -> None:
        for expr in exprs:
            if isinstance(expr, ast.Starred):
                expr = expr.value
            if isinstance(expr, ast.List | ast.Tuple):
                self._add_adapters(driver, list(expr.elts))
                continue
            named = self._adapter_name(expr, 0)
            if named is not None and named not in driver.adapters:
                driver.adapters.append(named)

    def _adapter_name(self, expr: ast.expr, depth: int) -> str | None:
        if depth > _MAX_DEPTH:
            return None
        if isinstance(expr, ast.Call):
            return qualified_name(expr.func, self.facts.bindings) or short(expr.func)
        if isinstance(expr, ast.Name):
            found, _ = self.scopes.lookup(expr.id, expr)
            if isinstance(found, Binding):
                return self._adapter_name(found.value, depth + 1)
            return None if expr.id == "None" else expr.id
        if isinstance(expr, ast.Constant) and expr.value is None:
            return None
        return short(expr)

    # -- where it sits, and its variants -------------------------------------------

    def _place(self, driver: DriverFacts, node: ast.Call) -> None:
        scope = self.scopes.scope_of(node)
        if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
            driver.function = _command_name(scope)
        driver.variable = self.scopes.assigned_name(node)
        branch = self.scopes.enclosing_branch(node)
        if branch is not None and not is_main_guard(branch[0].test):
            driver.condition = short(branch[0].test, 40) if branch[1] else "else"

    def _variants(self, driver: DriverFacts) -> list[DriverFacts]:
        """One driver per choice the script makes at run time among literal alternatives:
        modules from a dict by key, or returned by a function; config returned by one."""
        listed: list[Any] = driver.modules  # choices among them until expanded here
        module_choices = [m for m in listed if isinstance(m, ModuleChoice)]
        axes: list[list[tuple[str, Any]]] = [list(c.options.items()) for c in module_choices]
        axes += [list(c.options) for c in driver.config_choices]
        if not axes:
            return [driver]
        notes = [
            f"line {driver.line}: `{c.text}` is chosen when the script runs; one dataflow per "
            f"choice ({', '.join(label for label, _ in c.options)})"
            for c in driver.config_choices
        ] + [
            f"line {driver.line}: modules `{c.text}` depend on a key known at run time; one "
            f"dataflow per key ({', '.join(c.options)})"
            for c in module_choices
        ]
        variants = []
        for picks in itertools.product(*axes):
            module_picks = dict(zip(map(id, module_choices), picks, strict=False))
            modules: list[str] = []
            for item in driver.modules:  # type: ignore[assignment]
                if isinstance(item, ModuleChoice):
                    modules.extend(module_picks[id(item)][1])
                else:
                    modules.append(item)
            variant = replace(
                driver,
                modules=list(dict.fromkeys(modules)),
                config=dict(driver.config),
                run_time_config=dict(driver.run_time_config),
                maybe_config=dict(driver.maybe_config),
                config_choices=[],
                inputs=dict(driver.inputs),
                input_hints=dict(driver.input_hints),
                input_slots=dict(driver.input_slots),
                whole_inputs=list(driver.whole_inputs),
                whole_config=list(driver.whole_config),
                outputs=list(driver.outputs),
                materializers=list(driver.materializers),
                adapters=list(driver.adapters),
                computed_inputs=list(driver.computed_inputs),
                notes=[*driver.notes, *notes],
                choice=" · ".join(label for label, _ in picks),
            )
            for _, reading in picks[len(module_choices) :]:
                self._apply_config(variant, reading)
            variants.append(variant)
        return variants


def _command_name(function: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    """The function's name, or the name a click/typer decorator gives the command."""
    for decorator in function.decorator_list:
        if isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute):
            if decorator.func.attr != "command":
                continue
            given = decorator.args[0] if decorator.args else keyword_value(decorator, "name")
            if isinstance(given, ast.Constant) and isinstance(given.value, str):
                return given.value
    return function.name


def read_driver_script(facts: ModuleFacts, self_module: str) -> list[DriverFacts]:
    """The drivers a script builds, read from its syntax tree; identical ones count once."""
    drivers = _Reader(facts, self_module).read()
    unique: dict[tuple[Any, ...], DriverFacts] = {}
    for driver in drivers:
        kept = unique.setdefault(driver.identity(), driver)
        if kept is not driver:
            kept.outputs.extend(o for o in driver.outputs if o not in kept.outputs)
            known = {m.id for m in kept.materializers}
            kept.materializers.extend(m for m in driver.materializers if m.id not in known)
            for key, value in driver.inputs.items():
                kept.inputs.setdefault(key, value)
            for key, hint in driver.input_hints.items():
                kept.input_hints.setdefault(key, hint)
            for key, slot in driver.input_slots.items():
                kept.input_slots.setdefault(key, slot)
            kept.whole_inputs.extend(s for s in driver.whole_inputs if s not in kept.whole_inputs)
    result = list(unique.values())
    if any(d.modules for d in result):
        # A generic wrapper (`Driver(self.config, *self.modules)`) is not one of the project's.
        result = [d for d in result if d.modules]
    name_drivers(result)
    return result
