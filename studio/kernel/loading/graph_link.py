"""A save's graph linked from the last one: only the changed modules are resolved again.

After a save `fresh_import` imports again only the edited modules and those
naming them; every other module is the very same object, its functions the
very same functions. Hamilton would still walk every module for functions,
resolve each into nodes and copy them (see `node_reuse`), then link them.
Here the unchanged modules' nodes are taken from the last graph as they are:
only the changed modules are walked and resolved, and the whole graph is
then linked by Hamilton's own `update_dependencies`, in the order a full
build links it, so the result is the graph Hamilton builds (the same nodes,
in the same order, with the same edges, inputs and input types).

Kept nodes are shared with the last graph: their edge lists are replaced (the
old lists stay with nothing but the discarded graph), and put back when the
link fails, for Hamilton's own full build to raise its error.

The full build runs instead whenever the change is not plainly local: the
first build, another configuration (`@config.when`, `@resolve`), another list
of modules, module overrides, an adapter with its own edge type rules, a kept
module whose namespace changed (an import-time side effect of a changed
module), a graph given to extend, a node name the changed modules now share
with another module, and every failure.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from studio.kernel.loading.node_reuse import config_key


@dataclass(slots=True)
class _Built:
    """What one build gave, for the next to start from."""

    modules: tuple[ModuleType, ...]
    namespaces: tuple[dict[str, Any], ...]
    """Each module's namespace as it was (a copy): a kept module must still hold it."""
    functions: tuple[list[tuple[str, Callable[..., Any]]], ...]
    nodes: tuple[list[Any], ...]
    """Each module's function nodes in Hamilton's order, those named in the config left out."""
    config: str
    acyclic: bool = False
    """The graph built then was checked and has no cycle (see `cycle_starts`)."""


class GraphLink:
    def __init__(self) -> None:
        self._last: _Built | None = None
        self.linked = False
        """Whether the last build linked the last graph's nodes (rather than a full build)."""
        self.kept_functions: list[Callable[..., Any]] = []
        """The functions whose nodes the last linked build took from the graph before."""
        self._kept_nodes: frozenset[int] = frozenset()
        """The ids of the nodes the last linked build took from the graph before."""
        self._from_acyclic = False
        """The last linked build's graph before had no cycle."""

    def forget(self) -> None:
        self._last = None

    def cycle_starts(self, graph_nodes: dict[str, Any]) -> list[str] | None:
        """The nodes a cycle of the graph just built must pass through, when it was linked
        from a graph with none: those not taken from it. A kept node needs the very
        names it needed then (one per parameter: Hamilton links each to the node of that
        name or to an input), so a cycle of kept nodes alone was in that graph already.
        None when every node may be on one (a full build, or linked from a graph with a
        cycle)."""
        if not self.linked or not self._from_acyclic:
            return None
        kept = self._kept_nodes
        return [name for name, n in graph_nodes.items() if id(n) not in kept]

    def checked(self, acyclic: bool) -> None:
        """The graph just built was checked for cycles: the next save's check relies on it."""
        if self._last is not None:
            self._last.acyclic = acyclic

    @contextlib.contextmanager
    def building(self, incremental: bool) -> Iterator[None]:
        """While Hamilton builds, its function graph is linked from the last one where
        that is safe (with `incremental`); every build is remembered for the next."""
        from hamilton import graph

        original = graph.create_function_graph
        original_find = graph.find_functions
        self.linked = False
        self.kept_functions = []
        self._kept_nodes, self._from_acyclic = frozenset(), False
        found: dict[int, tuple[ModuleType, list[tuple[str, Callable[..., Any]]]]] = {}

        def find_functions(module: ModuleType) -> list[tuple[str, Callable[..., Any]]]:
            functions = original_find(module)  # kept: a full build walks every module once
            found[id(module)] = (module, functions)
            return functions

        def create_function_graph(
            *modules: ModuleType,
            config: dict[str, Any],
            adapter: Any = None,
            fg: Any = None,
            allow_module_overrides: bool = False,
        ) -> dict[str, Any]:
            plain = fg is not None or allow_module_overrides
            if incremental and not plain:
                linked = self._link(modules, config, adapter)
                if linked is not None:
                    return linked
            found.clear()
            nodes = original(
                *modules,
                config=config,
                adapter=adapter,
                fg=fg,
                allow_module_overrides=allow_module_overrides,
            )
            if plain:
                self._last = None
            else:
                self._remember(modules, config, nodes, dict(found))
            return nodes

        graph.create_function_graph = create_function_graph
        graph.find_functions = find_functions
        try:
            yield
        finally:
            graph.create_function_graph = original
            graph.find_functions = original_find

    def _link(
        self, modules: Sequence[ModuleType], config: dict[str, Any], adapter: Any
    ) -> dict[str, Any] | None:
        from hamilton import graph, node
        from hamilton.function_modifiers import base
        from hamilton.graph_utils import find_functions
        from hamilton.lifecycle import base as lifecycle_base

        last = self._last
        key = config_key(config)
        if last is None or key is None or key != last.config:
            return None
        if [m.__name__ for m in modules] != [m.__name__ for m in last.modules]:
            return None
        if adapter is None:
            adapter = lifecycle_base.LifecycleAdapterSet()
        if adapter.does_method("do_check_edge_types_match", is_async=False):
            return None
        changed = [m is not old for m, old in zip(modules, last.modules, strict=True)]
        for module, namespace, is_changed in zip(modules, last.namespaces, changed, strict=True):
            if not is_changed and not _same_namespace(vars(module), namespace):
                return None
        functions: list[list[tuple[str, Callable[..., Any]]]] = []
        per_module: list[list[Any]] = []
        kept: list[Any] = []
        for index, module in enumerate(modules):
            if not changed[index]:
                functions.append(last.functions[index])
                per_module.append(last.nodes[index])
                kept += last.nodes[index]
                continue
            found = find_functions(module)
            made = [
                n for _, f in found for n in base.resolve_nodes(f, config) if n.name not in config
            ]
            functions.append(found)
            per_module.append(made)
        nodes: dict[str, Any] = {}
        for made in per_module:
            for n in made:
                if n.name in nodes:
                    return None  # Hamilton's own build says which function defines it twice
                nodes[n.name] = n
        saved = [(n, n._dependencies, n._depended_on_by) for n in kept]
        for n in kept:
            n._dependencies, n._depended_on_by = [], []
        try:
            nodes = graph.update_dependencies(nodes, adapter, reset_dependencies=False)
        except Exception:
            for n, dependencies, depended_on_by in saved:
                n._dependencies, n._depended_on_by = dependencies, depended_on_by
            return None
        for name in config:
            if name not in nodes:
                nodes[name] = node.Node(name, Any, node_source=node.NodeType.EXTERNAL)
        self._last = _Built(
            tuple(modules),
            tuple(
                namespace if not is_changed else dict(vars(module))
                for module, namespace, is_changed in zip(
                    modules, last.namespaces, changed, strict=True
                )
            ),
            tuple(functions),
            tuple(per_module),
            key,
        )
        self.linked = True
        self._kept_nodes, self._from_acyclic = frozenset(map(id, kept)), last.acyclic
        self.kept_functions = [
            f for index, found in enumerate(functions) if not changed[index] for _, f in found
        ]
        return nodes

    def _remember(
        self,
        modules: Sequence[ModuleType],
        config: dict[str, Any],
        nodes: dict[str, Any],
        found: dict[int, tuple[ModuleType, list[tuple[str, Callable[..., Any]]]]],
    ) -> None:
        """Keep a full build's nodes by module (and the functions it `found` in each), to
        link the next build from."""
        from hamilton.graph_utils import find_functions

        key = config_key(config)
        if key is None:
            self._last = None
            return
        functions = [
            walked[1]
            if (walked := found.get(id(module))) is not None and walked[0] is module
            else find_functions(module)
            for module in modules
        ]
        made: dict[int, int] = {}
        for index, found in enumerate(functions):
            for _, f in found:
                made[id(f)] = index
        per_module: list[list[Any]] = [[] for _ in modules]
        for n in nodes.values():
            if n.user_defined:
                continue
            origin = (n.originating_functions or (None,))[0]
            index = made.get(id(origin))
            if index is None:
                self._last = None  # a node this reading cannot place: no link next time
                return
            per_module[index].append(n)
        self._last = _Built(
            tuple(modules),
            tuple(dict(vars(module)) for module in modules),
            tuple(functions),
            tuple(per_module),
            key,
        )


def _same_namespace(now: dict[str, Any], then: dict[str, Any]) -> bool:
    """Every name bound to the very same object as then, and no other name."""
    if len(now) != len(then):
        return False
    return all(now.get(name, _MISSING) is value for name, value in then.items())


_MISSING = object()
