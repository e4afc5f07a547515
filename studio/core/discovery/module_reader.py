"""Facts about one Python file, read from its syntax tree without running it."""

from __future__ import annotations

import ast
import io
import tokenize
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field

from studio.core.discovery.project import FileProblem

DRIVER_CLASSES = frozenset(
    {
        "hamilton.driver.Builder",
        "hamilton.driver.Driver",
        "hamilton.async_driver.Builder",
        "hamilton.async_driver.AsyncDriver",
    }
)


@dataclass(slots=True)
class ModuleFacts:
    """What a file defines and imports, as far as classification needs it."""

    tree: ast.Module | None
    """None in facts kept from an earlier session (see `syntax_tree`)."""
    bindings: dict[str, str] = field(default_factory=dict)
    """Local name -> dotted name of what it was imported as."""
    public_functions: list[str] = field(default_factory=list)
    unannotated_functions: list[str] = field(default_factory=list)
    parameters: set[str] = field(default_factory=set)
    """Parameter names of the public functions: the nodes they may depend on."""
    has_main_guard: bool = False
    driver_calls: list[ast.Call] = field(default_factory=list)
    """Calls that construct a Hamilton driver or builder."""
    text: str | None = None
    """The file's text, to parse it again when `tree` was not kept."""

    def syntax_tree(self) -> ast.Module:
        """The file's tree, parsed again if these facts were kept without it."""
        if self.tree is None:
            assert self.text is not None, "facts kept without their tree carry the text"
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", SyntaxWarning)
                self.tree = ast.parse(self.text)
        return self.tree


def decode_source(raw: bytes, relative: str) -> tuple[str | None, FileProblem | None]:
    """The file's text in its declared encoding (UTF-8 unless it says otherwise), or
    what keeps it from being text: the first byte that cannot be read, on its line."""
    declared: Exception | None = None
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
    except (SyntaxError, LookupError) as error:  # first lines not UTF-8, or a bad declaration
        encoding, declared = "utf-8", error
    try:
        text = raw.decode(encoding)
    except (UnicodeDecodeError, LookupError) as error:
        if not isinstance(error, UnicodeDecodeError):
            return None, FileProblem(relative, None, f"is not text ({error})")
        line = _line_of_offset(raw, error.start)
        name = "UTF-8" if encoding.removesuffix("-sig") == "utf-8" else encoding
        byte = error.object[error.start]
        message = f"is not {name} text (byte 0x{byte:02x} cannot be read as {name})"
        return None, FileProblem(relative, line, message)
    if declared is not None:
        return None, FileProblem(
            relative, getattr(declared, "lineno", None), f"is not text ({declared})"
        )
    return text, None


def _line_of_offset(raw: bytes, offset: int | None) -> int | None:
    return None if offset is None else raw.count(b"\n", 0, offset) + 1


def parse(text: str, relative: str) -> tuple[ast.Module | None, FileProblem | None]:
    """The file's tree, or the problem that keeps it from being read. Warnings (an
    invalid escape) are Python's to give when the file is imported, once."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)
            return ast.parse(text, filename=relative), None
    except SyntaxError as error:
        message = f"syntax error: {error.msg}"
        return None, FileProblem(relative, error.lineno, message)
    except ValueError as error:  # null bytes
        return None, FileProblem(relative, None, f"cannot be parsed: {error}")


def read_facts(tree: ast.Module, package: str, text: str | None = None) -> ModuleFacts:
    """Collect imports, public functions, a `__main__` guard and driver constructions.
    With the file's `text`, parts of the tree it shows to hold none are not walked."""
    facts = ModuleFacts(tree=tree, bindings=import_bindings(tree, package, text))
    for statement in tree.body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
            if statement.name.startswith("_") or is_excluded(statement):
                continue
            facts.public_functions.append(statement.name)
            arguments = statement.args
            for argument in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs):
                facts.parameters.add(argument.arg)
            if statement.returns is None:
                facts.unannotated_functions.append(statement.name)
        elif isinstance(statement, ast.If) and is_main_guard(statement.test):
            facts.has_main_guard = True
    may_build = text is None or "Builder" in text or "Driver" in text
    if may_build and any(target.split(".")[0] == "hamilton" for target in facts.bindings.values()):
        for node in ast.walk(tree):  # only a file that imports Hamilton can build a driver
            if (
                isinstance(node, ast.Call)
                and qualified_name(node.func, facts.bindings) in DRIVER_CLASSES
            ):
                facts.driver_calls.append(node)
    return facts


def is_excluded(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """`@hamilton_exclude` keeps a public function out of the graph."""
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(target, ast.Name | ast.Attribute) and _last_name(target) == (
            "hamilton_exclude"
        ):
            return True
    return False


def _last_name(expr: ast.expr) -> str | None:
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        return expr.attr
    return None


def is_main_guard(test: ast.expr) -> bool:
    if not isinstance(test, ast.Compare) or len(test.comparators) != 1:
        return False
    sides = [test.left, test.comparators[0]]
    names = {s.id for s in sides if isinstance(s, ast.Name)}
    values = {s.value for s in sides if isinstance(s, ast.Constant)}
    return names == {"__name__"} and values == {"__main__"}


_BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")


def statements(node: ast.AST) -> Iterator[ast.stmt]:
    """Every statement in `node`'s blocks, at any depth (function and class bodies,
    branches, handlers). Expressions are not entered: they are most of a file, and
    hold no statement."""
    stack = [node]
    while stack:
        current = stack.pop()
        for name in _BLOCKS:
            for child in getattr(current, name, ()):
                if isinstance(child, ast.stmt):
                    yield child
                stack.append(child)


def import_bindings(tree: ast.Module, package: str, text: str | None = None) -> dict[str, str]:
    """Map each name an import statement binds to the dotted name it refers to.

    `package` is the dotted package of the file itself, for relative imports.
    Imports anywhere in the file count: driver scripts often import inside
    their `__main__` block. When the file's `text` says `import` no more often
    than it has imports at the top, the blocks are not searched.
    """
    bindings: dict[str, str] = {}
    top = [s for s in tree.body if isinstance(s, ast.Import | ast.ImportFrom)]
    nested = text is None or text.count("import") > len(top)
    for node in statements(tree) if nested else top:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    bindings[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    bindings[top] = top
        elif isinstance(node, ast.ImportFrom):
            base = _absolute_module(node.module, node.level, package)
            for alias in node.names:
                if alias.name == "*":
                    continue
                target = f"{base}.{alias.name}" if base else alias.name
                bindings[alias.asname or alias.name] = target
    return bindings


def _absolute_module(module: str | None, level: int, package: str) -> str:
    if level == 0:
        return module or ""
    parts = package.split(".") if package else []
    if level > 1:
        parts = parts[: len(parts) - (level - 1)]
    if module:
        parts.append(module)
    return ".".join(parts)


def qualified_name(expr: ast.expr, bindings: dict[str, str]) -> str | None:
    """The dotted name an expression like `driver.Builder` stands for, if it is imported."""
    attributes: list[str] = []
    while isinstance(expr, ast.Attribute):
        attributes.append(expr.attr)
        expr = expr.value
    if not isinstance(expr, ast.Name):
        return None
    base = bindings.get(expr.id)
    if base is None:
        return None
    return ".".join([base, *reversed(attributes)])
