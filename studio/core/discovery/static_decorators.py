"""Hamilton's decorators applied to a function read from source, nothing run.

`expand` gives the nodes a function makes, named as Hamilton names them, by
following Hamilton's own order (`function_modifiers.base.resolve_nodes`):
resolvers (`@config.when...`), the node creator (`@subdag`, `@does` or the
function itself), the expander (`@parameterize...`), transformers
(`@extract_columns`, `@extract_fields`, `@check_output`), then decorators
(`@tag`, `@schema.output`, `@cache`). A decorator it does not know, or whose
arguments are not literal, raises `NotExpandedError`: the caller draws the
function as one node, so no node, input or edge is guessed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from studio.core.discovery.static_decorator_reading import (
    CREATORS,
    DECORATORS,
    EXPANDERS,
    INJECTORS,
    RESOLVERS,
    TRANSFORMERS,
    Decorator,
    NotExpandedError,
    read_decorators,
)
from studio.core.discovery.static_literals import (
    Extract,
    Group,
    Literals,
    Source,
    Value,
)
from studio.core.discovery.static_nodes import (
    CONFIG_TAG,
    Draft,
    FunctionSyntax,
    base_draft,
    select,
)
from studio.core.discovery.static_pipes import PipeError, pipe_input

# `@check_output` argument -> its validator (`{arg}_validator`, as Hamilton's defaults name them).
CHECK_ARGUMENTS = {
    "range",
    "values_in",
    "max_fraction_nans",
    "allow_nans",
    "data_type",
    "max_standard_dev",
    "mean_in_range",
    "allow_none",
    "contains",
    "does_not_contain",
    "schema",
}
VALIDATOR_NAMES = {"schema": "pandera_schema_validator"}
VALIDATOR_TAG = "hamilton.data_quality.contains_dq_results"
VALIDATED_TAG = "hamilton.data_quality.source_node"
SCHEMA_TAG = "hamilton.internal.schema_output"
PLACEHOLDER = "__<function_name>"


@dataclass(slots=True)
class Context:
    """What expanding one module's functions needs."""

    module: str
    literals: Literals
    config: dict[str, Any]
    computed: frozenset[str] = frozenset()
    """Config keys the driver script computes: a variant chosen by one is unknown."""
    subdags: Callable[[Decorator, FunctionSyntax, str, Context], list[Draft]] | None = None
    """Expands `@subdag`/`@parameterized_subdag` (see `static_subdags`)."""
    find: Callable[[str], tuple[FunctionSyntax, str] | None] | None = None
    """A dotted name -> the project's function it names and its module (for `step`)."""
    seen: frozenset[str] = field(default_factory=frozenset)
    """Modules a subdag is being read from, against a subdag of itself."""


def expand(function: FunctionSyntax, context: Context) -> list[Draft]:
    """The nodes `function` makes under the context's config (none when a
    `@config.when` leaves it out), or NotExpandedError."""
    decorators = read_decorators(function, context.literals)
    name = function.name
    config_used: list[str] | None = None
    for decorator in decorators:
        if decorator.kind in RESOLVERS:
            chosen, used = _resolve(decorator, context)
            if not chosen:
                return []
            config_used = used
            target = decorator.keywords.get("name")
            name = target if isinstance(target, str) else _strip_suffix(function.name)
    unread = [d for d in decorators if d.kind == "?"]
    if unread:
        raise NotExpandedError(unread[0].positional[0], name)
    creators = [d for d in decorators if d.kind in CREATORS]
    if len(creators) > 1:
        raise NotExpandedError("more than one node creator")
    drafts = _create(function, name, creators[0] if creators else None, context)
    if config_used is not None:
        tag = ",".join(config_used)
        drafts = [d.copy(tags={**d.tags, CONFIG_TAG: tag}) for d in drafts]
    for decorator in decorators:
        if decorator.kind in INJECTORS:
            drafts = _inject(decorator, function, name, drafts, context)
    expanders = [d for d in decorators if d.kind in EXPANDERS]
    if len(expanders) > 1:
        raise NotExpandedError("more than one parameterization")
    if expanders:
        if len(drafts) != 1:
            raise NotExpandedError(f"@{expanders[0].kind} on more than one node")
        drafts = _expand(expanders[0], drafts[0], name)
    for decorator in decorators:
        if decorator.kind in TRANSFORMERS:
            drafts = _transform(decorator, drafts)
    for decorator in decorators:
        if decorator.kind in DECORATORS:
            drafts = _decorate(decorator, drafts)
    return drafts


def _strip_suffix(name: str) -> str:
    """`base.sanitize_function_name`: the part before the last `__`."""
    at = name.rfind("__")
    return name[:at] if at != -1 else name


def _resolve(decorator: Decorator, context: Context) -> tuple[bool, list[str]]:
    pairs = {k: v for k, v in decorator.keywords.items() if k != "name"}
    if decorator.positional:
        raise NotExpandedError(f"@{decorator.kind} with positional arguments")
    return chosen(decorator.kind, pairs, context), list(pairs)


def chosen(kind: str, pairs: dict[str, Any], context: Context) -> bool:
    """Whether `@config.when...(**pairs)` keeps its function under the context's config."""
    computed = sorted(set(pairs) & context.computed)
    if computed:
        raise NotExpandedError(f"@{kind} on config the script computes: {computed[0]}")
    config = context.config
    try:
        if kind == "config.when":
            return all(v == config.get(k) for k, v in pairs.items())
        if kind == "config.when_not":
            return all(v != config.get(k) for k, v in pairs.items())
        if kind == "config.when_in":
            return all(config.get(k) in v for k, v in pairs.items())
        return all(config.get(k) not in v for k, v in pairs.items())
    except TypeError:
        raise NotExpandedError(f"@{kind} with values that are not lists") from None


def _inject(
    decorator: Decorator,
    function: FunctionSyntax,
    name: str,
    drafts: list[Draft],
    context: Context,
) -> list[Draft]:
    if context.find is None:
        raise NotExpandedError(f"@{decorator.kind} is not read from source here")
    try:
        return pipe_input(
            (decorator.positional, decorator.keywords),
            function,
            name,
            drafts,
            context.find,
            lambda kind, pairs: chosen(kind, pairs, context),
        )
    except PipeError as error:
        raise NotExpandedError(str(error)) from None


def _create(
    function: FunctionSyntax, name: str, creator: Decorator | None, context: Context
) -> list[Draft]:
    if creator is None or creator.kind == "does":
        return [base_draft(function, name, context.module)]
    if context.subdags is None:
        raise NotExpandedError(f"@{creator.kind} is not read from source here")
    return context.subdags(creator, function, name, context)


# -- @parameterize and its family ----------------------------------------------------------------


def _expand(decorator: Decorator, draft: Draft, name: str) -> list[Draft]:
    kind, args, kw = decorator.kind, decorator.positional, decorator.keywords
    try:
        if kind == "parameterize":
            return _parameterize(draft, name, kw)
        if kind in ("parameterize_values", "parametrized"):
            parameter = kw.get("parameter", args[0] if args else None)
            outputs = kw.get("assigned_output", args[1] if len(args) > 1 else None)
            return _parameterize(
                draft,
                name,
                {out: ({parameter: Value(v)}, doc) for (out, doc), v in outputs.items()},
            )
        if kind in ("parameterize_sources", "parameterized_inputs"):
            return _parameterize(
                draft,
                name,
                {out: {p: Source(s) for p, s in mapping.items()} for out, mapping in kw.items()},
            )
        if kind == "parametrized_input":
            parameter = kw.get("parameter", args[0] if args else None)
            inputs = kw.get("variable_inputs", args[1] if len(args) > 1 else None)
            return _parameterize(
                draft,
                name,
                {out: ({parameter: Source(src)}, doc) for src, (out, doc) in inputs.items()},
            )
        if kind == "inject":
            return _parameterize(draft, name, {PLACEHOLDER: kw})
        return _parameterize_extract(draft, name, args)
    except (AttributeError, TypeError, ValueError, IndexError) as error:
        raise NotExpandedError(f"@{kind}: arguments not understood ({error})") from None


def _parameterize(draft: Draft, name: str, assignments: dict[str, Any]) -> list[Draft]:
    drafts = []
    for output, assigned in assignments.items():
        mapping, doc = assigned if isinstance(assigned, tuple) else (assigned, None)
        if not isinstance(mapping, dict) or not all(
            isinstance(v, Value | Source | Group) for v in mapping.values()
        ):
            raise NotExpandedError("@parameterize without source(...) or value(...)")
        dependencies: dict[str, str] = {}
        optional: set[str] = set()
        for parameter, annotation in draft.dependencies.items():
            given = mapping.get(parameter)
            if isinstance(given, Value):
                continue
            if isinstance(given, Group):
                items = given.items.values() if isinstance(given.items, dict) else given.items
                for item in items:
                    if isinstance(item, Source):
                        dependencies[item.name] = _element_type(annotation)
                continue
            renamed = given.name if isinstance(given, Source) else parameter
            dependencies[renamed] = annotation
            if parameter in draft.optional:
                optional.add(renamed)
        node_name = name if output == PLACEHOLDER else output
        drafts.append(
            draft.copy(
                name=node_name,
                dependencies=dependencies,
                optional=frozenset(optional),
                doc=doc if isinstance(doc, str) else _format_doc(draft.doc, node_name, mapping),
            )
        )
    return drafts


def _element_type(annotation: str) -> str:
    """`list[int]` -> `int`; `dict[str, int]` -> `int` (a group's items)."""
    if annotation.endswith("]") and "[" in annotation:
        inner = annotation[annotation.index("[") + 1 : -1]
        return inner.rpartition(",")[2].strip()
    return ""


def _format_doc(doc: str, output: str, mapping: dict[str, Any]) -> str:
    values = {"output_name": output}
    for parameter, given in mapping.items():
        if isinstance(given, Source):
            values[parameter] = given.name
        elif isinstance(given, Value):
            values[parameter] = given.value

    class _Identity(dict[str, Any]):
        def __missing__(self, key: str) -> str:
            return key

    try:
        return doc.format_map(_Identity(values))
    except (ValueError, IndexError, AttributeError, KeyError):
        return doc


def _parameterize_extract(draft: Draft, name: str, extracts: list[Any]) -> list[Draft]:
    drafts: list[Draft] = []
    for index, extract in enumerate(extracts):
        if not isinstance(extract, Extract):
            raise NotExpandedError("@parameterize_extract_columns needs ParameterizedExtract(...)")
        (frame,) = _parameterize(draft, name, {f"{draft.name}__{index}": extract.mapping})
        drafts += _extract_columns(frame, list(extract.outputs))
    return drafts


# -- transformers and decorators -----------------------------------------------------------------


def _transform(decorator: Decorator, drafts: list[Draft]) -> list[Draft]:
    kind = decorator.kind
    target = decorator.keywords.get("target_") if kind == "check_output" else None
    chosen = select(target, drafts)
    if chosen is None:
        raise NotExpandedError(f"@{kind} names a node the function does not make")
    if kind != "check_output" and len(chosen) != 1:
        raise NotExpandedError(f"@{kind} on a function that makes {len(chosen)} final nodes")
    kept = [d for d in drafts if d not in chosen]
    for draft in chosen:
        if kind == "extract_columns":
            kept += _extract_columns(draft, decorator.positional)
        elif kind == "extract_fields":
            kept += _extract_fields(draft, decorator.positional)
        else:
            kept += _check_output(draft, decorator.keywords)
    return kept


def _extract_columns(draft: Draft, columns: list[Any]) -> list[Draft]:
    column_type = "Column" if draft.type in ("Column", "SparkDataFrame") else "Series"
    drafts = [draft]
    for column in columns:
        doc = draft.doc
        if isinstance(column, tuple):
            column, doc = column
        if not isinstance(column, str):
            raise NotExpandedError("@extract_columns with a column that is not a name")
        drafts.append(
            Draft(column, column_type, {draft.name: draft.type}, tags=dict(draft.tags), doc=doc)
        )
    return drafts


def _extract_fields(draft: Draft, arguments: list[Any]) -> list[Draft]:
    fields = arguments[0] if arguments else None
    if isinstance(fields, str):
        fields = list(arguments)
    elif isinstance(fields, list):
        fields = fields + list(arguments[1:])
    if isinstance(fields, list):
        item = _element_type(draft.type) if draft.type.startswith(("dict[", "Dict[")) else ""
        if not item:
            raise NotExpandedError("@extract_fields lists names of a TypedDict (read when trusted)")
        fields = dict.fromkeys(fields, item)
    if not isinstance(fields, dict) or not all(isinstance(k, str) for k in fields):
        raise NotExpandedError("@extract_fields without literal fields")
    return [
        draft,
        *(
            Draft(f, str(t), {draft.name: draft.type}, tags=dict(draft.tags), doc=draft.doc)
            for f, t in fields.items()
        ),
    ]


def _check_output(draft: Draft, keywords: dict[str, Any]) -> list[Draft]:
    arguments = [k for k in keywords if k not in ("importance", "target_")]
    if "default_validator_candidates" in keywords or not set(arguments) <= CHECK_ARGUMENTS:
        raise NotExpandedError("@check_output with validators read only when trusted")
    raw = draft.copy(name=f"{draft.name}_raw")
    validators = [
        Draft(
            f"{draft.name}_{VALIDATOR_NAMES.get(argument, f'{argument}_validator')}",
            "ValidationResult",
            {raw.name: draft.type},
            tags={**draft.tags, VALIDATOR_TAG: True, VALIDATED_TAG: draft.name},
        )
        for argument in arguments
    ]
    final = draft.copy(
        dependencies={raw.name: draft.type, **{v.name: v.type for v in validators}},
        optional=frozenset(),
    )
    return [*validators, final, raw]


def _decorate(decorator: Decorator, drafts: list[Draft]) -> list[Draft]:
    kind, kw = decorator.kind, decorator.keywords
    default: Any = Ellipsis if kind in ("tag_outputs", "cache") else None
    target = kw.get("target_", default) if kind != "tag_outputs" else Ellipsis
    chosen = select(target, drafts)
    if chosen is None:
        raise NotExpandedError(f"@{kind} names a node the function does not make")
    kept = [d for d in drafts if d not in chosen]
    for draft in chosen:
        kept.append(draft.copy(tags={**draft.tags, **_tags(decorator, draft.name)}))
    return kept


def _tags(decorator: Decorator, name: str) -> dict[str, Any]:
    kw = decorator.keywords
    if decorator.kind == "tag":
        return {k: v for k, v in kw.items() if not k.endswith("_")}
    if decorator.kind == "tag_outputs":
        return dict(kw.get(name, {}))
    if decorator.kind == "cache":
        return {f"cache.{k}": v for k, v in kw.items() if k in ("behavior", "format") and v}
    fields = decorator.positional
    return {SCHEMA_TAG: ",".join(f"{key}={value}" for key, value in fields)}
