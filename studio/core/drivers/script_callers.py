"""Where a function of a driver's file is called from, in the project's Python files.

A driver is often built in a wrapper (`my_wrapper.py`) whose function or static
method runs it with its own arguments (`inputs={"input": input}`); the values
come from a script that builds them at top level and calls it
(`TaxCalculator.calculate(input, ...)`). To evaluate such an input, the slice
of the driver's file follows the parameter to the one call that gives it: this
module finds the calls (`from my_wrapper import TaxCalculator`,
`import my_wrapper` then `my_wrapper.f(...)`, or the same file) and the
argument each gives. Pure syntax: nothing of the project is run.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from studio.core.drivers.script_scopes import FunctionNode, position

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


@dataclass(frozen=True, slots=True)
class CallSite:
    """One call of the function: the file it is in, its tree and the argument given."""

    path: str
    """Relative to the project root, `/`-separated."""
    tree: ast.Module
    call: ast.Call
    argument: ast.expr | None
    """None: the call gives the parameter in a way that cannot be read (`*args`)."""

    @property
    def origin(self) -> str:
        """`my_script.py:68`"""
        return f"{self.path}:{self.call.lineno}"


@dataclass(slots=True)
class ProjectCallers:
    """The project's Python files (relative path -> module), read on demand, for the
    calls of a function of one of them (`path`, the file being sliced)."""

    root: Path
    modules: Mapping[str, str]
    path: str
    trees: dict[str, ast.Module | None] = field(default_factory=dict)

    def elsewhere(self, path: str, tree: ast.Module) -> ProjectCallers:
        """The same search, for a slice of another file (sharing the files read)."""
        self.trees.setdefault(path, tree)
        return ProjectCallers(self.root, self.modules, path, self.trees)

    def calls_of(self, tree: ast.Module, function: FunctionNode, parameter: str) -> list[CallSite]:
        """Each call of `function` (defined in `tree`, this search's file) in the
        project, with the argument it gives `parameter`; none for a nested function."""
        target = _Target.of(tree, function)
        if target is None:
            return []
        self.trees.setdefault(self.path, tree)
        module = self.modules.get(self.path, PurePosixPath(self.path).stem)
        found: list[CallSite] = []
        for path in sorted({self.path, *self.modules}):
            other = self._tree(path, target.names)
            if other is None:
                continue
            same_file = path == self.path
            references = _References.in_file(other, module, self._package(path), same_file)
            recursive = {id(n) for n in ast.walk(function)} if same_file else set()
            for call in _calls(other):
                if id(call) in recursive:
                    continue
                offset = target.offset(call.func, references)
                if offset is None:
                    continue
                argument = _argument(function, parameter, call, offset)
                found.append(CallSite(path, other, call, argument))
        return found

    def _tree(self, path: str, names: tuple[str, ...]) -> ast.Module | None:
        if path not in self.trees:
            self.trees[path] = None
            try:
                text = (self.root / path).read_text(encoding="utf-8")
                if any(name in text for name in names):
                    self.trees[path] = ast.parse(text, str(self.root / path))
            except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
                pass
        return self.trees[path]

    def _package(self, path: str) -> str:
        module = self.modules.get(path, PurePosixPath(path).stem)
        is_package = PurePosixPath(path).name == "__init__.py"
        return module if is_package else module.rpartition(".")[0]


@dataclass(frozen=True, slots=True)
class _Target:
    """How the function is named from outside: `f`, or `C.f` for a method of class `C`."""

    function: str
    owner: str | None
    kind: str
    """"function", "static", "class" or "method"."""

    @property
    def names(self) -> tuple[str, ...]:
        return (self.function,) if self.owner is None else (self.owner, self.function)

    @classmethod
    def of(cls, tree: ast.Module, function: FunctionNode) -> _Target | None:
        if function in tree.body:
            return cls(function.name, None, "function")
        for statement in tree.body:
            if isinstance(statement, ast.ClassDef) and function in statement.body:
                decorators = {_dotted(d) for d in function.decorator_list}
                kind = "method"
                if "staticmethod" in decorators:
                    kind = "static"
                elif "classmethod" in decorators:
                    kind = "class"
                return cls(function.name, statement.name, kind)
        return None

    def offset(self, func: ast.expr, references: _References) -> int | None:
        """How many leading parameters the call fills itself (`self`, `cls`); None
        when `func` is not this function."""
        if self.owner is None:
            return 0 if references.names(func, self.function) else None
        if not isinstance(func, ast.Attribute) or func.attr != self.function:
            return None
        holder = func.value
        if references.names(holder, self.owner):
            return 1 if self.kind == "class" else 0
        if isinstance(holder, ast.Call) and references.names(holder.func, self.owner):
            return 0 if self.kind == "static" else 1
        return None


@dataclass(frozen=True, slots=True)
class _References:
    """The names one file gives the driver's module and what it defines."""

    modules: frozenset[str]
    """Dotted names bound to the module (`my_wrapper`, `w`, `pkg.my_wrapper`)."""
    direct: Mapping[str, str]
    """A local name -> the module's name it stands for (`from m import C as D`)."""

    @classmethod
    def in_file(cls, tree: ast.Module, module: str, package: str, same: bool) -> _References:
        stem = module.rpartition(".")[2]
        accepted = {module, stem}
        modules: set[str] = set()
        direct: dict[str, str] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name in accepted:
                        modules.add(alias.asname or alias.name)
            elif isinstance(node, ast.ImportFrom):
                source = _absolute(node, package)
                for alias in node.names:
                    if source in accepted:
                        direct[alias.asname or alias.name] = alias.name
                    elif f"{source}.{alias.name}".lstrip(".") in accepted:
                        modules.add(alias.asname or alias.name)
        if same:
            defined = [s for s in tree.body if isinstance(s, (*_FUNCTIONS, ast.ClassDef))]
            direct.update({s.name: s.name for s in defined})
        return cls(frozenset(modules), direct)

    def names(self, expr: ast.expr, name: str) -> bool:
        """Whether `expr` is the module's `name` (`name`, `alias`, `my_wrapper.name`)."""
        if isinstance(expr, ast.Name):
            return self.direct.get(expr.id) == name
        if isinstance(expr, ast.Attribute) and expr.attr == name:
            return _dotted(expr.value) in self.modules
        return False


def _argument(
    function: FunctionNode, parameter: str, call: ast.Call, offset: int
) -> ast.expr | None:
    """The expression `call` gives `parameter`, by position or keyword (None: it cannot
    be told, behind `*args` or `**kwargs`)."""
    arguments = function.args
    positional = [a.arg for a in [*arguments.posonlyargs, *arguments.args]][offset:]
    if parameter in positional:
        index = positional.index(parameter)
        given = call.args[: index + 1]
        if any(isinstance(a, ast.Starred) for a in given):
            return None
        if index < len(call.args):
            return call.args[index]
    for keyword in call.keywords:
        if keyword.arg == parameter:
            return keyword.value
    return None


def _absolute(node: ast.ImportFrom, package: str) -> str:
    if not node.level:
        return node.module or ""
    parts = package.split(".") if package else []
    base = parts[: len(parts) - (node.level - 1)] if node.level > 1 else parts
    return ".".join([*base, *([node.module] if node.module else [])])


def _dotted(expr: ast.expr) -> str:
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        inner = _dotted(expr.value)
        return f"{inner}.{expr.attr}" if inner else ""
    return ""


def _calls(tree: ast.Module) -> Iterator[ast.Call]:
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
    yield from sorted(calls, key=position)
