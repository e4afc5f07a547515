"""`@pipe_input` (and the older `@pipe`) read from source, as Hamilton chains them.

Each `step(fn, ...)` whose config conditions hold becomes a node
`namespace.with_fn` (the decorated function's name is the namespace unless
another is given), fed by the previous one through the step function's first
parameter; the decorated function then takes the last step in place of its
own parameter. A step of a function the project does not define is not
expanded.
"""

from __future__ import annotations

import ast
from collections import Counter
from dataclasses import replace
from typing import Any

from studio.core.discovery.static_literals import Source, Step
from studio.core.discovery.static_nodes import (
    Draft,
    FunctionSyntax,
    optional_parameters,
    parameters,
    return_type,
)


class PipeError(Exception):
    """The pipe cannot be read from source; says why."""


def pipe_input(
    decorator_args: tuple[list[Any], dict[str, Any]],
    function: FunctionSyntax,
    name: str,
    drafts: list[Draft],
    find: Any,
    chosen: Any,
) -> list[Draft]:
    """The drafts with the steps injected. `find(dotted)` gives a step function's
    (syntax, module); `chosen(kind, pairs)` says whether a `.when...` condition holds."""
    transforms, keywords = decorator_args
    if keywords.get("collapse") or not all(isinstance(t, Step) for t in transforms):
        raise PipeError("@pipe_input with steps not read from source")
    made = {d.name for d in drafts}
    injectable = [dep for d in drafts for dep in d.dependencies if dep not in made]
    on_input = keywords.get("on_input")
    target = on_input if on_input in injectable else None
    if target is None:
        names = [p for p, _ in parameters(function)]
        if not names or names[0] not in injectable:
            raise PipeError("@pipe_input on a first parameter that is not an input")
        target = names[0]
    namespace = keywords.get("namespace", Ellipsis)
    steps, last = _chain(target, transforms, namespace, name, find, chosen)
    renamed = [
        d.copy(dependencies={last if k == target else k: t for k, t in d.dependencies.items()})
        for d in drafts
    ]
    return renamed + steps


def _chain(
    target: str, transforms: list[Step], namespace: Any, name: str, find: Any, chosen: Any
) -> tuple[list[Draft], str]:
    count: Counter[str] = Counter()
    drafts: list[Draft] = []
    current = target
    for step in transforms:
        if namespace is not Ellipsis:
            step = replace(step, namespace=namespace)
        if not all(chosen(f"config.{kind}", pairs) for kind, pairs in step.conditions):
            continue
        found = find(step.function.dotted)
        if found is None:
            raise PipeError(f"step({step.function.dotted}) is not a function of the project")
        syntax, module = found
        function_name = syntax.name
        postfix = f"_{count[function_name]}" if count[function_name] else ""
        underscore = "" if function_name.startswith("_") else "_"
        node_name = step.name or f"with{underscore}{function_name}{postfix}"
        space = (
            (name,)
            if step.namespace is Ellipsis
            else ((step.namespace,) if step.namespace is not None else ())
        )
        full = ".".join((*space, node_name))
        count[function_name] += 1
        drafts.append(_step_draft(syntax, module, full, current, step))
        current = full
    return drafts, current


def _step_draft(syntax: FunctionSyntax, module: str, name: str, chained: str, step: Step) -> Draft:
    params = parameters(syntax)
    bound: dict[str, Any] = {params[0][0]: Source(chained)} if params else {}
    for (parameter, _), given in zip(params[1:], step.args, strict=False):
        bound[parameter] = given
    bound.update(step.kwargs)
    dependencies: dict[str, str] = {}
    optional = optional_parameters(syntax)
    kept_optional: set[str] = set()
    for parameter, annotation in params:
        given = bound.get(parameter, _UNBOUND)
        if isinstance(given, Source):
            dependencies[given.name] = annotation
        elif given is _UNBOUND:
            dependencies[parameter] = annotation
            if parameter in optional:
                kept_optional.add(parameter)
        # else `value(...)` or a plain literal: no dependency
    return Draft(
        name,
        return_type(syntax),
        dependencies,
        frozenset(kept_optional),
        tags={"module": module},
        doc=ast.get_docstring(syntax) or "",
    )


_UNBOUND = object()
