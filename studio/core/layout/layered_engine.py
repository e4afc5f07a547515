"""A fast layered (Sugiyama) layout from igraph, for graphs too big for `dot`.

igraph assigns layers and orders nodes within them (with dummy points on
long edges); this module turns that into pixel positions that respect each
node's size, smooth edge routes through the dummy points, and module
regions drawn as the bounding boxes of their members.
"""

from __future__ import annotations

import itertools
import time
from collections import defaultdict

import igraph

from studio.core.layout.model import (
    Direction,
    EdgeRoute,
    LayoutRequest,
    LayoutResult,
    Point,
)

_LAYER_GAP = 70.0
_NODE_GAP = 14.0
_REGION_PAD = 12.0


def layout_layered(request: LayoutRequest) -> LayoutResult:
    started = time.perf_counter()
    index = {node.name: i for i, node in enumerate(request.nodes)}
    edges = [(index[u], index[v]) for u, v in request.edges if u in index and v in index]
    graph = igraph.Graph(n=len(request.nodes), edges=edges, directed=True)
    layout = graph.layout_sugiyama(maxiter=40)
    coords = layout.coords
    lr = request.direction is Direction.LEFT_RIGHT

    # Along the layer axis: each layer as thick as its thickest node.
    layer_of = [round(c[1]) for c in coords[: len(request.nodes)]]
    thickness: dict[int, float] = defaultdict(float)
    for node, layer in zip(request.nodes, layer_of, strict=True):
        thickness[layer] = max(thickness[layer], node.width if lr else node.height)
    layer_start: dict[int, float] = {}
    offset = 0.0
    for layer in sorted(thickness):
        layer_start[layer] = offset
        offset += thickness[layer] + _LAYER_GAP
    layer_centre = {layer: layer_start[layer] + thickness[layer] / 2 for layer in thickness}

    # Across: keep igraph's order, spread by real sizes.
    breadth = [node.height if lr else node.width for node in request.nodes]
    unit = (max(breadth) if breadth else 40.0) + _NODE_GAP
    by_layer: dict[int, list[int]] = defaultdict(list)
    for i, layer in enumerate(layer_of):
        by_layer[layer].append(i)
    across = [0.0] * len(request.nodes)
    for members in by_layer.values():
        members.sort(key=lambda i: coords[i][0])
        previous_end = float("-inf")
        for i in members:
            centre = max(coords[i][0] * unit, previous_end + breadth[i] / 2 + _NODE_GAP)
            across[i] = centre
            previous_end = centre + breadth[i] / 2

    def point(along: float, cross: float) -> Point:
        return (along, cross) if lr else (cross, along)

    positions = {
        node.name: point(layer_centre[layer_of[i]], across[i])
        for i, node in enumerate(request.nodes)
    }
    routes = {}
    for edge_index, (u, v) in enumerate(edges):
        bends = [
            point(layer_centre.get(round(y), y * unit), x * unit)
            for x, y in layout.edge_routing[edge_index]
        ]
        source, target = request.nodes[u], request.nodes[v]
        start = _port(positions[source.name], source.width, source.height, lr, outgoing=True)
        end = _port(positions[target.name], target.width, target.height, lr, outgoing=False)
        routes[(source.name, target.name)] = _smooth([start, *bends, end], lr)

    positions, routes, width, height = _normalise(positions, routes, request)
    regions = _regions(request, positions)
    return LayoutResult(
        positions=positions,
        routes=routes,
        regions=regions,
        width=width,
        height=height,
        engine="layered",
        seconds=time.perf_counter() - started,
        direction=request.direction,
    )


def _port(centre: Point, width: float, height: float, lr: bool, outgoing: bool) -> Point:
    sign = 1 if outgoing else -1
    if lr:
        return (centre[0] + sign * width / 2, centre[1])
    return (centre[0], centre[1] + sign * height / 2)


def _smooth(points: list[Point], lr: bool) -> EdgeRoute:
    """S-shaped cubic segments through the points, tangent along the flow."""
    curve: list[Point] = [points[0]]
    for a, b in itertools.pairwise(points):
        if lr:
            dx = (b[0] - a[0]) / 2
            curve += [(a[0] + dx, a[1]), (b[0] - dx, b[1]), b]
        else:
            dy = (b[1] - a[1]) / 2
            curve += [(a[0], a[1] + dy), (b[0], b[1] - dy), b]
    return EdgeRoute(tuple(curve), points[-1])


def _normalise(
    positions: dict[str, Point],
    routes: dict[tuple[str, str], EdgeRoute],
    request: LayoutRequest,
) -> tuple[dict[str, Point], dict[tuple[str, str], EdgeRoute], float, float]:
    """Shift everything so the drawing starts at (margin, margin)."""
    if not positions:
        return positions, routes, 0.0, 0.0
    sizes = {node.name: node for node in request.nodes}
    margin = _REGION_PAD + request.region_label_height
    left = min(x - sizes[n].width / 2 for n, (x, _) in positions.items()) - margin
    top = min(y - sizes[n].height / 2 for n, (_, y) in positions.items()) - margin
    right = max(x + sizes[n].width / 2 for n, (x, _) in positions.items()) + margin
    bottom = max(y + sizes[n].height / 2 for n, (_, y) in positions.items()) + margin

    def move(p: Point) -> Point:
        return (p[0] - left, p[1] - top)

    moved = {name: move(p) for name, p in positions.items()}
    moved_routes = {
        key: EdgeRoute(tuple(move(p) for p in r.points), move(r.tip)) for key, r in routes.items()
    }
    return moved, moved_routes, right - left, bottom - top


def _regions(
    request: LayoutRequest, positions: dict[str, Point]
) -> dict[str, tuple[float, float, float, float]]:
    boxes: dict[str, list[float]] = {}
    for node in request.nodes:
        if node.group is None:
            continue
        x, y = positions[node.name]
        box = [x - node.width / 2, y - node.height / 2, x + node.width / 2, y + node.height / 2]
        if node.group in boxes:
            old = boxes[node.group]
            box = [
                min(old[0], box[0]),
                min(old[1], box[1]),
                max(old[2], box[2]),
                max(old[3], box[3]),
            ]
        boxes[node.group] = box
    pad, label = _REGION_PAD, request.region_label_height
    return {
        group: (x0 - pad, y0 - pad - label, x1 - x0 + 2 * pad, y1 - y0 + 2 * pad + label)
        for group, (x0, y0, x1, y1) in boxes.items()
    }
