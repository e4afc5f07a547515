"""Renaming a node: its function, every parameter that refers to it, and the scripts' strings.

In each dataflow module the function (and its `@config.when` variants) is
renamed, with the calls to it; every function that takes the node as a
parameter gets the parameter and its uses in the body renamed (scope
aware: a local of the same name elsewhere is left alone); `source("old")`
in decorators follows. In the driver scripts, string literals naming the
node in a list or a call (`final_vars`, `execute([...])`) follow too.
"""

from __future__ import annotations

import ast
import builtins
from pathlib import Path

import libcst as cst
from libcst.metadata import MetadataWrapper, ScopeProvider

from studio.core.discovery.module_reader import import_bindings
from studio.core.editing.annotation_imports import bound_names
from studio.core.editing.dataflow_functions import (
    DataflowFunctions,
    FunctionSite,
    is_node_name,
    source_text,
)
from studio.core.editing.edit_plan import EditPlan, EditRefusedError, FileChange, read_bytes
from studio.core.editing.signatures import parameter_names, parameters

_BUILTINS = frozenset(dir(builtins))


def plan_rename(functions: DataflowFunctions, scripts: list[Path], old: str, new: str) -> EditPlan:
    """Node `old` renamed `new` everywhere the dataflow and its scripts name it, or a refusal."""
    sites = functions.editable(old, "rename")
    if not is_node_name(new):
        raise EditRefusedError(f"`{new}` cannot name a node: use a public Python identifier")
    if new == old:
        raise EditRefusedError(f"`{old}` already has that name")
    if old in functions.subdag_inputs:
        inner = functions.subdag_inputs[old].name
        raise EditRefusedError(
            f"cannot rename `{old}`: the @subdag module {inner} takes it as an input too; "
            f"rename it there first"
        )
    if functions.taken(new):
        raise EditRefusedError(f"cannot rename `{old}` to `{new}`: a node named `{new}` exists")
    if new in _BUILTINS:
        raise EditRefusedError(f"cannot rename `{old}` to `{new}`: that is a Python builtin")
    for path in sorted(set(functions.module_files.values())):
        if new in bound_names(source_text(path)):
            raise EditRefusedError(
                f"cannot rename `{old}` to `{new}`: {path.name} already defines or imports `{new}`"
            )
    if any(new in site.parameters for site in functions.sites):
        raise EditRefusedError(
            f"cannot rename `{old}` to `{new}`: `{new}` is an input of the dataflow, and the "
            "two would become one node"
        )
    for path, line in _imported_elsewhere(functions, sites):
        raise EditRefusedError(
            f"cannot rename `{old}`: {path.name}:{line} imports its function by name; "
            "rename it there by hand, or remove that import first"
        )
    renamed = {site.function: _renamed_function(site, new) for site in sites}
    changes: list[FileChange] = []
    for path in sorted(set(functions.module_files.values())):
        before = read_bytes(path)
        if before is None:
            continue
        module = cst.parse_module(before)
        owned = {site.function for site in sites if site.path == path}
        nodes = {site.function for site in functions.sites if site.path == path}
        after = _rename_in_module(module, old, new, {f: renamed[f] for f in owned}, path, nodes)
        if after.bytes != before:
            changes.append(FileChange(path, before, after.bytes))
    for path in scripts:
        before = read_bytes(path)
        if before is None:
            continue
        after = cst.parse_module(before).visit(_StringRenamer(old, new, calls=None))
        if after.bytes != before:
            changes.append(FileChange(path, before, after.bytes))
    return EditPlan(f"Rename {old} to {new}", tuple(changes))


def _imported_elsewhere(
    functions: DataflowFunctions, sites: list[FunctionSite]
) -> list[tuple[Path, int]]:
    """Where another module imports the functions (`from one import a`, `one.a`)."""
    wanted = {f"{site.module}.{site.function}" for site in sites}
    modules = {site.module for site in sites}
    names = {site.function for site in sites}
    found = []
    for module, path in functions.module_files.items():
        if module in modules:
            continue
        tree = ast.parse(source_text(path))
        bindings = import_bindings(tree, module.rpartition(".")[0])
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.ImportFrom)
                and any(bindings.get(alias.asname or alias.name) in wanted for alias in node.names)
            ) or (
                isinstance(node, ast.Attribute)
                and node.attr in names
                and isinstance(node.value, ast.Name)
                and bindings.get(node.value.id) in modules
            ):
                found.append((path, node.lineno))
    return found


def _renamed_function(site: FunctionSite, new: str) -> str:
    suffix = site.function[len(site.node) :]
    return new + suffix


def _rename_in_module(
    module: cst.Module,
    old: str,
    new: str,
    functions: dict[str, str],
    path: Path,
    node_functions: set[str],
) -> cst.Module:
    """The module with `old` renamed: its function, and the parameter of every node function
    (a helper's parameter of the same name is not an edge), with keyword arguments in calls."""
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    scopes = wrapper.resolve(ScopeProvider)
    targets: dict[cst.CSTNode, str] = {}
    global_scope = scopes[module]
    for name, new_name in functions.items():
        for assignment in global_scope[name]:
            if isinstance(assignment.node, cst.FunctionDef):
                targets[assignment.node.name] = new_name
            for reference in assignment.references:
                if isinstance(reference.node, cst.Name):
                    targets[reference.node] = new_name
    takers: set[str] = set()
    for statement in module.body:
        if not isinstance(statement, cst.FunctionDef) or old not in parameter_names(statement):
            continue
        if statement.name.value not in node_functions:
            continue
        takers.add(statement.name.value)
        param = next(p for p in parameters(statement) if p.name.value == old)
        scope = scopes[param.name]
        if scope is None:
            continue
        if scope.accesses[new] or scope.assignments[new]:
            raise EditRefusedError(
                f"cannot rename: `{statement.name.value}` ({path.name}) already uses the name "
                f"`{new}`"
            )
        targets[param.name] = new
        for assignment in scope[old]:
            for reference in assignment.references:
                if isinstance(reference.node, cst.Name):
                    targets[reference.node] = new
    renamed = module.visit(_NameRenamer(targets, takers, old, new))
    return renamed.visit(_StringRenamer(old, new, calls=frozenset({"source"})))


class _NameRenamer(cst.CSTTransformer):
    """Names found by scope analysis, and `old=` keywords in calls to the functions taking it."""

    def __init__(
        self, targets: dict[cst.CSTNode, str], takers: set[str], old: str, new: str
    ) -> None:
        super().__init__()
        self.targets = targets
        self.takers, self.old, self.new = takers, old, new

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:  # noqa: N802
        func = original_node.func
        if not (isinstance(func, cst.Name) and func.value in self.takers):
            return updated_node
        args = [
            a.with_changes(keyword=cst.Name(self.new))
            if a.keyword is not None and a.keyword.value == self.old
            else a
            for a in updated_node.args
        ]
        return updated_node.with_changes(args=args)

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:  # noqa: N802
        new = self.targets.get(original_node)
        return updated_node if new is None else updated_node.with_changes(value=new)


class _StringRenamer(cst.CSTTransformer):
    """String literals equal to the old name: in lists and call arguments, or in named calls."""

    def __init__(self, old: str, new: str, calls: frozenset[str] | None) -> None:
        super().__init__()
        self.old, self.new, self.calls = old, new, calls

    def _renamed(self, value: cst.BaseExpression) -> cst.BaseExpression:
        if isinstance(value, cst.SimpleString) and value.evaluated_value == self.old:
            return value.with_changes(value=f"{value.prefix}{value.quote}{self.new}{value.quote}")
        return value

    def leave_Element(self, original_node: cst.Element, updated_node: cst.Element) -> cst.Element:  # noqa: N802
        if self.calls is not None:
            return updated_node
        return updated_node.with_changes(value=self._renamed(updated_node.value))

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:  # noqa: N802
        func = updated_node.func
        name = func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", None)
        if self.calls is not None and name not in self.calls:
            return updated_node
        args = [a.with_changes(value=self._renamed(a.value)) for a in updated_node.args]
        if self.calls is None:
            args = [self._renamed_keys(a) if _keyword(a) in _NODE_KEYED else a for a in args]
        return updated_node.with_changes(args=args)

    def _renamed_keys(self, arg: cst.Arg) -> cst.Arg:
        """`overrides={"old": ...}`: the keys name nodes too."""
        if not isinstance(arg.value, cst.Dict):
            return arg
        elements = [
            e.with_changes(key=self._renamed(e.key)) if isinstance(e, cst.DictElement) else e
            for e in arg.value.elements
        ]
        return arg.with_changes(value=arg.value.with_changes(elements=elements))


_NODE_KEYED = frozenset({"overrides"})
"""Keyword arguments of `execute` whose dict keys are node names."""


def _keyword(arg: cst.Arg) -> str | None:
    return arg.keyword.value if arg.keyword is not None else None
