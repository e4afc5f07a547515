"""The layout engines place every node, route every edge and box every module."""

import random
import threading
import time
from dataclasses import replace

import pytest

from bench.synthetic import generate
from studio.core.discovery.discover import discover
from studio.core.layout import Direction, LayoutNode, LayoutRequest, compute_layout
from studio.core.layout.fitting import fit_zoom
from studio.core.resources import example_path
from studio.kernel.loading.project_load import load_flow


@pytest.fixture(scope="module")
def spaceflights_request():
    project = discover(example_path("spaceflights"))
    snapshot = load_flow(project, project.dataflow()).snapshot
    nodes = tuple(
        LayoutNode(n.name, 60 + 7 * len(n.name), 44, None if n.is_external_input else n.group)
        for n in snapshot.nodes
    )
    return LayoutRequest(nodes, tuple(snapshot.edges()))


def overlaps(a, b, size):
    (ax, ay), (bx, by) = a, b
    return abs(ax - bx) < size[0] and abs(ay - by) < size[1]


@pytest.mark.parametrize("engine", ["dot", "grouped", "layered"])
@pytest.mark.parametrize("direction", [Direction.LEFT_RIGHT, Direction.TOP_BOTTOM])
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


def _chain(length: int) -> LayoutRequest:
    nodes = tuple(LayoutNode(f"step_{i}", 160, 44) for i in range(length))
    return LayoutRequest(nodes, tuple((f"step_{i}", f"step_{i + 1}") for i in range(length - 1)))


def _fan(width: int) -> LayoutRequest:
    leaves = [LayoutNode(f"leaf_{i}", 160, 44) for i in range(width)]
    nodes = (LayoutNode("source", 160, 44), *leaves)
    return LayoutRequest(nodes, tuple(("source", f"leaf_{i}") for i in range(width)))


@pytest.mark.parametrize(
    ("request_", "frame", "expected"),
    [
        (_chain(8), (1600, 500), Direction.LEFT_RIGHT),
        (_chain(8), (500, 1600), Direction.TOP_BOTTOM),
        (_fan(12), (1600, 500), Direction.TOP_BOTTOM),
        (_fan(12), (500, 1600), Direction.LEFT_RIGHT),
    ],
)
def test_auto_direction_draws_the_graph_largest_in_its_frame(request_, frame, expected):
    auto = compute_layout(replace(request_, direction=Direction.AUTO, frame=frame), "dot")
    assert auto.direction is expected
    other = compute_layout(
        replace(
            request_,
            direction=next(
                d for d in (Direction.LEFT_RIGHT, Direction.TOP_BOTTOM) if d is not expected
            ),
        ),
        "dot",
    )
    assert fit_zoom(auto.width, auto.height, frame) > fit_zoom(other.width, other.height, frame)


def test_auto_direction_without_a_frame_is_left_to_right():
    auto = compute_layout(LayoutRequest(_chain(5).nodes, _chain(5).edges, Direction.AUTO))
    assert auto.direction is Direction.LEFT_RIGHT


def test_auto_picks_the_fast_engine_for_big_graphs():
    nodes = tuple(LayoutNode(f"n{i}", 80, 40) for i in range(600))
    edges = tuple((f"n{i // 2}", f"n{i}") for i in range(1, 600))
    result = compute_layout(LayoutRequest(nodes, edges))
    assert result.engine == "grouped"
    assert len(result.positions) == 600
    small = compute_layout(LayoutRequest(nodes[:10], tuple(e for e in edges if int(e[1][1:]) < 10)))
    assert small.engine == "dot"


def test_a_dot_layout_on_a_worker_thread_lets_the_other_threads_run():
    """The window lays out on a thread: its GUI thread must not wait for Graphviz."""
    rng = random.Random(3)
    nodes = tuple(LayoutNode(f"n{i}", 120, 44, f"m{i % 6}") for i in range(300))
    pairs = ((rng.randrange(300), rng.randrange(300)) for _ in range(700))
    edges = tuple(sorted({(f"n{a}", f"n{b}") for a, b in pairs if a < b}))
    done: list[object] = []
    worker = threading.Thread(
        target=lambda: done.append(compute_layout(LayoutRequest(nodes, edges), "dot"))
    )
    start = last = time.perf_counter()
    longest = 0.0
    worker.start()
    while worker.is_alive():
        time.sleep(0.001)
        now = time.perf_counter()
        longest, last = max(longest, now - last), now
    took = time.perf_counter() - start
    assert len(done[0].positions) == 300
    assert longest < took / 2, f"waited {longest * 1000:.0f} ms of a {took * 1000:.0f} ms layout"


def test_empty_graph_and_unknown_engine():
    assert compute_layout(LayoutRequest((), ())).positions == {}
    with pytest.raises(ValueError, match="unknown layout engine"):
        compute_layout(LayoutRequest((LayoutNode("a", 10, 10),), ()), "neato")


@pytest.fixture(scope="module")
def synthetic_request(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synthetic") / "project"
    generate(folder, 1000, modules=5)
    project = discover(folder)
    snapshot = load_flow(project, project.dataflow()).snapshot
    nodes = tuple(
        LayoutNode(n.name, 60 + 7 * len(n.name), 44, None if n.is_external_input else n.group)
        for n in snapshot.nodes
    )
    return LayoutRequest(nodes, tuple(snapshot.edges()))


def test_grouped_engine_keeps_each_module_in_a_box_of_its_own(synthetic_request):
    result = compute_layout(synthetic_request, "grouped")
    assert len(result.regions) == 5
    boxes = list(result.regions.values())
    for i, (ax, ay, aw, ah) in enumerate(boxes):
        for bx, by, bw, bh in boxes[i + 1 :]:
            apart = ax + aw <= bx or bx + bw <= ax or ay + ah <= by or by + bh <= ay
            assert apart, "two module boxes overlap"
    for node in synthetic_request.nodes:
        if node.group:
            rx, ry, rw, rh = result.regions[node.group]
            x, y = result.positions[node.name]
            assert rx <= x - node.width / 2 and x + node.width / 2 <= rx + rw
            assert ry <= y - node.height / 2 and y + node.height / 2 <= ry + rh
    # A sensible drawing: not the 28,000-pixel-tall column the flat layout used to draw.
    assert result.height < 4 * result.width


def test_grouped_engine_lays_out_again_only_the_module_that_changed(synthetic_request):
    compute_layout(synthetic_request, "grouped")
    renamed = tuple(
        LayoutNode(n.name, n.width + 30, n.height, n.group) if n.name == "m1_f1_0" else n
        for n in synthetic_request.nodes
    )
    module = next(n.group for n in renamed if n.name == "m1_f1_0")
    before = compute_layout(synthetic_request, "grouped")
    after = compute_layout(LayoutRequest(renamed, synthetic_request.edges), "grouped")
    assert before.notes == ["5 of 5 module layouts reused"]
    assert after.notes == ["4 of 5 module layouts reused"]
    assert after.regions[module][2] >= before.regions[module][2]


def test_modules_that_depend_on_each_other_both_ways_still_lay_out():
    nodes = tuple(LayoutNode(n, 80, 40, g) for n, g in [("a", "x"), ("b", "y"), ("c", "x")])
    result = compute_layout(LayoutRequest(nodes, (("a", "b"), ("b", "c"))), "grouped")
    assert set(result.positions) == {"a", "b", "c"}
    assert set(result.routes) == {("a", "b"), ("b", "c")}


def test_an_expanded_module_among_collapsed_ones_keeps_them_above_and_below_it(
    synthetic_request,
):
    """Expanding one module of a big project: the other modules' boxes stay in the
    order of the dataflow, above and below it, not stair-stepped down its side."""
    open_module = "features_03"
    key_of = {
        n.name: n.name if n.group in (None, open_module) else f"module:{n.group}"
        for n in synthetic_request.nodes
    }
    nodes = [n for n in synthetic_request.nodes if key_of[n.name] == n.name]
    boxes = sorted({k for k in key_of.values() if k.startswith("module:")})
    nodes += [LayoutNode(box, 160, 60, module_box=True) for box in boxes]
    edges = {(key_of[u], key_of[v]) for u, v in synthetic_request.edges}
    request = LayoutRequest(
        tuple(nodes), tuple(sorted((u, v) for u, v in edges if u != v)), Direction.TOP_BOTTOM
    )
    assert len(request.nodes) <= 400  # small enough for `dot`, which stair-steps them
    result = compute_layout(request)
    x, y, width, height = result.regions[open_module]
    for box in boxes:
        bx, by = result.positions[box]
        assert x <= bx <= x + width, f"{box} is beside the expanded module"
        upstream = box < f"module:{open_module}"
        assert (by < y) if upstream else (by > y + height), f"{box} is out of order"


def fan_request(width: int, direction=Direction.LEFT_RIGHT, frame=(1300.0, 850.0)):
    """One module: a table, `width` columns read from it, and a join of them all: the
    shallow, wide shape of a feature-engineering dataflow."""
    names = ["table", *(f"column_{i}" for i in range(width)), "joined"]
    nodes = tuple(LayoutNode(name, 120, 44, "features") for name in names)
    edges = tuple(
        edge for i in range(width) for edge in (("table", f"column_{i}"), (f"column_{i}", "joined"))
    )
    return LayoutRequest(nodes, edges, direction, frame=frame)


def test_wide_layers_wrap_to_the_frame_and_every_edge_still_points_forward():
    from studio.core.layout.grouped_engine import layout_grouped, layout_grouped_to_fit
    from studio.core.layout.layering import wrapped_layers

    assert wrapped_layers([0, 1, 1, 1, 1, 2], [0, 0, 1, 2, 3, 0], 2) == [0, 1, 2, 1, 2, 3]
    assert wrapped_layers([0, 1, 1, 2], [0, 0, 1, 0], 2) is None
    request = fan_request(40)
    column = layout_grouped(request)
    wrapped = layout_grouped_to_fit(request)
    frame = request.frame
    assert fit_zoom(wrapped.width, wrapped.height, frame) > 1.5 * fit_zoom(
        column.width, column.height, frame
    )
    x = {name: point[0] for name, point in wrapped.positions.items()}
    assert all(x[u] < x[v] for u, v in request.edges)
    assert len({round(x[f"column_{i}"]) for i in range(40)}) > 1  # the columns spread out


def test_auto_draws_a_wide_dataflow_with_the_engine_that_shows_it_larger():
    request = replace(fan_request(60), direction=Direction.AUTO)
    result = compute_layout(request)
    dot = compute_layout(replace(request, direction=result.direction), "dot")
    frame = request.frame
    assert fit_zoom(result.width, result.height, frame) >= fit_zoom(dot.width, dot.height, frame)
    assert result.engine == "grouped"
    small = compute_layout(replace(fan_request(8), direction=Direction.AUTO))
    assert small.engine == "dot"  # a small graph keeps dot's drawing


def test_a_relayout_after_one_module_changed_keeps_the_others_routes_and_equals_a_cold_one():
    """A save changes one module: the grouped engine reuses the others' inner routes
    (10,000 of them cost 35 ms) and draws exactly what a layout from scratch draws."""
    from studio.core.layout.grouped_engine import BLOCK_ROUTES, INNER_LAYOUTS

    def request(renamed: bool) -> LayoutRequest:
        nodes, edges = [], []
        for m in range(3):
            group = f"mod{m}"
            nodes.append(LayoutNode(f"src{m}", 90, 44, group))
            for f in range(6):
                name = "f2_renamed" if renamed and (m, f) == (2, 5) else f"f{m}_{f}"
                nodes.append(LayoutNode(name, 90, 44, group))
                edges.append((f"src{m}", name))
        return LayoutRequest(tuple(nodes), tuple(edges))

    first = compute_layout(request(False), "grouped")
    again = compute_layout(request(True), "grouped")  # a function renamed in mod2
    kept = [e for e in first.routes if e[0] == "src0"]
    assert kept and all(again.routes[e] is first.routes[e] for e in kept)
    INNER_LAYOUTS.clear()
    BLOCK_ROUTES.clear()
    cold = compute_layout(request(True), "grouped")
    assert again.positions == cold.positions
    assert again.routes == cold.routes


def test_a_module_whose_box_grew_or_gained_an_inner_edge_is_laid_out_afresh():
    """The inner placement is cached by its members' names and sizes and its edges: a
    card grown wider (a longer type) or an edge added inside a module, with the very same
    names, must not reuse the placement made before (cards would overlap, or the edge
    would have no bend points)."""
    from studio.core.layout.grouped_engine import BLOCK_ROUTES, INNER_LAYOUTS

    def request(width: float, extra_edge: bool) -> LayoutRequest:
        nodes = [LayoutNode("src", 90, 44, "mod")]
        nodes += [LayoutNode(f"f{k}", width if k == 0 else 90, 44, "mod") for k in range(4)]
        edges = [("src", f"f{k}") for k in range(4)] + [("f0", "f1")] * extra_edge
        return LayoutRequest(tuple(nodes), tuple(edges), Direction.TOP_BOTTOM)

    compute_layout(request(90, False), "grouped")
    for changed in (request(400, False), request(90, True)):
        warm = compute_layout(changed, "grouped")
        INNER_LAYOUTS.clear()
        BLOCK_ROUTES.clear()
        cold = compute_layout(changed, "grouped")
        assert warm.positions == cold.positions
        assert warm.routes == cold.routes
        assert warm.notes == ["0 of 1 module layouts reused"]
