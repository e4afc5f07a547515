"""Upstream and downstream of nodes in a graph snapshot."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from studio.core.graph.snapshot import GraphSnapshot


class GraphIndex:
    """Parent and child lists of a snapshot, built once and queried often."""

    def __init__(self, snapshot: GraphSnapshot) -> None:
        self.parents: dict[str, list[str]] = {n.name: [] for n in snapshot.nodes}
        self.children: dict[str, list[str]] = {n.name: [] for n in snapshot.nodes}
        for upstream, downstream in snapshot.edges():
            self.parents[downstream].append(upstream)
            self.children[upstream].append(downstream)

    def upstream(self, names: Iterable[str], depth: int | None = None) -> set[str]:
        """Every node the given ones depend on, directly or not (not the nodes themselves)."""
        return self._walk(names, self.parents, depth)

    def downstream(self, names: Iterable[str], depth: int | None = None) -> set[str]:
        """Every node that depends on the given ones (not the nodes themselves)."""
        return self._walk(names, self.children, depth)

    @staticmethod
    def _walk(names: Iterable[str], links: dict[str, list[str]], depth: int | None) -> set[str]:
        start = [n for n in names if n in links]
        seen: set[str] = set()
        queue = deque((n, 0) for n in start)
        while queue:
            name, level = queue.popleft()
            if depth is not None and level >= depth:
                continue
            for other in links[name]:
                if other not in seen:
                    seen.add(other)
                    queue.append((other, level + 1))
        return seen - set(start)
