"""A dataflow's graph as its source reads, without running any of it.

For a folder the user has not trusted (and `studio graph --static`):
discovery has parsed every module already, and the decorators whose
arguments are literal are applied as Hamilton applies them
(`static_decorators`, `static_subdags`), under the dataflow's literal
config. A function whose decorators cannot be read so is drawn as one node
marked `expanded=False`, with no input or edge guessed for it, and the
snapshot's note says how many there are. Functions come in Hamilton's order
and types are named as Hamilton's are, so that a project draws the same as
when Hamilton builds it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, replace

from studio.core.discovery.discover import module_facts
from studio.core.discovery.module_files import file_facts
from studio.core.discovery.module_reader import import_bindings, is_excluded
from studio.core.discovery.project import Dataflow, Project
from studio.core.discovery.static_decorators import Context, NotExpandedError, expand
from studio.core.discovery.static_literals import Literals
from studio.core.discovery.static_nodes import (
    Draft,
    Where,
    origin_name,
    parameters,
    return_type,
)
from studio.core.discovery.static_subdags import ProjectFunction, subdag_expander
from studio.core.graph.snapshot import GraphSnapshot, NodeInfo, NodeRole

NOTE = "read from source, nothing run"
"""The start of a static snapshot's note (`is_static` looks for it)."""


@dataclass(frozen=True, slots=True)
class Unexpanded:
    """A function drawn as one node: why, and the parameters it names."""

    node: NodeInfo
    reason: str


def static_snapshot(project: Project, flow: Dataflow) -> GraphSnapshot:
    reader = _Reader(project, flow)
    drafts: dict[str, tuple[Draft, str]] = {}
    unexpanded: dict[str, Unexpanded] = {}
    mutated = _mutated(reader, flow.modules)
    for module in flow.modules:
        for found in reader.functions(module) or ():
            try:
                if found.syntax.name in mutated:
                    raise NotExpandedError(f"@mutate in {mutated[found.syntax.name]} changes it")
                made = expand(found.syntax, found.context)
            except NotExpandedError as why:
                node = _unexpanded_node(found, why.name)
                if node.name not in unexpanded and node.name not in drafts:
                    unexpanded[node.name] = Unexpanded(node, str(why))
                continue
            for draft in made:
                if draft.name in flow.config:
                    continue  # a config value takes the place of a node of its name
                if draft.name in drafts and not flow.allow_module_overrides:
                    continue  # Hamilton refuses the graph; the first one is drawn
                where = draft.where or replace(
                    found.where, function=origin_name(found.syntax.name, draft)
                )
                drafts[draft.name] = (draft.copy(where=where), module)
    functions = [_node(draft, group) for draft, group in drafts.values()]
    names = {n.name for n in functions}
    wanted: dict[str, str] = {}
    for draft, _ in drafts.values():
        for dependency, annotation in draft.dependencies.items():
            if dependency not in names and dependency not in unexpanded:
                wanted.setdefault(dependency, annotation)
    inputs = [
        NodeInfo(
            name,
            annotation or "?",
            NodeRole.CONFIG if name in flow.config or name in flow.config_hints else NodeRole.INPUT,
            None,
            None,
            None,
            "",
            {},
            (),
            (),
            None,
            None,
        )
        for name, annotation in {
            **wanted,
            **{
                k: "Any"
                for k in (*flow.config, *flow.config_hints)
                if k not in wanted and k not in names
            },
        }.items()
    ]
    known = names | set(wanted) | set(unexpanded)
    folded = [_keep_known(u.node, known) for u in unexpanded.values()]
    return GraphSnapshot(
        flow.name,
        nodes=(*functions, *folded, *inputs),
        modules=flow.modules,
        config=dict(flow.config),
        warnings=(note(len(unexpanded)),),
    )


def _mutated(reader: _Reader, modules: tuple[str, ...]) -> dict[str, str]:
    """Functions another one's `@mutate(...)` adds steps to -> that one's name: their
    nodes are known when Hamilton builds them."""
    found: dict[str, str] = {}
    for module in modules:
        for function in reader.functions(module) or ():
            for decorator in function.syntax.decorator_list:
                if not isinstance(decorator, ast.Call):
                    continue
                dotted = function.context.literals.dotted(decorator.func) or ""
                if dotted.startswith("hamilton.") and dotted.endswith(".mutate"):
                    for target in decorator.args:
                        if isinstance(target, ast.Name | ast.Attribute):
                            name = target.id if isinstance(target, ast.Name) else target.attr
                            found.setdefault(name, function.syntax.name)
    return found


def note(unexpanded: int) -> str:
    if not unexpanded:
        return NOTE
    functions = "function expands" if unexpanded == 1 else "functions expand"
    return f"{NOTE}: {unexpanded} {functions} when trusted"


def is_static(snapshot: GraphSnapshot) -> bool:
    return any(w.startswith(NOTE) for w in snapshot.warnings)


def describe_static(snapshot: GraphSnapshot) -> str:
    """`36 nodes read from source, 2 functions expand when trusted`."""
    unexpanded = sum(not n.expanded for n in snapshot.nodes)
    text = f"{len(snapshot.nodes):,} nodes read from source"
    if unexpanded:
        functions = "function expands" if unexpanded == 1 else "functions expand"
        text += f", {unexpanded} {functions} when trusted"
    return text


class _Reader:
    """The project's modules as read by discovery, each function with its context."""

    def __init__(self, project: Project, flow: Dataflow) -> None:
        self.project = project
        self.flow = flow
        self.expand_subdag = subdag_expander(self.lookup)
        self._read: dict[str, list[ProjectFunction] | None] = {}

    def functions(self, module: str) -> list[ProjectFunction] | None:
        """The module's public functions in Hamilton's order (by name), or None
        when it is not one of the project's."""
        if module not in self._read:
            self._read[module] = self._functions(module)
        return self._read[module]

    def _functions(self, module: str) -> list[ProjectFunction] | None:
        driver = self.flow.driver
        notebook = driver if driver and driver.endswith(".ipynb") else None
        file = self.flow.module_files.get(module)
        if file is not None:  # `%insert_module`'s file, or a downloaded dataflow
            found = file_facts(self.project.root, file, module)
        else:
            found = module_facts(self.project, module, notebook)
        if found is None and self.flow.search_path not in (".", ""):
            prefix = self.flow.search_path.strip("/").replace("/", ".")
            found = module_facts(self.project, f"{prefix}.{module}")
        if found is None:
            return None
        source, facts = found
        tree = facts.syntax_tree()
        package = module.rpartition(".")[0]
        if source.path.endswith("__init__.py"):
            package = module
        bindings = facts.bindings or import_bindings(tree, package)
        context = Context(
            module,
            Literals(tree, bindings, module),
            dict(self.flow.config),
            frozenset(set(self.flow.config_hints) - set(self.flow.config)),
            self.expand_subdag,
            self.find,
        )
        statements = sorted(
            (
                s
                for s in tree.body
                if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef)
                and not s.name.startswith("_")
                and not is_excluded(s)
            ),
            key=lambda s: s.name,
        )
        return [
            ProjectFunction(
                s,
                context,
                Where(
                    module,
                    source.path,
                    s.name,
                    first_line(s),
                    tuple(ast.unparse(d) for d in s.decorator_list),
                ),
            )
            for s in statements
        ]

    def find(self, dotted: str) -> tuple[ast.FunctionDef | ast.AsyncFunctionDef, str] | None:
        """The project's function a dotted name stands for, private ones too (`step`)."""
        module, _, name = dotted.rpartition(".")
        found = module_facts(self.project, module) if module else None
        if found is None:
            return None
        for statement in found[1].syntax_tree().body:
            if (
                isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef)
                and statement.name == name
            ):
                return statement, module
        return None

    def lookup(self, dotted: str) -> list[ProjectFunction] | None:
        """A module of the project (its functions) or one of its functions."""
        functions = self.functions(dotted)
        if functions is not None:
            return functions
        module, _, name = dotted.rpartition(".")
        functions = self.functions(module) if module else None
        if functions is None:
            return None
        chosen = [f for f in functions if f.syntax.name == name]
        return chosen or None


def first_line(function: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Where Python (and so Hamilton) says a function starts: its first decorator."""
    return min([function.lineno, *(d.lineno for d in function.decorator_list)])


def _node(draft: Draft, group: str) -> NodeInfo:
    where = draft.where
    assert where is not None
    return NodeInfo(
        name=draft.name,
        type=draft.type or "?",
        role=NodeRole.FUNCTION,
        module=where.module,
        file=where.file,
        line=where.line,
        doc=draft.doc,
        tags=dict(draft.tags),
        dependencies=tuple(draft.dependencies),
        optional_dependencies=tuple(d for d in draft.dependencies if d in draft.optional),
        version=None,
        origin=f"{where.module}.{where.function}",
        decorators=where.decorators,
        group=group,
    )


def _unexpanded_node(found: ProjectFunction, name: str | None) -> NodeInfo:
    """The function as one node, named as Hamilton would name it when its
    config chose it, else as the source names it."""
    syntax, where = found.syntax, found.where
    name = name or syntax.name
    return NodeInfo(
        name=name,
        type=return_type(syntax),
        role=NodeRole.FUNCTION,
        module=where.module,
        file=where.file,
        line=where.line,
        doc=ast.get_docstring(syntax) or "",
        tags={"module": where.module},
        dependencies=tuple(name for name, _ in parameters(syntax)),
        optional_dependencies=(),
        version=None,
        origin=f"{where.module}.{name}",
        decorators=where.decorators,
        group=where.module,
        expanded=False,
    )


def _keep_known(node: NodeInfo, known: set[str]) -> NodeInfo:
    """Only the edges to nodes drawn anyway: a parameter of a function not
    expanded may be one a decorator replaces, so it makes no input."""
    return replace(node, dependencies=tuple(d for d in node.dependencies if d in known))
