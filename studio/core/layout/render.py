"""Static drawings of a graph snapshot (DOT, SVG, PNG) through Graphviz.

Used by the headless `studio graph` command; the desktop canvas draws
itself with Qt and only borrows Graphviz for positions.
"""

from __future__ import annotations

import pygraphviz

from studio.core.graph.snapshot import GraphSnapshot, NodeInfo, NodeKind

_FONT = "Helvetica"


def to_agraph(snapshot: GraphSnapshot, rankdir: str = "LR") -> pygraphviz.AGraph:
    """A Graphviz graph with one cluster per module and a style per kind of node."""
    graph = pygraphviz.AGraph(directed=True, strict=False, name=snapshot.dataflow)
    graph.graph_attr.update(rankdir=rankdir, fontname=_FONT, nodesep="0.25", ranksep="0.5")
    graph.node_attr.update(fontname=_FONT, fontsize="10", shape="box", style="rounded,filled")
    graph.edge_attr.update(color="#5b6770", arrowsize="0.6")
    groups: dict[str | None, list[NodeInfo]] = {}
    for info in snapshot.nodes:
        groups.setdefault(None if info.is_external_input else info.group, []).append(info)
    for group, members in groups.items():
        target = graph
        if group is not None:
            target = graph.add_subgraph(
                name=f"cluster_{group}",
                label=group,
                style="rounded,filled",
                fillcolor="#f4f6f8",
                color="#c9d1d9",
                fontname=_FONT,
            )
        for info in members:
            target.add_node(info.name, label=f"{info.name}\\n{info.type}", **_node_style(info))
    for upstream, downstream in snapshot.edges():
        graph.add_edge(upstream, downstream)
    return graph


_STYLES = {
    NodeKind.CONFIG: {"fillcolor": "#fff4d6", "color": "#c99a2e", "style": "rounded,filled,dashed"},
    NodeKind.INPUT: {"fillcolor": "#ffffff", "color": "#8a949e", "style": "rounded,dashed"},
    NodeKind.CONFIG_DEPENDENT: {"fillcolor": "#efe6ff", "color": "#7b5cc4"},
    NodeKind.GENERATED: {"fillcolor": "#e3f4ef", "color": "#2e8b73"},
    NodeKind.FUNCTION: {"fillcolor": "#e6f0fb", "color": "#3a78c2"},
    NodeKind.MATERIALIZER: {"fillcolor": "#fbe9f1", "color": "#b8326f", "shape": "note"},
}


def _node_style(info: NodeInfo) -> dict[str, str]:
    return _STYLES[info.kind]


def render(snapshot: GraphSnapshot, fmt: str, rankdir: str = "LR") -> bytes:
    """The snapshot drawn as `dot`, `svg` or `png`."""
    graph = to_agraph(snapshot, rankdir)
    if fmt == "dot":
        return graph.string().encode()
    return graph.draw(format=fmt, prog="dot")
