"""Layered (Sugiyama) placement of boxes of any size, the step both fast engines share.

igraph assigns layers and orders the boxes within each layer, threading
long edges through dummy points. Its coordinates give every box and
dummy the same slot, so a few long edges would spread a layer far apart;
here each layer is packed instead: real boxes keep a gap between them,
dummies only a thin one, and everything stays as close as the packing
allows to where igraph wanted it, so edges stay mostly straight.

A layer may be capped (`most_per_layer`): a wide layer is then wrapped
onto several consecutive ones, its k-th box going to the k mod n-th, so
a shallow, wide dataflow takes the shape of the view instead of a thin
column (what Graphviz's `unflatten` does for leaves, for every box).
"""

from __future__ import annotations

import itertools
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from studio.core.layout.igraph_import import igraph
from studio.core.layout.model import Point
from studio.core.layout.sugiyama_helper import HELPER

LAYER_GAP = 70.0
NODE_GAP = 14.0
DUMMY_GAP = 6.0
_BEND_WEIGHT = 0.5
"""How much a bend point pulls on its layer compared with a box."""
_SWEEPS = 6


@dataclass(slots=True)
class Placement:
    """Box centres and edge bend points, in a frame whose boxes start at (0, 0)."""

    positions: list[Point]
    bends: list[list[Point]]
    """Per edge: the points a long edge passes through between its two boxes."""
    width: float
    height: float
    seconds: float = 0.0
    widest: int = 0
    """The most boxes in one layer."""


def place_layers(
    sizes: list[tuple[float, float]],
    edges: list[tuple[int, int]],
    left_to_right: bool,
    most_per_layer: int | None = None,
) -> Placement:
    """Place boxes of `sizes` (width, height) so that every edge points along the flow,
    with at most `most_per_layer` boxes in a layer when given."""
    started = time.perf_counter()
    if not sizes:
        return Placement([], [], 0.0, 0.0)
    coords, routing = _sugiyama(len(sizes), edges)
    if most_per_layer is not None:
        first = coords[: len(sizes)]
        layers = wrapped_layers([round(c[1]) for c in first], [c[0] for c in first], most_per_layer)
        if layers is not None:
            coords, routing = _sugiyama(len(sizes), edges, layers)
    along_size = [w if left_to_right else h for w, h in sizes]
    across_size = [h if left_to_right else w for w, h in sizes]

    layer_of = [round(c[1]) for c in coords[: len(sizes)]]
    thickness: dict[int, float] = defaultdict(float)
    for i, layer in enumerate(layer_of):
        thickness[layer] = max(thickness[layer], along_size[i])
    for points in routing:
        for _, y in points:
            thickness[round(y)] += 0.0
    layer_centre: dict[int, float] = {}
    offset = 0.0
    for layer in sorted(thickness):
        layer_centre[layer] = offset + thickness[layer] / 2
        offset += thickness[layer] + LAYER_GAP
    along_extent = offset - LAYER_GAP

    # Slots: boxes first, then the bend points of long edges, each chained to its neighbours.
    slot_size = list(across_size)
    slot_weight = [1.0] * len(sizes)
    layer_slots: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for i, layer in enumerate(layer_of):
        layer_slots[layer].append((coords[i][0], i))
    ups: list[list[int]] = [[] for _ in sizes]
    downs: list[list[int]] = [[] for _ in sizes]
    bend_slot: list[list[int]] = []
    for e, points in enumerate(routing):
        chain = [edges[e][0]]
        for x, y in points:
            slot = len(slot_size)
            slot_size.append(0.0)
            slot_weight.append(_BEND_WEIGHT)
            ups.append([])
            downs.append([])
            layer_slots[round(y)].append((x, slot))
            chain.append(slot)
        chain.append(edges[e][1])
        bend_slot.append(chain[1:-1])
        for a, b in itertools.pairwise(chain):
            downs[a].append(b)
            ups[b].append(a)
    layers = [[slot for _, slot in sorted(layer_slots[k])] for k in sorted(layer_slots)]
    offsets = [_offsets(members, slot_size) for members in layers]
    position = [0.0] * len(slot_size)
    for members, shift in zip(layers, offsets, strict=True):
        _project(members, [0.0] * len(members), shift, slot_weight, position)
    at = position.__getitem__
    for sweep in range(_SWEEPS):
        downward = sweep % 2 == 0
        neighbours = ups if downward else downs
        rows = zip(layers, offsets, strict=True)
        order: Iterable[tuple[list[int], list[float]]] = rows if downward else reversed(list(rows))
        for row, shift in order:
            wanted = [
                sum(map(at, near)) / len(near) if (near := neighbours[s]) else position[s]
                for s in row
            ]
            _project(row, wanted, shift, slot_weight, position)
    low = min(p - size / 2 for p, size in zip(position, slot_size, strict=True))
    high = max(p + size / 2 for p, size in zip(position, slot_size, strict=True))

    def point(along: float, cross: float) -> Point:
        return (along, cross - low) if left_to_right else (cross - low, along)

    positions = [point(layer_centre[layer_of[i]], position[i]) for i in range(len(sizes))]
    bends = [
        [
            point(layer_centre[round(y)], position[slot])
            for slot, (_, y) in zip(chain, pts, strict=True)
        ]
        for chain, pts in zip(bend_slot, routing, strict=True)
    ]
    breadth = high - low
    width, height = (along_extent, breadth) if left_to_right else (breadth, along_extent)
    widest = max(Counter(layer_of).values())
    return Placement(positions, bends, width, height, time.perf_counter() - started, widest)


def wrapped_layers(layer_of: list[int], order: list[float], most: int) -> list[int] | None:
    """Layers with each one holding more than `most` boxes spread over as many
    consecutive layers as it needs, neighbours in a layer (by `order`) going to
    different ones (None when no layer is too wide). Edges keep pointing forward: a
    layer's boxes all come after every box of the layers before it."""
    members: dict[int, list[int]] = defaultdict(list)
    for box in sorted(range(len(layer_of)), key=lambda b: order[b]):
        members[layer_of[box]].append(box)
    if max(len(boxes) for boxes in members.values()) <= most:
        return None
    wrapped = [0] * len(layer_of)
    start = 0
    for layer in sorted(members):
        boxes = members[layer]
        parts = -(-len(boxes) // most)
        for index, box in enumerate(boxes):
            wrapped[box] = start + index % parts
        start += parts
    return wrapped


def _sugiyama(
    count: int, edges: list[tuple[int, int]], layers: list[int] | None = None
) -> tuple[list[list[float]], list[list[list[float]]]]:
    """`sugiyama_here`, in the layout helper once a big drawing started it (igraph holds
    the interpreter through the call: `sugiyama_helper`)."""
    found = HELPER.sugiyama(count, edges, layers) if HELPER.ready else None
    return found if found is not None else sugiyama_here(count, edges, layers)


def sugiyama_here(
    count: int, edges: list[tuple[int, int]], layers: list[int] | None = None
) -> tuple[list[list[float]], list[list[list[float]]]]:
    """igraph's layer and in-layer coordinates of each box, and each edge's dummy points in order.

    igraph returns the dummies as extra vertices of an extended graph whose
    edges remember the original edge they were cut from; an edge reversed
    to break a cycle is walked from its target and turned round.
    """
    graph = igraph.Graph(n=count, edges=edges, directed=True)
    layout, extended = graph.layout_sugiyama(layers=layers, maxiter=40, return_extended_graph=True)
    coords = layout.coords
    following: list[dict[int, int]] = [{} for _ in edges]
    for piece, original in zip(extended.get_edgelist(), extended.es["_original_eid"], strict=True):
        following[original][piece[0]] = piece[1]
    routing: list[list[list[float]]] = []
    for e, (source, target) in enumerate(edges):
        steps = following[e]
        start, end, backwards = (
            (source, target, False) if source in steps else (target, source, True)
        )
        points: list[list[float]] = []
        vertex = steps.get(start)
        while vertex is not None and vertex != end and vertex >= count:
            points.append(list(coords[vertex]))
            vertex = steps.get(vertex)
        routing.append(points[::-1] if backwards else points)
    return coords, routing


def _offsets(members: list[int], size: list[float]) -> list[float]:
    """The room the slots before each one need: the same for every sweep over a layer."""
    offsets = [0.0] * len(members)
    for k in range(1, len(members)):
        a, b = members[k - 1], members[k]
        gap = DUMMY_GAP if size[a] == 0.0 or size[b] == 0.0 else NODE_GAP
        offsets[k] = offsets[k - 1] + (size[a] + size[b]) / 2 + gap
    return offsets


def _project(
    members: list[int],
    wanted: list[float],
    offsets: list[float],
    weight: list[float],
    position: list[float],
) -> None:
    """Positions as near `wanted` as possible (least squares) with no two slots overlapping.

    Keeping order with minimum separations is isotonic regression once each
    slot is shifted by the room the slots before it need (`offsets`): pool
    adjacent violators solves it in one pass. Run per layer and sweep (about
    6,500 times for 20,000 nodes), so the pools are plain tuples.
    """
    pools: list[tuple[float, float, int]] = []  # (mean, weight, count)
    for k, slot in enumerate(members):
        mean, total, count = wanted[k] - offsets[k], weight[slot], 1
        while pools and pools[-1][0] > mean:
            before, weight_before, count_before = pools.pop()
            merged = weight_before + total
            mean = (before * weight_before + mean * total) / merged
            total = merged
            count += count_before
        pools.append((mean, total, count))
    k = 0
    for mean, _, count in pools:
        for _ in range(count):
            position[members[k]] = mean + offsets[k]
            k += 1
