"""What a run will do, decided before Hamilton starts: targets, and missing inputs."""

from __future__ import annotations

import enum
from collections.abc import Iterable

from studio.core.graph.lineage import GraphIndex
from studio.core.graph.snapshot import GraphSnapshot, NodeRole


class RunMode(enum.StrEnum):
    UPSTREAM = "upstream"
    """The requested nodes and what they need."""
    DOWNSTREAM = "downstream"
    """The requested nodes, everything that depends on them, and what those need."""
    ALL = "all"
    """What the driver script asks for when the requested nodes name it, else every sink.
    Materializers write files: they run only when named (not as sinks, not downstream)."""


def run_targets(snapshot: GraphSnapshot, names: Iterable[str], mode: RunMode) -> list[str]:
    """The final variables to ask Hamilton for, in graph order."""
    index = GraphIndex(snapshot)
    computable = {n.name for n in snapshot.nodes if not n.is_external_input}
    writers = {n.name for n in snapshot.nodes if n.role is NodeRole.MATERIALIZER}
    if mode is RunMode.ALL:
        wanted = {name for name in names if name in computable} or {
            name
            for name in computable - writers
            if all(child in writers for child in index.children[name])
        }
    else:
        wanted = {name for name in names if name in computable}
        if mode is RunMode.DOWNSTREAM:
            wanted |= index.downstream(wanted) & computable - writers
    return [n.name for n in snapshot.nodes if n.name in wanted]


def needed_nodes(
    snapshot: GraphSnapshot, targets: Iterable[str], available: Iterable[str] = ()
) -> set[str]:
    """Nodes Hamilton visits for `targets`, not walking past `available` results."""
    index = GraphIndex(snapshot)
    stop = set(available)
    seen: set[str] = set()
    stack = list(targets)
    while stack:
        name = stack.pop()
        if name in seen or name not in index.parents:
            continue
        seen.add(name)
        if name not in stop:
            stack.extend(index.parents[name])
    return seen


def missing_inputs(
    snapshot: GraphSnapshot,
    targets: Iterable[str],
    provided: Iterable[str],
    available: Iterable[str] = (),
) -> list[str]:
    """External inputs the run needs and nobody provides (optional ones excluded)."""
    nodes = {n.name: n for n in snapshot.nodes}
    visited = needed_nodes(snapshot, targets, available)
    given = set(provided)
    missing = set()
    for name in visited:
        info = nodes[name]
        if info.is_external_input or name in set(available):
            continue
        for dependency in info.dependencies:
            dep = nodes.get(dependency)
            if (
                dep is not None
                and dep.role is NodeRole.INPUT
                and dependency not in info.optional_dependencies
                and dependency not in given
            ):
                missing.add(dependency)
    return [n.name for n in snapshot.nodes if n.name in missing]
