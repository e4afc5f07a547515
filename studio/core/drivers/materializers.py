"""The materializers a driver script gives its drivers, read from its text, never run.

A script saves results with Hamilton's materializers, either for one run
(`dr.materialize(to.csv(id="save_x", dependencies=["x"], path="x.csv"),
additional_vars=["y"])`) or in the graph itself (`Builder().with_materializers(
to.parquet(...))`, then `dr.execute(["save_x"])`). Each `to.<format>(...)` is read as
a `MaterializerSpec`: the kernel makes it again from its literal arguments, so
Hamilton adds its own nodes. An argument the script computes is named in a note;
the materializer is still shown, but cannot run. Loaders (`from_.csv(...)`) are not
read: they are named in a note.

What a materializer saves is what the script computes without writing files:
its dependencies are the driver's outputs, in place of its id.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from studio.core.discovery.module_reader import qualified_name
from studio.core.discovery.project import MaterializerSpec
from studio.core.drivers.run_calls import output_names
from studio.core.drivers.script_scopes import Binding, ScriptScopes
from studio.core.drivers.script_values import NotLiteralError, ScriptValues, short

if TYPE_CHECKING:
    from studio.core.drivers.driver_scripts import DriverFacts

_TO = ("hamilton.io.materialization.to", "hamilton.io.materialization.Materialize")
_FROM = ("hamilton.io.materialization.from_", "hamilton.io.materialization.Extract")
_MAX_DEPTH = 12


class MaterializerReader:
    """Reads `to.<format>(...)` expressions of one script, following the names that hold
    them (`materializers = [to.csv(...), ...]`, `dr.materialize(*materializers)`)."""

    def __init__(self, scopes: ScriptScopes, values: ScriptValues, bindings: dict[str, str]):
        self.scopes = scopes
        self.values = values
        self.bindings = bindings

    def read_materialize(self, driver: DriverFacts, call: ast.Call) -> None:
        """The materializers of a `dr.materialize(...)` call, and what they save as the
        driver's outputs."""
        before = len(driver.materializers)
        self.add(driver, list(call.args))
        for spec in driver.materializers[before:]:
            driver.outputs.extend(d for d in spec.dependencies if d not in driver.outputs)

    def add(self, driver: DriverFacts, exprs: list[ast.expr]) -> None:
        """Add the materializers among `exprs` (arguments of `materialize` or
        `with_materializers`) to the driver, and notes for what cannot be read."""
        for call in self._calls(exprs, 0, driver):
            spec = self._read(call, driver)
            if spec is None:
                continue
            known = [m.id for m in driver.materializers]
            if spec.id in known:
                driver.materializers[known.index(spec.id)] = spec
            else:
                driver.materializers.append(spec)

    def _calls(self, exprs: list[ast.expr], depth: int, driver: DriverFacts) -> Iterator[ast.Call]:
        if depth > _MAX_DEPTH:
            return
        for expr in exprs:
            if isinstance(expr, ast.Starred):
                expr = expr.value
            if isinstance(expr, ast.List | ast.Tuple):
                yield from self._calls(list(expr.elts), depth + 1, driver)
            elif isinstance(expr, ast.Name):
                found, changes = self.scopes.lookup(expr.id, expr)
                if isinstance(found, Binding):
                    yield from self._calls([found.value], depth + 1, driver)
                    yield from self._appended(changes, depth, driver)
                else:
                    driver.notes.append(
                        f"line {expr.lineno}: the materializers `{expr.id}` are chosen when the "
                        "script runs; they are not shown"
                    )
            elif isinstance(expr, ast.Call) and self._factory(expr, _FROM) is not None:
                driver.notes.append(
                    f"line {expr.lineno}: `{short(expr.func)}` loads data in place of a node; "
                    "loaders are not shown"
                )
            elif isinstance(expr, ast.Call) and self._factory(expr, _TO) is not None:
                yield expr
            else:
                driver.notes.append(
                    f"line {expr.lineno}: cannot tell which materializer `{short(expr)}` is "
                    "without running the script"
                )

    def _appended(self, changes: list[Any], depth: int, driver: DriverFacts) -> Iterator[ast.Call]:
        """Materializers added to a list in steps (`materializers.append(to.csv(...))`)."""
        for change in changes:
            statement = change.statement
            if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)):
                continue
            call = statement.value
            if isinstance(call.func, ast.Attribute) and call.func.attr in ("append", "extend"):
                yield from self._calls(list(call.args), depth + 1, driver)

    def _factory(self, call: ast.Call, owners: tuple[str, ...]) -> str | None:
        """`csv` for `to.csv(...)` (Hamilton's `to`, however it is imported)."""
        if not isinstance(call.func, ast.Attribute):
            return None
        owner = call.func.value
        name = qualified_name(owner, self.bindings)
        if name in owners:
            return call.func.attr
        if name is None and owners is _TO and isinstance(owner, ast.Name) and owner.id == "to":
            return call.func.attr  # `to` from a star import
        return None

    def _read(self, call: ast.Call, driver: DriverFacts) -> MaterializerSpec | None:
        factory = self._factory(call, _TO)
        assert factory is not None
        positional = dict(zip(("id", "dependencies", "combine"), call.args, strict=False))
        given = {**positional, **{k.arg: k.value for k in call.keywords if k.arg is not None}}
        where = f"line {call.lineno}"
        if any(k.arg is None for k in call.keywords):
            driver.notes.append(f"{where}: `to.{factory}(**...)` is built when the script runs")
            return None
        try:
            ident = self.values.literal(given.pop("id"))
        except (KeyError, NotLiteralError):
            ident = None
        if not isinstance(ident, str):
            driver.notes.append(
                f"{where}: the id of `to.{factory}(...)` is computed when the script runs; "
                "it is not shown"
            )
            return None
        dependencies = output_names(self.values, given.pop("dependencies", None))
        if not dependencies:
            driver.notes.append(
                f"{where}: what materializer {ident!r} saves is computed when the script runs; "
                "it is not shown"
            )
            return None
        combine_expr = given.pop("combine", None)
        combine = None if combine_expr is None else self._result_builder(combine_expr, 0)
        arguments: dict[str, Any] = {}
        computed: list[str] = []
        if combine_expr is not None and combine is None:
            computed.append("combine")
        for key, expr in given.items():
            try:
                arguments[key] = self.values.literal(expr)
            except NotLiteralError:
                computed.append(key)
        if computed:
            shown = ", ".join(f"`{key}`" for key in computed)
            driver.notes.append(
                f"{where}: materializer {ident!r} gets {shown} when the script runs; it is "
                "shown but cannot run"
            )
        return MaterializerSpec(
            id=ident,
            factory=factory,
            dependencies=tuple(dependencies),
            arguments=arguments,
            combine=combine,
            computed=tuple(computed),
            line=call.lineno,
        )

    def _result_builder(self, expr: ast.expr, depth: int) -> str | None:
        """The dotted class of `combine=base.PandasDataFrameResult()`: a Hamilton result
        builder made without arguments (made again in the kernel; nothing of the script's)."""
        if depth > _MAX_DEPTH:
            return None
        if isinstance(expr, ast.Name):
            found, _ = self.scopes.lookup(expr.id, expr)
            return (
                self._result_builder(found.value, depth + 1) if isinstance(found, Binding) else None
            )
        if not isinstance(expr, ast.Call) or expr.args or expr.keywords:
            return None
        name = qualified_name(expr.func, self.bindings)
        return name if name is not None and name.startswith("hamilton.") else None


def settle_outputs(driver: DriverFacts) -> None:
    """Outputs that name a materializer (`dr.execute(["save_x"])`) become what it saves:
    a run the user did not ask to write files computes as far as the files' contents."""
    saved = {spec.id: spec.dependencies for spec in driver.materializers}
    outputs: list[str] = []
    for name in driver.outputs:
        for output in saved.get(name, (name,)):
            if output not in outputs:
                outputs.append(output)
    driver.outputs[:] = outputs
