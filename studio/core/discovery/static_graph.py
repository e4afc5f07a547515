"""A dataflow's graph as its source reads, without running any of it.

For a folder the user has not trusted: discovery has parsed every module
already, so each public function is a node, each parameter named like
another function an edge, and the other parameters inputs. Decorators are
not applied (an `@extract_columns` function is one node, a
`@config.when` variant its own node), and the graph says so. Functions
come in Hamilton's order and types are named as Hamilton's are, so that a
plain project draws the same as when Hamilton builds it.
"""

from __future__ import annotations

import ast

from studio.core.discovery.discover import module_facts
from studio.core.discovery.module_reader import is_excluded
from studio.core.discovery.project import Dataflow, Project
from studio.core.discovery.type_names import short_type_name
from studio.core.graph.snapshot import GraphSnapshot, NodeInfo, NodeRole

NOTE = "read from the source alone, nothing run: decorators are not applied"


def static_snapshot(project: Project, flow: Dataflow) -> GraphSnapshot:
    functions: dict[str, NodeInfo] = {}
    wanted: dict[str, str] = {}
    notebook = flow.driver if flow.driver and flow.driver.endswith(".ipynb") else None
    for module in flow.modules:
        found = module_facts(project, module, notebook)
        if found is None:
            continue
        source, facts = found
        # In Hamilton's order: a module's functions by name (it lists them with
        # `inspect.getmembers`), so that both graphs draw alike.
        statements = sorted(
            (
                s
                for s in facts.syntax_tree().body
                if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef)
                and not s.name.startswith("_")
                and not is_excluded(s)
            ),
            key=lambda s: s.name,
        )
        for statement in statements:
            functions[statement.name] = _function_node(statement, module, source.path)
            for argument, annotation in _parameters(statement):
                wanted.setdefault(argument, short_type_name(annotation))
    inputs = [
        NodeInfo(
            name, annotation or "?", NodeRole.INPUT, None, None, None, "", {}, (), (), None, None
        )
        for name, annotation in wanted.items()
        if name not in functions
    ]
    return GraphSnapshot(
        flow.name,
        nodes=(*functions.values(), *inputs),
        modules=flow.modules,
        config=dict(flow.config),
        warnings=(NOTE,),
    )


def _function_node(
    function: ast.FunctionDef | ast.AsyncFunctionDef, module: str, file: str
) -> NodeInfo:
    parameters = [name for name, _ in _parameters(function)]
    defaults = len(function.args.defaults)
    positional = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
    optional = positional[len(positional) - defaults :] if defaults else []
    optional += [
        a.arg
        for a, default in zip(function.args.kwonlyargs, function.args.kw_defaults, strict=True)
        if default is not None
    ]
    return NodeInfo(
        name=function.name,
        type=short_type_name(ast.unparse(function.returns)) if function.returns else "?",
        role=NodeRole.FUNCTION,
        module=module,
        file=file,
        line=function.lineno,
        doc=ast.get_docstring(function) or "",
        tags={},
        dependencies=tuple(parameters),
        optional_dependencies=tuple(optional),
        version=None,
        origin=f"{module}.{function.name}",
        decorators=tuple(ast.unparse(d) for d in function.decorator_list),
        group=module,
    )


def _parameters(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[tuple[str, str]]:
    arguments = function.args
    return [
        (a.arg, ast.unparse(a.annotation) if a.annotation is not None else "")
        for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)
    ]
