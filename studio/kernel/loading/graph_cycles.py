"""Cycles in a built graph, named where they are written.

Hamilton builds `a(b)` and `b(a)` without a word; running either ends in
a `RecursionError` deep in Hamilton's own code. A load finds the cycle and
says which functions make it, at which lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from studio.core.graph.snapshot import ErrorKind, LoadError
from studio.kernel.running.tracebacks import relative_to_root


def find_cycle(
    needs: Mapping[str, Sequence[str]], starts: Iterable[str] | None = None
) -> list[str] | None:
    """One cycle, as the path that comes back to where it starts (`[a, b, a]`). With
    `starts`, only the cycles through one of them are looked for (and found, if any)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in needs if starts is None else starts:
        if state.get(start):
            continue
        path: list[str] = [start]
        pending: list[Iterator] = [iter(needs.get(start, ()))]
        state[start] = 1
        while pending:
            following = next(pending[-1], None)
            if following is None:
                state[path.pop()] = 2
                pending.pop()
                continue
            seen = state.get(following)
            if seen == 1:
                return [*path[path.index(following) :], following]
            if seen is None and following in needs:
                state[following] = 1
                path.append(following)
                pending.append(iter(needs[following]))
    return None


def cycle_error(
    root: Path, graph_nodes: Mapping[str, Any], starts: Iterable[str] | None = None
) -> LoadError | None:
    """The load error for the first cycle among the graph's nodes, if there is one.

    With `starts`, the graph is known to have no cycle but through one of those nodes
    (a save's: the last graph had none, and only the changed modules' nodes are new):
    only what they need is walked, not all 5,000 nodes (a third of the full check's
    time went into listing every node's needs)."""
    needs = _Needs(graph_nodes)
    cycle = find_cycle(needs, starts)
    if cycle is None:
        return None
    places = [_place(root, graph_nodes[name]) for name in cycle[:-1]]
    where = ", ".join(f"{n} at {p}" for n, p in zip(cycle[:-1], places, strict=True) if p)
    file, line = _location(root, graph_nodes[cycle[0]])
    return LoadError(
        ErrorKind.GRAPH,
        f"the graph has a cycle, which Hamilton cannot run: {' → '.join(cycle)}"
        + (f" ({where})" if where else ""),
        file=file,
        line=line,
        hint="rename a parameter or a function so that no node needs itself",
    )


class _Needs(Mapping[str, list[str]]):
    """Each node's needs by name, listed when first asked for."""

    def __init__(self, graph_nodes: Mapping[str, Any]) -> None:
        self._nodes = graph_nodes
        self._listed: dict[str, list[str]] = {}

    def __getitem__(self, name: str) -> list[str]:
        listed = self._listed.get(name)
        if listed is None:
            listed = self._listed[name] = [d.name for d in self._nodes[name].dependencies]
        return listed

    def __contains__(self, name: object) -> bool:
        return name in self._nodes

    def __iter__(self) -> Iterator[str]:
        return iter(self._nodes)

    def __len__(self) -> int:
        return len(self._nodes)


def _location(root: Path, node: Any) -> tuple[str | None, int | None]:
    functions = node.originating_functions or ()
    code = getattr(functions[0], "__code__", None) if functions else None
    if code is None:
        return None, None
    return relative_to_root(root, code.co_filename), code.co_firstlineno


def _place(root: Path, node: Any) -> str:
    file, line = _location(root, node)
    return f"{file}:{line}" if file else ""
