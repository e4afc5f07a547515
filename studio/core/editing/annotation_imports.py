"""Types copied into another module bring their imports with them.

When a parameter annotated `pd.DataFrame` is added to a function of a
module that does not import pandas, the import the upstream module uses
(`import pandas as pd`) is added next to the module's other imports.
"""

from __future__ import annotations

import ast
import builtins

import libcst as cst

_BUILTINS = frozenset(dir(builtins))


def needed_names(annotation: str) -> set[str]:
    """The top-level names an annotation refers to (`pd` in `pd.DataFrame`), builtins aside."""
    try:
        tree = ast.parse(annotation, mode="eval")
    except SyntaxError:
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id not in _BUILTINS}


def bound_names(code: str) -> set[str]:
    """Names a module defines at top level: imports, functions, classes, assignments."""
    tree = ast.parse(code)
    names: set[str] = set()
    for statement in tree.body:
        if isinstance(statement, ast.Import | ast.ImportFrom):
            for alias in statement.names:
                names.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(statement.name)
        elif isinstance(statement, ast.Assign | ast.AnnAssign):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def import_of(name: str, code: str, package: str = "") -> str | None:
    """The import statement, for `name` alone, that binds it in the module `code`
    (a relative import made absolute from `package`, the module's own package)."""
    for statement in ast.parse(code).body:
        if isinstance(statement, ast.Import):
            for alias in statement.names:
                if (alias.asname or alias.name.split(".")[0]) == name:
                    suffix = f" as {alias.asname}" if alias.asname else ""
                    return f"import {alias.name}{suffix}"
        elif isinstance(statement, ast.ImportFrom):
            for alias in statement.names:
                if (alias.asname or alias.name) == name:
                    suffix = f" as {alias.asname}" if alias.asname else ""
                    origin = _absolute(statement.module, statement.level, package)
                    return f"from {origin} import {alias.name}{suffix}"
    return None


def _absolute(module: str | None, level: int, package: str) -> str:
    if level == 0:
        return module or ""
    parts = package.split(".") if package else []
    base = parts[: len(parts) - (level - 1)] if level > 1 else parts
    return ".".join([*base, *([module] if module else [])]) or "." * level


def imports_for(
    annotation: str, source_code: str, target_code: str, package: str = ""
) -> list[str] | None:
    """Imports `target_code` needs to use `annotation` as `source_code` does.

    None when a name is neither imported by the source module nor bound in
    the target (a class defined in the source module, say).
    """
    missing = needed_names(annotation) - bound_names(target_code)
    statements = []
    for name in sorted(missing):
        statement = import_of(name, source_code, package)
        if statement is None:
            return None
        statements.append(statement)
    return statements


def add_imports(module: cst.Module, statements: list[str]) -> cst.Module:
    """`module` with `statements` after its last top-level import (or its docstring)."""
    if not statements:
        return module
    body = list(module.body)
    at = 0
    for index, statement in enumerate(body):
        if _is_import(statement) or (index == 0 and _is_docstring(statement)):
            at = index + 1
        elif isinstance(statement, cst.FunctionDef | cst.ClassDef):
            break
    new = [cst.parse_statement(text + "\n") for text in statements]
    if at == 0 and body:
        body[0] = _with_blank_line_before(body[0])
    return module.with_changes(body=[*body[:at], *new, *body[at:]])


def _with_blank_line_before(statement: cst.BaseStatement) -> cst.BaseStatement:
    if (
        isinstance(statement, cst.SimpleStatementLine | cst.FunctionDef | cst.ClassDef)
        and not statement.leading_lines
    ):
        blank = 1 if isinstance(statement, cst.SimpleStatementLine) else 2
        return statement.with_changes(leading_lines=[cst.EmptyLine()] * blank)
    return statement


def _is_import(statement: cst.CSTNode) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and any(
        isinstance(small, cst.Import | cst.ImportFrom) for small in statement.body
    )


def _is_docstring(statement: cst.CSTNode) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, cst.SimpleString | cst.ConcatenatedString)
    )
