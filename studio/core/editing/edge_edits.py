"""Connecting and disconnecting nodes: a parameter added to, or removed from, a function.

Connecting `source` to `target` adds `source` as a parameter of `target`,
annotated with `source`'s return type (and that type's import, when the
target's module lacks it). Disconnecting removes the parameter; when the
body still uses it the edit asks first (`ConfirmationNeededError`).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import libcst as cst

from studio.core.editing.annotation_imports import add_imports, imports_for
from studio.core.editing.dataflow_functions import (
    DataflowFunctions,
    FunctionSite,
    source_text,
)
from studio.core.editing.edit_plan import (
    ConfirmationNeededError,
    EditPlan,
    EditRefusedError,
    FileChange,
    read_bytes,
)
from studio.core.editing.signatures import add_parameter, remove_parameter


def plan_connect(functions: DataflowFunctions, source: str, target: str) -> EditPlan:
    """`target` taking `source` as a parameter typed as `source` returns, or a refusal.

    An external input has no function: its type is the one the functions taking it
    already give it."""
    targets = _editable(functions, target, "connect")
    if source == target:
        raise EditRefusedError(f"`{source}` cannot depend on itself")
    if any(source in site.parameters for site in targets):
        raise EditRefusedError(f"`{target}` already takes `{source}`")
    if target in functions.upstream(source):
        raise EditRefusedError(
            f"cannot connect `{source}` to `{target}`: `{source}` already depends on "
            f"`{target}`, so the graph would have a cycle"
        )
    if functions.is_input(source):
        written, user = functions.input_type(source)
        annotation, imports = annotation_for(user, targets[0].path, written) if user else (None, [])
        notes: tuple[str, ...] = (f"`{source}` is an input of the dataflow",)
    else:
        origin = _editable(functions, source, "connect")[0]
        written = origin.returns
        annotation, imports = annotation_for(origin, targets[0].path)
        notes = ()
    if annotation != written:
        notes += (f"annotated `{annotation}`",)
    change = rewrite_functions(
        targets[0].path,
        {site.function for site in targets},
        lambda function: add_parameter(function, source, annotation),
        imports,
    )
    return EditPlan(f"Connect {source} to {target}", (change,), notes)


def plan_disconnect(
    functions: DataflowFunctions, source: str, target: str, *, force: bool = False
) -> EditPlan:
    """`target` without its parameter `source`; asks first (`ConfirmationNeededError`) when
    the body reads it, unless `force`."""
    targets = _editable(functions, target, "disconnect")
    if not any(source in site.parameters for site in targets):
        raise EditRefusedError(f"`{target}` does not take `{source}`")
    uses = [
        f"{site.path.name}:{line}"
        for site in targets
        if source in site.parameters
        for line in uses_of(site, source)
    ]
    if uses and not force:
        raise ConfirmationNeededError(
            f"`{target}` still uses `{source}` ({', '.join(uses)}); removing the parameter "
            "leaves those lines failing"
        )
    change = rewrite_functions(
        targets[0].path,
        {site.function for site in targets if source in site.parameters},
        lambda function: remove_parameter(function, source),
    )
    return EditPlan(f"Disconnect {source} from {target}", (change,))


def annotation_for(
    origin: FunctionSite, into: Path, written: str | None = None
) -> tuple[str | None, list[str]]:
    """How to write a type `origin` writes (its return type unless `written`) in the module
    at `into`, and the imports it needs there."""
    written = written if written is not None else origin.returns
    if written is None:
        return None, []
    source_code = source_text(origin.path)
    target_code = source_text(into) if into.exists() else ""
    package = origin.module.rpartition(".")[0]
    imports = imports_for(written, source_code, target_code, package)
    if imports is not None:
        return written, imports
    return "typing.Any", imports_for("typing.Any", "import typing", target_code) or []


def rewrite_functions(
    path: Path,
    names: set[str],
    change: Callable[[cst.FunctionDef], cst.FunctionDef],
    imports: list[str] | None = None,
) -> FileChange:
    """The file with each top-level function in `names` changed, and `imports` added."""
    before = read_bytes(path)
    if before is None:
        raise EditRefusedError(f"{path.name} no longer exists")
    module = cst.parse_module(before)
    body = [
        change(s) if isinstance(s, cst.FunctionDef) and s.name.value in names else s
        for s in module.body
    ]
    module = add_imports(module.with_changes(body=body), imports or [])
    return FileChange(path, before, module.bytes)


def uses_of(site: FunctionSite, name: str) -> list[int]:
    """Lines of `site`'s body that read `name` (a nested function's own `name` aside)."""
    tree = ast.parse(source_text(site.path))
    for statement in tree.body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef) and (
            statement.name == site.function
        ):
            return sorted({line for part in statement.body for line in _reads(part, name)})
    return []


def _reads(tree: ast.AST, name: str) -> set[int]:
    if isinstance(tree, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) and binds(tree, name):
        return set()
    if isinstance(tree, ast.Name) and tree.id == name and isinstance(tree.ctx, ast.Load):
        return {tree.lineno}
    return {line for child in ast.iter_child_nodes(tree) for line in _reads(child, name)}


def binds(function: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda, name: str) -> bool:
    arguments = function.args
    every = (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)
    if any(a.arg == name for a in every):
        return True
    return any(
        isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store)
        for n in ast.walk(function)
    )


def _editable(functions: DataflowFunctions, node: str, verb: str) -> list[FunctionSite]:
    sites = functions.editable(node, verb)
    if len({site.path for site in sites}) > 1:
        raise EditRefusedError(f"cannot {verb}: `{node}` has variants in several modules")
    return sites
