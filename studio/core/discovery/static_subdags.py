"""`@subdag` and `@parameterized_subdag` read from source, as Hamilton builds them.

The functions of the modules (or the functions) a subdag names are expanded
under the subdag's config, their nodes renamed into the namespace (the
decorated function's name unless given), `inputs` become namespaced nodes
(`value(...)`: a constant, `source(...)`: a copy of that node) and the
decorated function the final node, fed by the namespaced nodes. A subdag of a
module outside the project (or not literal) is not expanded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from studio.core.discovery.static_decorators import Context, Decorator, NotExpandedError, expand
from studio.core.discovery.static_literals import ConfigSource, Reference, Source, Value
from studio.core.discovery.static_nodes import (
    NON_FINAL_TAG,
    Draft,
    FunctionSyntax,
    Where,
    base_draft,
    origin_name,
)


@dataclass(frozen=True, slots=True)
class ProjectFunction:
    """A function of the project, with what expanding it needs."""

    syntax: FunctionSyntax
    context: Context
    where: Where


Lookup = Callable[[str], list[ProjectFunction] | None]
"""A dotted name -> the project functions it stands for (a module's public
functions by name, or one function); None when it is not the project's."""


def subdag_expander(lookup: Lookup) -> Callable[..., list[Draft]]:
    def expand_subdag(
        decorator: Decorator, function: FunctionSyntax, name: str, context: Context
    ) -> list[Draft]:
        kw = decorator.keywords
        functions = _functions(decorator.positional, lookup, context)
        inputs = kw.get("inputs") or {}
        config = kw.get("config") or {}
        external = list(kw.get("external_inputs") or [])
        if decorator.kind == "subdag":
            return _subdag(
                functions,
                function,
                context,
                inputs,
                config,
                kw.get("namespace") or name,
                kw.get("final_node_name") or name,
                external,
            )
        parameterization = {
            k: v
            for k, v in kw.items()
            if k not in ("inputs", "config", "external_inputs", "load_from")
        }
        drafts: list[Draft] = []
        for key, given in parameterization.items():
            if not isinstance(given, dict):
                raise NotExpandedError("@parameterized_subdag with a parameterization not literal")
            drafts += _subdag(
                functions,
                function,
                context,
                {**inputs, **(given.get("inputs") or {})},
                {**config, **(given.get("config") or {})},
                key,
                key,
                list(given.get("external_inputs", external) or []),
            )
        return drafts

    return expand_subdag


def _functions(load_from: list[Any], lookup: Lookup, context: Context) -> list[ProjectFunction]:
    functions: list[ProjectFunction] = []
    for item in load_from:
        found = lookup(item.dotted) if isinstance(item, Reference) else None
        if found is None:
            where = getattr(item, "dotted", item)
            raise NotExpandedError(f"@subdag of {where}, not in the project")
        if any(f.where.module in context.seen for f in found):
            raise NotExpandedError("@subdag of a module that holds it")
        functions += found
    if not functions:
        raise NotExpandedError("@subdag of nothing read")
    return functions


def _subdag(
    functions: list[ProjectFunction],
    function: FunctionSyntax,
    context: Context,
    inputs: dict[str, Any],
    config: dict[str, Any],
    namespace: str,
    final_name: str,
    external: list[str],
) -> list[Draft]:
    if not all(isinstance(v, Value | Source) for v in inputs.values()):
        raise NotExpandedError("@subdag inputs need source(...) or value(...)")
    resolved = _config(context.config, config)
    inner: list[Draft] = []
    for found in functions:
        scope = replace(
            found.context,
            config=resolved,
            computed=context.computed,
            seen=context.seen | {context.module},
        )
        for draft in expand(found.syntax, scope):
            where = draft.where or replace(
                found.where, function=origin_name(found.syntax.name, draft)
            )
            inner.append(draft.copy(tags={**draft.tags, NON_FINAL_TAG: True}, where=where))
    renamed = {d.name: f"{namespace}.{d.name}" for d in inner}
    renamed.update({key: f"{namespace}.{key}" for key in (*inputs, *config)})
    drafts = [
        d.copy(
            name=renamed[d.name],
            dependencies={renamed.get(k, k): t for k, t in d.dependencies.items()},
            optional=frozenset(renamed.get(k, k) for k in d.optional),
        )
        for d in inner
    ]
    known = {k: t for d in drafts for k, t in d.dependencies.items()}
    for key, given in inputs.items():
        name = f"{namespace}.{key}"
        if isinstance(given, Value):
            drafts.append(Draft(name, type(given.value).__name__, {}, tags={NON_FINAL_TAG: True}))
        elif name in known:
            drafts.append(
                Draft(name, known[name], {given.name: known[name]}, tags={NON_FINAL_TAG: True})
            )
    for key, given in config.items():
        drafts.append(
            Draft(f"{namespace}.{key}", _type_name(given), {}, tags={NON_FINAL_TAG: True})
        )
    final = base_draft(function, final_name, context.module)
    drafts.append(
        final.copy(
            dependencies={
                (k if k in external else f"{namespace}.{k}"): t
                for k, t in final.dependencies.items()
            },
            optional=frozenset(k if k in external else f"{namespace}.{k}" for k in final.optional),
        )
    )
    return drafts


def _type_name(given: Any) -> str:
    """The type Hamilton gives a subdag's config node: the given object's."""
    if isinstance(given, Value):
        return "LiteralDependency"
    if isinstance(given, ConfigSource):
        return "ConfigDependency"
    return type(given).__name__


def _config(outer: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    """`_resolve_subdag_configuration`: the outer config, the subdag's over it."""
    plain = {k: v.value if isinstance(v, Value) else v for k, v in given.items()}
    resolved = dict(outer)
    resolved.update({k: v for k, v in plain.items() if not isinstance(v, ConfigSource)})
    for key, value in plain.items():
        if isinstance(value, ConfigSource):
            if value.name not in resolved:
                raise NotExpandedError(f"@subdag config takes {value.name}, not in the config")
            resolved[key] = resolved[value.name]
    return resolved
