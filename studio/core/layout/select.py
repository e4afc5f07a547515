"""Choosing a layout engine by graph size."""

from __future__ import annotations

from studio.core.layout.model import LayoutRequest, LayoutResult

DOT_NODE_LIMIT = 400
"""Above this many nodes `dot` takes seconds; the grouped engine takes milliseconds."""

ENGINES = ("auto", "dot", "grouped", "layered")


def compute_layout(request: LayoutRequest, engine: str = "auto") -> LayoutResult:
    if engine == "auto":
        engine = "dot" if len(request.nodes) <= DOT_NODE_LIMIT else "grouped"
    if not request.nodes:
        return LayoutResult({}, {}, {}, 0.0, 0.0, engine, direction=request.direction)
    if engine == "dot":
        from studio.core.layout.dot_engine import layout_with_dot

        return layout_with_dot(request)
    if engine == "grouped":
        from studio.core.layout.grouped_engine import layout_grouped

        return layout_grouped(request)
    if engine == "layered":
        from studio.core.layout.layered_engine import layout_layered

        return layout_layered(request)
    raise ValueError(f"unknown layout engine {engine!r} (known: {', '.join(ENGINES)})")
