"""Where a name in a driver script gets its value: scopes, assignments and in-place changes.

Driver scripts build their config and module lists in steps (`cfg = {...}`
then `cfg["k"] = v`, `cfg.update(...)`), inside functions, click commands
and `if` branches. This index answers "which assignment does this use of
`cfg` see, and which statements changed it in between", in source order,
without running anything.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field

from studio.core.discovery.module_reader import is_main_guard

Position = tuple[int, int]
FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
ScopeNode = ast.Module | FunctionNode
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_BRANCHES = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.Try, ast.Match)


def position(node: ast.AST) -> Position:
    return (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))


@dataclass(slots=True)
class Binding:
    """One assignment of a name: `name = value` (or `name: T = value`)."""

    value: ast.expr
    at: Position


@dataclass(slots=True)
class Change:
    """A statement that changes a name's value in place (`x.update(...)`, `x[k] = v`, `x |= y`)."""

    statement: ast.stmt
    at: Position


@dataclass(slots=True)
class _ScopeIndex:
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    changes: dict[str, list[Change]] = field(default_factory=dict)
    globals: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class Parameter:
    """The name is a parameter of the enclosing function: known only when it is called."""

    function: str
    default: ast.expr | None


class ScriptScopes:
    """Assignments and in-place changes per scope (the module and each function)."""

    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        self.parents: dict[ast.AST, ast.AST] = {}
        for parent in ast.walk(tree):
            for child in ast.iter_child_nodes(parent):
                self.parents[child] = parent
        self._index: dict[ast.AST, _ScopeIndex] = {}
        self._collect(tree, tree)

    # -- structure ------------------------------------------------------------

    def scope_of(self, node: ast.AST) -> ScopeNode:
        """The innermost function (or the module) whose body holds `node`."""
        current = self.parents.get(node)
        while current is not None and not isinstance(
            current, ast.FunctionDef | ast.AsyncFunctionDef
        ):
            current = self.parents.get(current)
        return current if current is not None else self.tree

    def enclosing_branch(self, node: ast.AST) -> tuple[ast.If, bool] | None:
        """The nearest `if` whose body (True) or `else` (False) holds `node`, within its scope."""
        child, current = node, self.parents.get(node)
        while current is not None and not isinstance(
            current, ast.FunctionDef | ast.AsyncFunctionDef
        ):
            if isinstance(current, ast.If) and child is not current.test:
                return current, child in current.body
            child, current = current, self.parents.get(current)
        return None

    def statement_of(self, node: ast.AST) -> ast.AST:
        """The innermost statement holding `node` (its assignments come strictly before)."""
        current: ast.AST | None = node
        while current is not None and not isinstance(current, ast.stmt):
            current = self.parents.get(current)
        return current if current is not None else node

    def is_conditional(self, statement: ast.AST, use: ast.AST) -> bool:
        """Whether `statement` sits in a branch or loop that does not also hold `use`."""
        holding_use = set(self._blocks(use))
        return any(block not in holding_use for block in self._blocks(statement))

    def _blocks(self, node: ast.AST) -> list[ast.AST]:
        found = []
        current = self.parents.get(node)
        while current is not None and not isinstance(current, _FUNCTIONS):
            is_main = isinstance(current, ast.If) and is_main_guard(current.test)
            if isinstance(current, _BRANCHES) and not is_main:
                found.append(current)
            current = self.parents.get(current)
        return found

    def assigned_name(self, node: ast.AST) -> str | None:
        """`dr` in `dr = <node>` (through `await` and parentheses)."""
        current = self.parents.get(node)
        while isinstance(current, ast.Await | ast.IfExp):
            node, current = current, self.parents.get(current)
        if isinstance(current, ast.Assign) and current.value is node:
            names = [t.id for t in current.targets if isinstance(t, ast.Name)]
            return names[0] if names else None
        if isinstance(current, ast.AnnAssign) and current.value is node:
            return current.target.id if isinstance(current.target, ast.Name) else None
        return None

    # -- lookups --------------------------------------------------------------

    def lookup(self, name: str, at: ast.AST) -> tuple[Binding | Parameter | None, list[Change]]:
        """The assignment of `name` that code at `at` sees, and the changes made since."""
        scope = self.scope_of(at)
        use = position(self.statement_of(at))
        index = self._index.setdefault(scope, _ScopeIndex())
        if name not in index.globals:
            local = [b for b in index.bindings.get(name, []) if b.at < use]
            if local:
                binding = local[-1]
                return binding, self._changes(index, name, binding.at, use)
            if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
                parameter = _parameter(scope, name)
                if parameter is not None:
                    return parameter, []
        module = self._index[self.tree]
        outer = module.bindings.get(name, [])
        if scope is self.tree:
            outer = [b for b in outer if b.at < use]
        if not outer:
            return None, []
        binding = outer[-1]
        end = use if scope is self.tree else (10**9, 0)
        changes = self._changes(module, name, binding.at, end)
        if scope is not self.tree:
            changes += self._changes(index, name, (0, 0), use)
        return binding, changes

    def function_named(self, name: str) -> FunctionNode | None:
        """A function the script defines at its top level."""
        for statement in self.tree.body:
            if isinstance(statement, _FUNCTIONS) and statement.name == name:
                return statement
        return None

    @staticmethod
    def _changes(index: _ScopeIndex, name: str, after: Position, before: Position) -> list[Change]:
        return [c for c in index.changes.get(name, []) if after < c.at < before]

    # -- collection -------------------------------------------------------------

    def _collect(self, scope: ScopeNode, node: ast.AST) -> None:
        index = self._index.setdefault(scope, _ScopeIndex())
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                self._index.setdefault(child, _ScopeIndex())
                self._collect(child, child)
                continue
            if isinstance(child, ast.ClassDef):
                self._collect_class(child)
                continue
            if isinstance(child, ast.Lambda):
                continue
            if isinstance(child, ast.stmt):
                self._record(index, child)
            self._collect(scope, child)

    def _collect_class(self, node: ast.ClassDef) -> None:
        """Methods are scopes of their own; class attributes are nobody's variables."""
        for child in ast.walk(node):
            if isinstance(child, _FUNCTIONS) and child not in self._index:
                self._index[child] = _ScopeIndex()
                self._collect(child, child)

    def _record(self, index: _ScopeIndex, statement: ast.stmt) -> None:
        if isinstance(statement, ast.Global):
            index.globals.update(statement.names)
        elif isinstance(statement, ast.Assign):
            for target in statement.targets:
                if isinstance(target, ast.Name):
                    self._bind(index, target.id, Binding(statement.value, position(statement)))
                elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                    self._change(index, target.value.id, statement)
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            if isinstance(statement.target, ast.Name):
                binding = Binding(statement.value, position(statement))
                self._bind(index, statement.target.id, binding)
        elif isinstance(statement, ast.AugAssign) and isinstance(statement.target, ast.Name):
            self._change(index, statement.target.id, statement)
        elif isinstance(statement, ast.Delete):
            for target in statement.targets:
                if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                    self._change(index, target.value.id, statement)
        elif isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
            func = statement.value.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                self._change(index, func.value.id, statement)

    def _bind(self, index: _ScopeIndex, name: str, binding: Binding) -> None:
        target = self._index[self.tree] if name in index.globals else index
        target.bindings.setdefault(name, []).append(binding)

    def _change(self, index: _ScopeIndex, name: str, statement: ast.stmt) -> None:
        target = self._index[self.tree] if name in index.globals else index
        target.changes.setdefault(name, []).append(Change(statement, position(statement)))


def _parameter(function: FunctionNode, name: str) -> Parameter | None:
    arguments = function.args
    positional = [*arguments.posonlyargs, *arguments.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(arguments.defaults))
    defaults += list(arguments.defaults)
    for argument, default in zip(positional, defaults, strict=True):
        if argument.arg == name:
            return Parameter(function.name, default)
    for argument, kw_default in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True):
        if argument.arg == name:
            return Parameter(function.name, kw_default)
    for packed in (arguments.vararg, arguments.kwarg):  # `*args`, `**kwargs`: no default
        if packed is not None and packed.arg == name:
            return Parameter(function.name, None)
    return None


def returned_values(function: FunctionNode) -> list[ast.expr] | None:
    """What each `return` of the function gives back (None when one returns nothing)."""
    found: list[ast.expr] = []
    pending: list[ast.AST] = list(function.body)
    while pending:
        node = pending.pop()
        if isinstance(node, (*_FUNCTIONS, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(node, ast.Return):
            if node.value is None:
                return None
            found.append(node.value)
        pending.extend(ast.iter_child_nodes(node))
    return sorted(found, key=position) or None


def calls_in(tree: ast.AST) -> Iterator[ast.Call]:
    """Every call in source order."""
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
    yield from sorted(calls, key=position)
