"""The part of a driver script one computed value needs: a statement-level backward slice.

A driver script computes some of its inputs and config when it runs
(`pd.Series([...])`, `os.path.join(...)`, a function of the script). To
evaluate such a value without running the script, the kernel runs only
the statements the expression depends on: the assignments it reads (and
the in-place changes since, as `ScriptScopes.lookup` finds them), the
imports and the functions and classes it names, followed through what
those read in turn. Never the `execute` call or anything after it, never
a statement the value does not need. Statements keep the script's line
numbers, so a failure's traceback points into the script. Pure syntax: the
slice is made here and run by the kernel (`kernel/running/script_inputs.py`).

A value that reads an argument of its function (`TaxCalculator.calculate(input,
...)` running the driver with `inputs={"input": input}`) takes it from the one
call of that function in the project (`script_callers.py`): the argument there
is sliced in the caller's file, in turn, and given to this slice by name.
"""

from __future__ import annotations

import ast
import copy
from dataclasses import dataclass, field
from pathlib import Path

from studio.core.discovery.module_reader import is_main_guard
from studio.core.drivers.script_callers import CallSite, ProjectCallers
from studio.core.drivers.script_scopes import (
    Binding,
    Parameter,
    ScriptScopes,
    position,
)

_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_MAX_STATEMENTS = 2_000
_MAX_CALLERS = 4
ARGUMENTS = "__studio_arguments__"
"""The name under which the kernel gives a slice the arguments its callers' slices gave."""


class SliceError(Exception):
    """The value cannot be cut out of the script (it depends on a function's argument)."""


@dataclass(frozen=True, slots=True)
class ScriptSlice:
    """The statements a value needs, in the order the script runs them, and the value."""

    statements: list[ast.stmt]
    expression: ast.expr
    lines: tuple[int, ...] = field(default=())
    """The first line of every statement kept (nested ones included), in order."""
    given: tuple[GivenArgument, ...] = ()
    """Arguments of the value's function taken from its caller, evaluated first."""

    @property
    def origins(self) -> tuple[str, ...]:
        """Where the values of its arguments come from (`my_script.py:68`), the outermost
        caller's; none when the slice takes nothing from a caller."""
        found: list[str] = []
        for argument in self.given:
            found += argument.value.origins or (argument.origin,)
        return tuple(dict.fromkeys(found))

    def module(self) -> ast.Module:
        return ast.Module(body=list(self.statements), type_ignores=[])

    @property
    def text(self) -> str:
        """The slice as code, the value last (for people and tests)."""
        body = ast.unparse(self.module())
        return f"{body}\n{ast.unparse(self.expression)}".strip()


@dataclass(frozen=True, slots=True)
class GivenArgument:
    """A parameter of the value's function, given by its one call in the project: the
    argument's own slice, in the caller's file, run in the caller's folder."""

    name: str
    value: ScriptSlice
    script: Path
    origin: str
    """The call: `my_script.py:68`."""


def find_expression(tree: ast.Module, span: tuple[int, int, int, int]) -> ast.expr | None:
    """The outermost expression at exactly `span` (line, column, end line, end column)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.expr) and (
            node.lineno,
            node.col_offset,
            node.end_lineno,
            node.end_col_offset,
        ) == tuple(span):
            return node
    return None


def slice_value(
    tree: ast.Module, span: tuple[int, int, int, int], callers: ProjectCallers | None = None
) -> ScriptSlice:
    """The slice of `tree` the expression at `span` needs; SliceError when there is none.
    With `callers`, an argument of the value's function is taken from its call."""
    expression = find_expression(tree, span)
    if expression is None:
        raise SliceError("the expression is no longer in the script (it changed since)")
    return _Slicer(tree, callers).slice(expression)


class _Slicer:
    def __init__(self, tree: ast.Module, callers: ProjectCallers | None, depth: int = 0) -> None:
        self.tree = tree
        self.scopes = ScriptScopes(tree)
        self.callers = callers
        self.depth = depth
        self.needed: set[ast.stmt] = set()
        self.arguments: dict[str, ast.Assign] = {}
        """Parameters of the value's function taken at their defaults or from its caller,
        as assignments."""
        self.given: dict[str, GivenArgument] = {}

    def slice(self, expression: ast.expr) -> ScriptSlice:
        self.use = self.scopes.statement_of(expression)
        self.function = self.scopes.scope_of(expression)
        self._need_names(expression)
        held = self._ancestors(self.use)
        if self.function is self.tree:
            # What runs at or after the value's own statement is never part of it.
            self.needed = {s for s in self.needed if s in held or position(s) < position(self.use)}
        statements = self._emit(self.tree.body)
        if isinstance(self.function, _FUNCTIONS):
            statements += list(self.arguments.values())
            body = self._emit(self.function.body)
            statements += [s for s in body if position(s) < position(self.use)]
        lines = tuple(
            sorted({n.lineno for s in statements for n in ast.walk(s) if isinstance(n, ast.stmt)})
        )
        return ScriptSlice(statements, expression, lines, tuple(self.given.values()))

    # -- what is needed ----------------------------------------------------------

    def _need_names(self, node: ast.AST) -> None:
        for name in _names_read(node):
            self._need_name(name.id, name)

    def _need_name(self, name: str, at: ast.AST) -> None:
        found, changes = self.scopes.lookup(name, at)
        if isinstance(found, Binding):
            self._need_statement(self.scopes.statement_of(found.value))
            for change in changes:
                self._need_statement(change.statement)
        elif isinstance(found, Parameter):
            self._need_argument(name, found, at)
        else:
            definition = self._definition(name, at)
            if definition is not None:
                self._need_statement(definition)

    def _need_argument(self, name: str, parameter: Parameter, at: ast.AST) -> None:
        if name in self.arguments:
            return
        if parameter.default is None:
            self._need_caller(name, parameter, at)
            return
        assignment = ast.Assign(targets=[ast.Name(name, ast.Store())], value=parameter.default)
        ast.copy_location(assignment, parameter.default)
        self.arguments[name] = assignment
        self._need_names(parameter.default)

    def _need_caller(self, name: str, parameter: Parameter, at: ast.AST) -> None:
        """The argument the function's one call in the project gives, sliced there."""
        what = f"it uses `{name}`, an argument of {parameter.function}()"
        function = self.scopes.scope_of(at)
        sites: list[CallSite] = []
        if (
            self.callers is not None
            and self.depth < _MAX_CALLERS
            and isinstance(function, _FUNCTIONS)
        ):
            sites = self.callers.calls_of(self.tree, function, name)
        if not sites:
            raise SliceError(f"{what}, known only when the script runs")
        if len(sites) > 1:
            places = ", ".join(site.origin for site in sites)
            raise SliceError(
                f"{what}, called from several places ({places}): give it in the Inputs panel"
            )
        site = sites[0]
        if site.argument is None or self.callers is None:
            raise SliceError(f"{what}, given at {site.origin} in a way I cannot follow")
        search = self.callers.elsewhere(site.path, site.tree)
        try:
            value = _Slicer(site.tree, search, self.depth + 1).slice(site.argument)
        except SliceError as error:
            raise SliceError(f"{what}, given at {site.origin}: {error}") from error
        placeholder = ast.Subscript(ast.Name(ARGUMENTS, ast.Load()), ast.Constant(name), ast.Load())
        assignment = ast.Assign(targets=[ast.Name(name, ast.Store())], value=placeholder)
        ast.copy_location(assignment, _parameter_node(function, name) or function)
        self.arguments[name] = assignment
        script = self.callers.root / site.path
        self.given[name] = GivenArgument(name, value, script, site.origin)

    def _need_statement(self, statement: ast.AST) -> None:
        if not isinstance(statement, ast.stmt) or statement in self.needed:
            return
        if len(self.needed) > _MAX_STATEMENTS:
            raise SliceError("it needs more of the script than can be followed")
        self.needed.add(statement)
        for block in self._ancestors(statement):
            if block is not statement and isinstance(block, ast.stmt):
                self._need_headers(block)
        if isinstance(statement, _DEFINITIONS):
            self._need_free_names(statement)
        else:
            self._need_names(statement)

    def _need_headers(self, block: ast.stmt) -> None:
        """A kept statement inside `if`/`for`/`with`/`try`: the block's own expressions."""
        if isinstance(block, ast.If) and not is_main_guard(block.test):
            self._need_names(block.test)
        elif isinstance(block, ast.For | ast.AsyncFor):
            self._need_names(block.iter)
        elif isinstance(block, ast.While):
            self._need_names(block.test)
        elif isinstance(block, ast.With | ast.AsyncWith):
            for item in block.items:
                self._need_names(item.context_expr)

    def _need_free_names(self, definition: ast.stmt) -> None:
        """A function or class kept whole: the module's names it reads, when called."""
        for name in _names_read(definition):
            found, _ = self.scopes.lookup(name.id, name)
            if isinstance(found, Parameter):
                continue
            if isinstance(found, Binding):
                if self.scopes.scope_of(found.value) is self.tree:
                    self._need_name(name.id, name)
                continue
            if self._definition(name.id, name, inside=definition) is None:
                definition_outside = self._definition(name.id, name)
                if definition_outside is not None:
                    self._need_statement(definition_outside)

    def _definition(
        self, name: str, at: ast.AST, inside: ast.stmt | None = None
    ) -> ast.stmt | None:
        """The import, `def` or `class` that gives `name` at `at`: the last one before it
        in the module (or in the value's function), else the last one anywhere."""
        scopes: list[ast.AST] = [inside] if inside is not None else [self.tree]
        function = self.scopes.scope_of(at)
        if inside is None and function is not self.tree:
            scopes.append(function)
        candidates = [s for scope in scopes for s in _definitions_in(scope, name)]
        if inside is not None:
            return candidates[0] if candidates else None
        if not candidates:
            return None
        use = position(self.scopes.statement_of(at))
        before = [s for s in candidates if position(s) < use]
        return (before or candidates)[-1]

    def _ancestors(self, node: ast.AST) -> list[ast.AST]:
        found = []
        current = self.scopes.parents.get(node)
        while current is not None and not isinstance(current, ast.Module):
            found.append(current)
            current = self.scopes.parents.get(current)
        return found

    # -- the kept code, in the script's order --------------------------------------------

    def _emit(self, body: list[ast.stmt]) -> list[ast.stmt]:
        kept: list[ast.stmt] = []
        for statement in body:
            if statement in self.needed:
                kept.append(statement)
            elif isinstance(statement, _DEFINITIONS):
                continue
            elif isinstance(statement, ast.If) and is_main_guard(statement.test):
                kept += self._emit(statement.body)
            elif self._holds_needed(statement):
                kept.append(self._trimmed(statement))
        return kept

    def _holds_needed(self, statement: ast.stmt) -> bool:
        return any(
            node in self.needed
            for node in ast.walk(statement)
            if node is not statement and isinstance(node, ast.stmt)
        )

    def _trimmed(self, block: ast.stmt) -> ast.stmt:
        """A block with only the statements needed inside it (`pass` for an empty body)."""
        trimmed = copy.copy(block)
        for attribute in ("body", "orelse", "finalbody"):
            body = getattr(block, attribute, None)
            if body:
                kept = self._emit(body)
                if attribute == "body" and not kept:
                    kept = [ast.copy_location(ast.Pass(), body[0])]
                setattr(trimmed, attribute, kept)
        if isinstance(block, ast.Try):
            handlers = []
            for handler in block.handlers:
                copied = copy.copy(handler)
                copied.body = self._emit(handler.body) or [
                    ast.copy_location(ast.Pass(), handler.body[0])
                ]
                handlers.append(copied)
            trimmed.handlers = handlers  # type: ignore[attr-defined]
        return trimmed


def _parameter_node(function: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> ast.arg | None:
    found = (a for a in ast.walk(function.args) if isinstance(a, ast.arg) and a.arg == name)
    return next(found, None)


def _names_read(node: ast.AST) -> list[ast.Name]:
    """Names `node` reads, in source order, leaving out those its comprehensions and
    lambdas bind themselves."""
    bound: set[str] = set()
    for inner in ast.walk(node):
        if isinstance(inner, ast.comprehension):
            bound |= {n.id for n in ast.walk(inner.target) if isinstance(n, ast.Name)}
        elif isinstance(inner, ast.Lambda):
            bound |= {a.arg for a in ast.walk(inner.args) if isinstance(a, ast.arg)}
    names = [
        inner
        for inner in ast.walk(node)
        if isinstance(inner, ast.Name) and isinstance(inner.ctx, ast.Load)
    ]
    return sorted((n for n in names if n.id not in bound), key=position)


def _definitions_in(scope: ast.AST, name: str) -> list[ast.stmt]:
    """Imports, functions and classes binding `name` in `scope`'s own code (its blocks
    included, nested functions and classes not), in source order."""
    found: list[ast.stmt] = []
    pending: list[ast.AST] = list(getattr(scope, "body", []))
    while pending:
        node = pending.pop()
        if isinstance(node, _DEFINITIONS):
            if node.name == name:
                found.append(node)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            for alias in node.names:
                bound = alias.asname or alias.name.split(".")[0]
                if bound == name:
                    found.append(node)
            continue
        if isinstance(node, ast.stmt):
            pending.extend(ast.iter_child_nodes(node))
        elif isinstance(node, ast.excepthandler | ast.match_case):
            pending.extend(node.body)
    return sorted(found, key=position)
