"""Choosing a layout engine by graph size, and a direction by the graph's shape."""

from __future__ import annotations

from dataclasses import replace

from studio.core.layout.fitting import fit_zoom
from studio.core.layout.model import Direction, LayoutRequest, LayoutResult
from studio.core.layout.spreading import spread_to_frame

DOT_NODE_LIMIT = 400
"""Above this many nodes `dot` takes seconds; the grouped engine takes milliseconds."""
MIXED_DOT_LIMIT = 100
"""Above this many nodes, a drawing with an expanded module among collapsed ones is
laid out by the grouped engine (see `_expanded_among_boxes`)."""

COMPARE_ENGINES_ABOVE = 40
"""Above this many boxes, `dot` draws a wide dataflow as a tall column that fits the view
only at a zoom where no name can be read: AUTO also asks the grouped engine (a few
milliseconds) and keeps whichever shows the graph larger."""
GROUPED_MUST_WIN_BY = 1.15
"""...`dot` unless the grouped drawing fits clearly larger: `dot` routes edges better."""

ENGINES = ("auto", "dot", "grouped", "layered")

AUTO_DIRECTION_LIMIT = 150
"""Up to this many boxes AUTO lays the graph out both ways (milliseconds each with
`dot`); above it, where no zoom shows every name anyway, it keeps left to right."""

_GAP = 20.0


def compute_layout(request: LayoutRequest, engine: str = "auto") -> LayoutResult:
    """The drawing of `request` by `engine` (chosen by size for "auto"), spread over the
    frame it is shown in when one is given."""
    result = _oriented(request, engine)
    if request.frame is not None:
        result = spread_to_frame(result, request.frame)
    return result


def _oriented(request: LayoutRequest, engine: str) -> LayoutResult:
    if request.direction is not Direction.AUTO:
        return _compute(request, engine)
    across = _compute(replace(request, direction=Direction.LEFT_RIGHT), engine)
    if request.frame is None or len(request.nodes) > AUTO_DIRECTION_LIMIT:
        return across
    across_zoom = fit_zoom(across.width, across.height, request.frame)
    if fit_zoom(*_turned_size(request, across), request.frame) < 0.9 * across_zoom:
        return across  # turning it would clearly draw it smaller: no second layout
    down = _compute(replace(request, direction=Direction.TOP_BOTTOM), engine)
    # Left to right unless top to bottom is clearly larger: it reads like the code.
    if fit_zoom(down.width, down.height, request.frame) > 1.1 * fit_zoom(
        across.width, across.height, request.frame
    ):
        down.seconds += across.seconds
        return down
    across.seconds += down.seconds
    return across


def _turned_size(request: LayoutRequest, across: LayoutResult) -> tuple[float, float]:
    """About how big the drawing would be top to bottom: each left-to-right rank (the
    boxes sharing a column) becomes a row."""
    sizes = {node.name: (node.width, node.height) for node in request.nodes}
    ranks: dict[int, list[tuple[float, float]]] = {}
    for name, (x, _y) in across.positions.items():
        if name in sizes:
            ranks.setdefault(round(x), []).append(sizes[name])
    width = max(sum(w for w, _ in boxes) + _GAP * (len(boxes) - 1) for boxes in ranks.values())
    height = sum(max(h for _, h in boxes) for boxes in ranks.values())
    return width, height + _GAP * (len(ranks) - 1)


def _larger_of_dot_and_grouped(request: LayoutRequest) -> LayoutResult:
    from studio.core.layout.dot_engine import layout_with_dot
    from studio.core.layout.grouped_engine import layout_grouped_to_fit

    assert request.frame is not None
    grouped = layout_grouped_to_fit(request)
    dot = layout_with_dot(request)
    grouped_zoom = fit_zoom(grouped.width, grouped.height, request.frame)
    if grouped_zoom > GROUPED_MUST_WIN_BY * fit_zoom(dot.width, dot.height, request.frame):
        grouped.seconds += dot.seconds
        return grouped
    dot.seconds += grouped.seconds
    return dot


def _expanded_among_boxes(request: LayoutRequest) -> bool:
    """Whether an expanded module is drawn among collapsed ones. On a big module `dot`
    ranks each box beside the module's inner nodes and stair-steps the boxes down its
    side; the grouped engine keeps them above and below it, in the modules' own order."""
    boxes = grouped = False
    for node in request.nodes:
        boxes = boxes or node.module_box
        grouped = grouped or node.group is not None
    return boxes and grouped


def _compute(request: LayoutRequest, engine: str) -> LayoutResult:
    if engine == "auto":
        count = len(request.nodes)
        mixed = count > MIXED_DOT_LIMIT and _expanded_among_boxes(request)
        engine = "dot" if count <= DOT_NODE_LIMIT and not mixed else "grouped"
        if engine == "dot" and request.frame is not None and count > COMPARE_ENGINES_ABOVE:
            return _larger_of_dot_and_grouped(request)
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
