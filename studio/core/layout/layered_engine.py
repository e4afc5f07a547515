"""A fast layered (Sugiyama) layout of the whole graph at once, module regions drawn around
their members.

Fast at thousands of nodes, but modules interleave; the grouped engine
keeps each module in a box of its own.
"""

from __future__ import annotations

import itertools
import time

from studio.core.layout.layering import place_layers
from studio.core.layout.model import (
    Direction,
    EdgeRoute,
    LayoutRequest,
    LayoutResult,
    Point,
)

REGION_PAD = 12.0


def layout_layered(request: LayoutRequest) -> LayoutResult:
    started = time.perf_counter()
    lr = request.direction is Direction.LEFT_RIGHT
    index = {node.name: i for i, node in enumerate(request.nodes)}
    edges = [(index[u], index[v]) for u, v in request.edges if u in index and v in index]
    placement = place_layers([(n.width, n.height) for n in request.nodes], edges, lr)
    margin = REGION_PAD + request.region_label_height

    def shift(p: Point) -> Point:
        return (p[0] + margin, p[1] + margin)

    positions = {node.name: shift(placement.positions[i]) for i, node in enumerate(request.nodes)}
    routes = {}
    for e, (u, v) in enumerate(edges):
        source, target = request.nodes[u], request.nodes[v]
        routes[(source.name, target.name)] = route_between(
            positions[source.name],
            (source.width, source.height),
            positions[target.name],
            (target.width, target.height),
            [shift(p) for p in placement.bends[e]],
            lr,
        )
    return LayoutResult(
        positions=positions,
        routes=routes,
        regions=regions_around(request, positions),
        width=placement.width + 2 * margin,
        height=placement.height + 2 * margin,
        engine="layered",
        seconds=time.perf_counter() - started,
        direction=request.direction,
    )


def port(centre: Point, size: tuple[float, float], lr: bool, outgoing: bool) -> Point:
    """Where an edge leaves (outgoing) or enters a box: the middle of its side."""
    sign = 1 if outgoing else -1
    if lr:
        return (centre[0] + sign * size[0] / 2, centre[1])
    return (centre[0], centre[1] + sign * size[1] / 2)


def route_between(
    source: Point,
    source_size: tuple[float, float],
    target: Point,
    target_size: tuple[float, float],
    bends: list[Point],
    lr: bool,
) -> EdgeRoute:
    start = port(source, source_size, lr, outgoing=True)
    end = port(target, target_size, lr, outgoing=False)
    return smooth([start, *bends, end], lr)


def smooth(points: list[Point], lr: bool) -> EdgeRoute:
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


def regions_around(
    request: LayoutRequest, positions: dict[str, Point]
) -> dict[str, tuple[float, float, float, float]]:
    """Each module's region: the bounding box of its members, padded, with room for a label."""
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
    pad, label = REGION_PAD, request.region_label_height
    return {
        group: (x0 - pad, y0 - pad - label, x1 - x0 + 2 * pad, y1 - y0 + 2 * pad + label)
        for group, (x0, y0, x1, y1) in boxes.items()
    }
