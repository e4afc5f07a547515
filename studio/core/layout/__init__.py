"""Positions for a graph's nodes, module regions and edge routes.

Two engines: Graphviz `dot` (best drawings, cost grows steeply with size)
and a layered Sugiyama layout from igraph (fast at thousands of nodes).
`compute_layout` picks one by size unless told. Both are pure functions of
a `LayoutRequest`, so the GUI can run them on a worker thread.
"""

from studio.core.layout.model import (
    Direction,
    EdgeRoute,
    LayoutNode,
    LayoutRequest,
    LayoutResult,
)
from studio.core.layout.select import DOT_NODE_LIMIT, compute_layout

__all__ = [
    "DOT_NODE_LIMIT",
    "Direction",
    "EdgeRoute",
    "LayoutNode",
    "LayoutRequest",
    "LayoutResult",
    "compute_layout",
]
