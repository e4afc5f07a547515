"""Cycles in a built graph, named where they are written.

Hamilton builds `a(b)` and `b(a)` without a word; running either ends in
a `RecursionError` deep in Hamilton's own code. A load finds the cycle and
says which functions make it, at which lines.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from studio.core.graph.snapshot import ErrorKind, LoadError
from studio.kernel.running.tracebacks import relative_to_root


def find_cycle(needs: Mapping[str, Sequence[str]]) -> list[str] | None:
    """One cycle, as the path that comes back to where it starts (`[a, b, a]`)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in needs:
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


def cycle_error(root: Path, graph_nodes: Mapping[str, Any]) -> LoadError | None:
    """The load error for the first cycle among the graph's nodes, if there is one."""
    needs = {name: [d.name for d in node.dependencies] for name, node in graph_nodes.items()}
    cycle = find_cycle(needs)
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


def _location(root: Path, node: Any) -> tuple[str | None, int | None]:
    functions = node.originating_functions or ()
    code = getattr(functions[0], "__code__", None) if functions else None
    if code is None:
        return None, None
    return relative_to_root(root, code.co_filename), code.co_firstlineno


def _place(root: Path, node: Any) -> str:
    file, line = _location(root, node)
    return f"{file}:{line}" if file else ""
