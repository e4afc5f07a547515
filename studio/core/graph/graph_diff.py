"""What changed between two snapshots of the same dataflow."""

from __future__ import annotations

from dataclasses import dataclass, field

from studio.core.graph.snapshot import GraphSnapshot, NodeInfo


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
    """What changed from `old` to `new`.

    A save's reply holds every node the window already had as that very
    object (`GraphSnapshot.from_dict` with the known nodes), so a node that
    is the same object in both is passed over unread, and only its edges to
    nodes added or removed are looked at: at 20,000 nodes comparing every
    kept node field by field and both edge sets whole took 28-40 ms a save.
    """
    new_nodes = {n.name: n for n in new.nodes}
    if old is None:
        return GraphDiff(added=frozenset(new_nodes), edges_added=frozenset(new.edges()))
    old_nodes = {n.name: n for n in old.nodes}
    added = new_nodes.keys() - old_nodes.keys()
    removed = old_nodes.keys() - new_nodes.keys()
    code_changed: list[str] = []
    relabelled: list[str] = []
    for name, now in new_nodes.items():
        was = old_nodes.get(name)
        if was is None or was is now:
            continue
        if was.version != now.version and was.version and now.version:
            code_changed.append(name)
        if (was.type, was.group, was.role, was.kind) != (now.type, now.group, now.role, now.kind):
            relabelled.append(name)
    edges_added = _edges_of_changed(new, new_nodes, old_nodes, added | removed)
    edges_removed = _edges_of_changed(old, old_nodes, new_nodes, added | removed)
    return GraphDiff(
        added=frozenset(added),
        removed=frozenset(removed),
        code_changed=frozenset(code_changed),
        edges_added=frozenset(edges_added - edges_removed),
        edges_removed=frozenset(edges_removed - edges_added),
        relabelled=frozenset(relabelled),
    )


def _edges_of_changed(
    snapshot: GraphSnapshot,
    names: dict[str, NodeInfo],
    other: dict[str, NodeInfo],
    moved: set[str],
) -> set[tuple[str, str]]:
    """The edges of `snapshot` into its nodes that are not the same object in `other`
    (the snapshot compared with) or that depend on a name `moved` in or out: every edge
    the two can differ by (a kept node's edges from kept names are the same in both;
    `names`: the snapshot's nodes by name)."""
    found: set[tuple[str, str]] = set()
    for node in snapshot.nodes:
        if other.get(node.name) is node and moved.isdisjoint(node.dependencies):
            continue
        found.update((dep, node.name) for dep in node.dependencies if dep in names)
    return found
