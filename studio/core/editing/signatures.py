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
    closing = _closing(existing[-1]) if at == len(existing) and existing else None
    if closing is not None:
        existing[-1], new = _append_below(
            existing[-1], new, closing, _separator(function, existing)
        )
    elif at == len(existing) and existing:
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


def _closing(last: cst.Param) -> cst.ParenthesizedWhitespace | None:
    """The line break after the last parameter of a one-per-line signature (it may carry
    that parameter's comment), or None for a signature on one line."""
    if isinstance(last.comma, cst.Comma):
        after = last.comma.whitespace_after
    else:
        after = last.whitespace_after_param
    return after if isinstance(after, cst.ParenthesizedWhitespace) else None


def _append_below(
    last: cst.Param, new: cst.Param, closing: cst.ParenthesizedWhitespace, separator: cst.Comma
) -> tuple[cst.Param, cst.Param]:
    """`new` on a line of its own after `last`, whose comment stays on its own line."""
    indent = separator.whitespace_after
    indent_line = (
        indent.last_line
        if isinstance(indent, cst.ParenthesizedWhitespace)
        else cst.SimpleWhitespace("    ")
    )
    kept = closing.with_changes(last_line=indent_line)
    fresh = cst.ParenthesizedWhitespace(
        first_line=cst.TrailingWhitespace(), indent=closing.indent, last_line=closing.last_line
    )
    if isinstance(last.comma, cst.Comma):
        return (
            last.with_changes(comma=last.comma.with_changes(whitespace_after=kept)),
            new.with_changes(comma=cst.Comma(whitespace_after=fresh)),
        )
    return (
        last.with_changes(
            comma=cst.Comma(whitespace_after=kept), whitespace_after_param=cst.SimpleWhitespace("")
        ),
        new.with_changes(whitespace_after_param=fresh),
    )


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
            group[-1] = _last_again(group[-1], removed)
        changes[field_name] = group
    function = function.with_changes(params=parameters.with_changes(**changes))
    if not parameter_names(function) and not isinstance(function.params.star_arg, cst.Param):
        function = function.with_changes(whitespace_before_params=cst.SimpleWhitespace(""))
    return function


def _last_again(previous: cst.Param, removed: cst.Param) -> cst.Param:
    """`previous` as the last parameter, in `removed`'s layout, keeping its own comment."""
    closing = _closing(removed)
    kept = previous.comma.whitespace_after if isinstance(previous.comma, cst.Comma) else None
    if closing is None or not isinstance(kept, cst.ParenthesizedWhitespace):
        return previous.with_changes(
            comma=removed.comma, whitespace_after_param=removed.whitespace_after_param
        )
    line_break = kept.with_changes(last_line=closing.last_line)
    if isinstance(removed.comma, cst.Comma):
        return previous.with_changes(comma=previous.comma.with_changes(whitespace_after=line_break))
    return previous.with_changes(comma=cst.MaybeSentinel.DEFAULT, whitespace_after_param=line_break)


def parameters(function: cst.FunctionDef) -> list[cst.Param]:
    """The named parameters: positional-only, ordinary and keyword-only."""
    p = function.params
    return [*p.posonly_params, *p.params, *p.kwonly_params]


def parameter_names(function: cst.FunctionDef) -> list[str]:
    return [param.name.value for param in parameters(function)]


def _separator(function: cst.FunctionDef, existing: list[cst.Param]) -> cst.Comma:
    """The comma that separates two parameters in this signature's layout."""
    if len(existing) >= 2 and isinstance(existing[0].comma, cst.Comma):
        return existing[0].comma
    opening = function.whitespace_before_params
    if isinstance(opening, cst.ParenthesizedWhitespace):
        return cst.Comma(whitespace_after=opening)
    return cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
