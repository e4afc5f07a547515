"""Adding and removing one parameter of a function, in the function's own layout.

A signature written one parameter per line gets the new parameter on its
own line, with the trailing comma kept as it was; a one-line signature
stays on one line.
"""

from __future__ import annotations

import libcst as cst


def add_parameter(function: cst.FunctionDef, name: str, annotation: str | None) -> cst.FunctionDef:
    """`function` with `name: annotation` after its last parameter without a default."""
    parameters = function.params
    existing = list(parameters.params)
    new = cst.Param(
        name=cst.Name(name),
        annotation=cst.Annotation(cst.parse_expression(annotation)) if annotation else None,
    )
    at = next((i for i, p in enumerate(existing) if p.default is not None), len(existing))
    if at == len(existing) and existing:
        last = existing[-1]
        new = new.with_changes(comma=last.comma, whitespace_after_param=last.whitespace_after_param)
        existing[-1] = last.with_changes(
            comma=_separator(function, existing),
            whitespace_after_param=existing[0].whitespace_after_param
            if len(existing) > 1
            else cst.SimpleWhitespace(""),
        )
    elif existing:
        new = new.with_changes(comma=_separator(function, existing))
    existing.insert(at, new)
    return function.with_changes(params=parameters.with_changes(params=existing))


def remove_parameter(function: cst.FunctionDef, name: str) -> cst.FunctionDef:
    """`function` without its parameter `name` (positional or keyword-only)."""
    parameters = function.params
    changes: dict[str, list[cst.Param]] = {}
    for field_name in ("posonly_params", "params", "kwonly_params"):
        group = list(getattr(parameters, field_name))
        names = [p.name.value for p in group]
        if name not in names:
            continue
        at = names.index(name)
        removed = group.pop(at)
        if at == len(group) and group:
            group[-1] = group[-1].with_changes(
                comma=removed.comma, whitespace_after_param=removed.whitespace_after_param
            )
        changes[field_name] = group
    function = function.with_changes(params=parameters.with_changes(**changes))
    if not parameter_names(function) and not isinstance(function.params.star_arg, cst.Param):
        function = function.with_changes(whitespace_before_params=cst.SimpleWhitespace(""))
    return function


def parameter_names(function: cst.FunctionDef) -> list[str]:
    p = function.params
    return [param.name.value for param in (*p.posonly_params, *p.params, *p.kwonly_params)]


def _separator(function: cst.FunctionDef, existing: list[cst.Param]) -> cst.Comma:
    """The comma that separates two parameters in this signature's layout."""
    if len(existing) >= 2 and isinstance(existing[0].comma, cst.Comma):
        return existing[0].comma
    opening = function.whitespace_before_params
    if isinstance(opening, cst.ParenthesizedWhitespace):
        return cst.Comma(whitespace_after=opening)
    return cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
