"""Both layout engines place every node, route every edge and box every module."""

import pytest

from studio.core.discovery import discover
from studio.core.layout import Direction, LayoutNode, LayoutRequest, compute_layout
from studio.core.resources import example_path
from studio.kernel.graph_builder import load_dataflow


@pytest.fixture(scope="module")
def spaceflights_request():
    project = discover(example_path("spaceflights"))
    snapshot = load_dataflow(project.root, project.dataflow()).snapshot
    nodes = tuple(
        LayoutNode(n.name, 60 + 7 * len(n.name), 44, None if n.is_external_input else n.group)
        for n in snapshot.nodes
    )
    return LayoutRequest(nodes, tuple(snapshot.edges()))


def overlaps(a, b, size):
    (ax, ay), (bx, by) = a, b
    return abs(ax - bx) < size[0] and abs(ay - by) < size[1]


@pytest.mark.parametrize("engine", ["dot", "layered"])
@pytest.mark.parametrize("direction", list(Direction))
def test_every_node_edge_and_module_is_placed(spaceflights_request, engine, direction):
    request = LayoutRequest(spaceflights_request.nodes, spaceflights_request.edges, direction)
    result = compute_layout(request, engine)
    assert result.engine == engine
    assert set(result.positions) == {n.name for n in request.nodes}
    assert set(result.routes) == set(request.edges)
    sizes = {n.name: n for n in request.nodes}
    for node in request.nodes:
        x, y = result.positions[node.name]
        assert x - node.width / 2 >= 0 and x + node.width / 2 <= result.width + 1
        assert y - node.height / 2 >= 0 and y + node.height / 2 <= result.height + 1
        if node.group:
            rx, ry, rw, rh = result.regions[node.group]
            assert rx <= x - node.width / 2 and x + node.width / 2 <= rx + rw
            assert ry <= y - node.height / 2 and y + node.height / 2 <= ry + rh
    names = list(result.positions)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            size = ((sizes[a].width + sizes[b].width) / 2, (sizes[a].height + sizes[b].height) / 2)
            assert not overlaps(result.positions[a], result.positions[b], size), (a, b)
    # Edges flow with the direction: the downstream node is further along.
    axis = 0 if direction is Direction.LEFT_RIGHT else 1
    for upstream, downstream in request.edges:
        assert result.positions[upstream][axis] < result.positions[downstream][axis]
    for route in result.routes.values():
        assert (len(route.points) - 1) % 3 == 0


def test_auto_picks_the_fast_engine_for_big_graphs():
    nodes = tuple(LayoutNode(f"n{i}", 80, 40) for i in range(600))
    edges = tuple((f"n{i // 2}", f"n{i}") for i in range(1, 600))
    result = compute_layout(LayoutRequest(nodes, edges))
    assert result.engine == "layered"
    assert len(result.positions) == 600
    small = compute_layout(LayoutRequest(nodes[:10], tuple(e for e in edges if int(e[1][1:]) < 10)))
    assert small.engine == "dot"


def test_empty_graph_and_unknown_engine():
    assert compute_layout(LayoutRequest((), ())).positions == {}
    with pytest.raises(ValueError, match="unknown layout engine"):
        compute_layout(LayoutRequest((LayoutNode("a", 10, 10),), ()), "neato")
