"""The nodes one function makes, as plain data, for the graph read from source.

A `Draft` is what Hamilton's `node.Node` is to its decorators: a name, a
type, dependencies and tags, which the decorators of `static_decorators`
rename, copy and multiply as Hamilton's own do. `base_draft` is the node a
function makes with no decorator (`Node.from_fn`).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field, replace
from typing import Any

from studio.core.discovery.type_names import short_type_name

NON_FINAL_TAG = "hamilton.non_final_node"
CONFIG_TAG = "hamilton.config"

FunctionSyntax = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True, slots=True)
class Where:
    """The function a node comes from: Hamilton's first originating function."""

    module: str
    file: str
    function: str
    """Its name as Hamilton sees it (`@config.when` strips `__suffix`)."""
    line: int
    decorators: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Draft:
    name: str
    type: str
    dependencies: dict[str, str]
    """Dependency -> its type as the function annotates it ("" when unknown)."""
    optional: frozenset[str] = frozenset()
    tags: dict[str, Any] = field(default_factory=dict)
    doc: str = ""
    where: Where | None = None
    """The function it comes from; None until the decorated function is known
    (a subdag's inner nodes keep their own)."""

    def copy(self, **changes: Any) -> Draft:
        return replace(self, **changes)


def parameters(function: FunctionSyntax) -> list[tuple[str, str]]:
    arguments = function.args
    return [
        (a.arg, short_type_name(ast.unparse(a.annotation)) if a.annotation is not None else "")
        for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)
    ]


def optional_parameters(function: FunctionSyntax) -> frozenset[str]:
    arguments = function.args
    positional = [a.arg for a in (*arguments.posonlyargs, *arguments.args)]
    defaults = len(arguments.defaults)
    optional = positional[len(positional) - defaults :] if defaults else []
    optional += [
        a.arg
        for a, default in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True)
        if default is not None
    ]
    return frozenset(optional)


def return_type(function: FunctionSyntax) -> str:
    return short_type_name(ast.unparse(function.returns)) if function.returns else "?"


def base_draft(function: FunctionSyntax, name: str, module: str) -> Draft:
    """`Node.from_fn`: the function's own node, under `name`."""
    return Draft(
        name=name,
        type=return_type(function),
        dependencies=dict(parameters(function)),
        optional=optional_parameters(function),
        tags={"module": module},
        doc=ast.get_docstring(function) or "",
    )


def final_drafts(drafts: list[Draft]) -> list[Draft]:
    """Hamilton's "final" nodes of a function: those no other of them depends on."""
    used = {d for draft in drafts for d in draft.dependencies}
    return [d for d in drafts if d.name not in used and not d.tags.get(NON_FINAL_TAG)]


def select(target: Any, drafts: list[Draft]) -> list[Draft] | None:
    """The drafts a decorator's `target_` names (None: it names one that is not there)."""
    if target is None:
        return final_drafts(drafts)
    if target is Ellipsis:
        return list(drafts)
    names = {target} if isinstance(target, str) else set(target)
    chosen = [d for d in drafts if d.name in names]
    return chosen if len({d.name for d in chosen}) == len(names) else None


def origin_name(function: str, draft: Draft) -> str:
    """The function's name as Hamilton leaves it on the node: `@config.when`
    renames the function itself, stripping its `__suffix`."""
    if CONFIG_TAG in draft.tags:
        at = function.rfind("__")
        return function[:at] if at != -1 else function
    return function
