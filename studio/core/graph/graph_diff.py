"""What changed between two snapshots of the same dataflow."""

from __future__ import annotations

from dataclasses import dataclass, field

from studio.core.graph.snapshot import GraphSnapshot


@dataclass(frozen=True, slots=True)
class GraphDiff:
    added: frozenset[str] = field(default_factory=frozenset)
    removed: frozenset[str] = field(default_factory=frozenset)
    code_changed: frozenset[str] = field(default_factory=frozenset)
    """Nodes whose code version differs (docstrings and comments do not count; a
    version not known yet is no change)."""
    edges_added: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    edges_removed: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    relabelled: frozenset[str] = field(default_factory=frozenset)
    """Nodes whose drawn label or region changed (type, group, role)."""

    @property
    def same_drawing(self) -> bool:
        """Whether the old layout still fits: same nodes, edges, labels and regions."""
        return not (
            self.added or self.removed or self.edges_added or self.edges_removed or self.relabelled
        )


def diff_snapshots(old: GraphSnapshot | None, new: GraphSnapshot) -> GraphDiff:
    new_nodes = {n.name: n for n in new.nodes}
    if old is None:
        return GraphDiff(added=frozenset(new_nodes), edges_added=frozenset(new.edges()))
    old_nodes = {n.name: n for n in old.nodes}
    kept = new_nodes.keys() & old_nodes.keys()
    old_edges, new_edges = set(old.edges()), set(new.edges())
    return GraphDiff(
        added=frozenset(new_nodes.keys() - old_nodes.keys()),
        removed=frozenset(old_nodes.keys() - new_nodes.keys()),
        code_changed=frozenset(
            n
            for n in kept
            if (old := old_nodes[n].version) != (new := new_nodes[n].version) and old and new
        ),
        edges_added=frozenset(new_edges - old_edges),
        edges_removed=frozenset(old_edges - new_edges),
        relabelled=frozenset(
            n
            for n in kept
            if (old_nodes[n].type, old_nodes[n].group, old_nodes[n].role, old_nodes[n].kind)
            != (new_nodes[n].type, new_nodes[n].group, new_nodes[n].role, new_nodes[n].kind)
        ),
    )
