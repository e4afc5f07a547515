"""Adding a node (a typed stub function) and removing one (its function)."""

from __future__ import annotations

import ast
from collections.abc import Collection, Mapping
from typing import Any

import libcst as cst

from studio.core.editing.annotation_imports import add_imports, imports_for, needed_names
from studio.core.editing.dataflow_functions import (
    DataflowFunctions,
    FunctionSite,
    is_node_name,
    not_a_function,
    source_text,
)
from studio.core.editing.edge_edits import annotation_for
from studio.core.editing.edge_edits import binds as _binds
from studio.core.editing.edit_plan import EditPlan, EditRefusedError, FileChange, read_bytes


def plan_add(
    functions: DataflowFunctions,
    name: str,
    uses: list[str],
    module: str | None = None,
    returns: str | None = None,
) -> EditPlan:
    """A stub function `name` taking `uses`, in `module` (by default the first use's)."""
    if not is_node_name(name):
        raise EditRefusedError(f"`{name}` cannot name a node: use a public Python identifier")
    if functions.taken(name):
        raise EditRefusedError(f"a node named `{name}` already exists")
    upstream: list[FunctionSite] = []
    for use in dict.fromkeys(uses):
        sites = functions.sites_of(use)
        if not sites:
            raise EditRefusedError(f"cannot use `{use}`: {not_a_function(functions, use)}")
        upstream.append(sites[0])
    module = module or (upstream[0].module if upstream else _first_module(functions))
    path = functions.module_files.get(module)
    if path is None:
        known = ", ".join(sorted(functions.module_files))
        raise EditRefusedError(f"`{module}` is not a module of this dataflow (modules: {known})")
    before = read_bytes(path)
    if before is None:
        raise EditRefusedError(f"{path.name} no longer exists")
    target_code = source_text(path)
    parameters: list[str] = []
    imports: list[str] = []
    for site in upstream:
        annotation, needed = annotation_for(site, path)
        parameters.append(f"{site.node}: {annotation}" if annotation else site.node)
        imports += needed
    returns = returns or (upstream[0].returns if upstream else None) or "typing.Any"
    imports += _imports_for_type(functions, returns, target_code)
    stub = _stub(name, parameters, returns, [site.node for site in upstream])
    tree = cst.parse_module(before)
    body = list(tree.body)
    variants = {s.function for site in upstream for s in functions.sites_of(site.node)}
    at = _insertion_point(body, {f for f in variants if functions.module_files.get(module) == path})
    body.insert(at, stub)
    after = add_imports(tree.with_changes(body=body), list(dict.fromkeys(imports)))
    return EditPlan(f"Add node {name}", (FileChange(path, before, after.bytes),))


def plan_remove(
    functions: DataflowFunctions,
    name: str,
    outputs: tuple[str, ...] = (),
    variants: Collection[str] | None = None,
    config: Mapping[str, Any] | None = None,
) -> EditPlan:
    """Remove the function that makes `name`; the notes say what depended on it.

    Of `@config.when` variants only one goes: the function named in `variants` (the one
    the loaded graph took), else the one `config` chooses; when neither tells, every
    variant goes, and the notes name each."""
    every = functions.editable(name, "remove")
    sites = _variants_to_remove(every, variants, config)
    changes = []
    for path in sorted({site.path for site in sites}):
        before = read_bytes(path)
        if before is None:
            raise EditRefusedError(f"{path.name} no longer exists")
        tree = cst.parse_module(before)
        doomed = {site.function for site in sites if site.path == path}
        uses = _uses_by_name(source_text(path), doomed)
        if uses:
            lines = ", ".join(f"{path.name}:{line}" for line in uses)
            raise EditRefusedError(
                f"cannot remove `{name}`: its function is used by name ({lines}); "
                "change those lines first"
            )
        changes.append(FileChange(path, before, _without(tree, doomed).bytes))
    notes = _variant_notes(every, sites) + dependents_notes(functions, name, outputs)
    if len(sites) < len(every):
        summary = f"Remove {sites[0].function}, the variant of {name} the config chooses"
    else:
        summary = f"Remove node {name}"
    return EditPlan(summary, tuple(changes), notes)


def _variants_to_remove(
    sites: list[FunctionSite], variants: Collection[str] | None, config: Mapping[str, Any] | None
) -> list[FunctionSite]:
    if len(sites) < 2:
        return sites
    if variants:
        named = [site for site in sites if site.function in variants]
        if named:
            return named
    if config is not None:
        chosen = [site for site in sites if site.chosen_under(config) is True]
        if len(chosen) == 1:
            return chosen
    return sites


def _variant_notes(every: list[FunctionSite], going: list[FunctionSite]) -> tuple[str, ...]:
    """Which `@config.when` variants go and which stay, by function and line."""
    if len(every) < 2:
        return ()

    def named(sites: list[FunctionSite]) -> str:
        return ", ".join(f"`{s.function}` ({s.path.name}:{s.line})" for s in sites)

    if len(going) == len(every):
        return (f"every variant goes: {named(going)}",)
    staying = [site for site in every if site not in going]
    verb = "stays" if len(staying) == 1 else "stay"
    return (f"only the variant {named(going)} goes; {named(staying)} {verb}",)


def _uses_by_name(code: str, functions: set[str]) -> list[int]:
    """Lines outside the functions themselves that read their names (calls, aliases)."""
    lines: set[int] = set()
    pending: list[ast.AST] = [
        s
        for s in ast.parse(code).body
        if not (isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef) and s.name in functions)
    ]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) and any(
            _binds(node, name) for name in functions
        ):
            continue  # a parameter or local of that name hides the function there
        if isinstance(node, ast.Name) and node.id in functions and isinstance(node.ctx, ast.Load):
            lines.add(node.lineno)
        pending.extend(ast.iter_child_nodes(node))
    return sorted(lines)


def _without(module: cst.Module, doomed: set[str]) -> cst.Module:
    """`module` without the functions in `doomed`; only the comments right above a removed
    function go with it, a comment set apart by a blank line (a section title) stays."""
    body: list[cst.BaseStatement] = []
    carried: list[cst.EmptyLine] = []
    for statement in module.body:
        if isinstance(statement, cst.FunctionDef) and statement.name.value in doomed:
            carried += _apart_comments(list(statement.leading_lines))
            continue
        if carried and hasattr(statement, "leading_lines"):
            statement = statement.with_changes(
                leading_lines=[*carried, *statement.leading_lines]  # type: ignore[attr-defined]
            )
            carried = []
        body.append(statement)
    footer = [*carried, *module.footer] if carried else module.footer
    return module.with_changes(body=body, footer=footer)


def _apart_comments(lines: list[cst.EmptyLine]) -> list[cst.EmptyLine]:
    """The leading lines up to the last comment that a blank line separates from the def."""
    attached = 0
    while attached < len(lines) and lines[len(lines) - 1 - attached].comment is not None:
        attached += 1
    rest = lines[: len(lines) - attached]
    last = max((i for i, line in enumerate(rest) if line.comment is not None), default=-1)
    return rest[: last + 1]


def dependents_notes(
    functions: DataflowFunctions, name: str, outputs: tuple[str, ...] = ()
) -> tuple[str, ...]:
    """What removing `name` leaves behind: its users then need it as an input."""
    notes = []
    users = sorted({site.node for site in functions.users(name)})
    if users:
        listed = ", ".join(f"`{user}`" for user in users)
        verb = "takes" if len(users) == 1 else "take"
        notes.append(f"{listed} then {verb} `{name}` as an input")
    if name in outputs:
        notes.append(f"the driver script still asks for `{name}`")
    if name in functions.subdag_inputs:
        notes.append(f"the @subdag module {functions.subdag_inputs[name].name} still takes it")
    return tuple(notes)


def _stub(name: str, parameters: list[str], returns: str, uses: list[str]) -> cst.FunctionDef:
    about = f" from {', '.join(uses)}" if uses else ""
    text = (
        f"def {name}({', '.join(parameters)}) -> {returns}:\n"
        f'    """TODO: what `{name}` computes{about}."""\n'
        f'    raise NotImplementedError("`{name}` is a new node: write its code")\n'
    )
    statement = cst.parse_statement(text)
    assert isinstance(statement, cst.FunctionDef)
    return statement.with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine()])


def _insertion_point(body: list[cst.BaseStatement], after: set[str]) -> int:
    """After the last of the upstream functions, else before a trailing `__main__` block."""
    positions = [
        i for i, s in enumerate(body) if isinstance(s, cst.FunctionDef) and s.name.value in after
    ]
    if positions:
        return positions[-1] + 1
    at = len(body)
    while at and isinstance(body[at - 1], cst.If):
        at -= 1
    return at


def _imports_for_type(functions: DataflowFunctions, returns: str, target_code: str) -> list[str]:
    try:
        cst.parse_expression(returns)
    except cst.ParserSyntaxError as error:
        raise EditRefusedError(f"`{returns}` is not a Python type expression") from error
    if returns == "typing.Any":
        return imports_for(returns, "import typing", target_code) or []
    if not needed_names(returns):
        return []
    for path in functions.module_files.values():
        found = imports_for(returns, source_text(path), target_code)
        if found is not None:
            return found
    raise EditRefusedError(
        f"`{returns}` names something no module of the dataflow imports; import it first"
    )


def _first_module(functions: DataflowFunctions) -> str:
    if not functions.module_files:
        raise EditRefusedError("the dataflow has no module to add a node to")
    return next(iter(functions.module_files))
