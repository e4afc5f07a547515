"""A drawing shrunk to fit its view is spread over the side the fit leaves empty: the
same zoom, more room between the names (issue 29, the first look at 60-150 functions)."""

import itertools
from dataclasses import replace

from studio.core.layout import Direction, LayoutNode, LayoutRequest, compute_layout
from studio.core.layout.fitting import fit_zoom
from studio.core.layout.layered_engine import port

FRAME = (1320.0, 900.0)


def _wide_modules(modules: int = 3, fan: int = 14) -> LayoutRequest:
    """Modules side by side, each a source fanning out to `fan` features then a join:
    far wider than the view, and not as tall."""
    nodes: list[LayoutNode] = []
    edges: list[tuple[str, str]] = []
    for m in range(modules):
        group = f"features_{m}"
        nodes.append(LayoutNode(f"m{m}_source", 120, 44, group))
        if m:
            edges.append((f"m{m - 1}_join", f"m{m}_source"))
        for f in range(fan):
            nodes.append(LayoutNode(f"m{m}_f{f}", 120, 44, group))
            nodes.append(LayoutNode(f"m{m}_g{f}", 120, 44, group))
            edges += [(f"m{m}_source", f"m{m}_f{f}"), (f"m{m}_f{f}", f"m{m}_g{f}")]
            edges.append((f"m{m}_g{f}", f"m{m}_join"))
        nodes.append(LayoutNode(f"m{m}_join", 120, 44, group))
    return LayoutRequest(tuple(nodes), tuple(edges), Direction.LEFT_RIGHT, frame=FRAME)


def test_a_wide_drawing_is_spread_down_the_view_at_the_same_zoom():
    request = _wide_modules()
    tight = compute_layout(replace(request, frame=None), "grouped")
    spread = compute_layout(request, "grouped")
    zoom = fit_zoom(tight.width, tight.height, FRAME)
    assert zoom < 1.0
    assert fit_zoom(spread.width, spread.height, FRAME) >= zoom * 0.999
    assert spread.height > 1.2 * tight.height
    assert spread.width == tight.width
    column = sorted(spread.positions[f"m0_f{f}"][1] for f in range(14))
    tight_column = sorted(tight.positions[f"m0_f{f}"][1] for f in range(14))
    gaps = [b - a for a, b in itertools.pairwise(column)]
    tight_gaps = [b - a for a, b in itertools.pairwise(tight_column)]
    assert min(gaps) > 1.2 * min(tight_gaps)
    assert any("spread" in note for note in spread.notes)


def test_spread_edges_still_leave_and_enter_their_cards_and_modules_hold_them():
    request = _wide_modules()
    spread = compute_layout(request, "grouped")
    sizes = {n.name: (n.width, n.height) for n in request.nodes}
    for (u, v), route in spread.routes.items():
        assert route.points[0] == port(spread.positions[u], sizes[u], True, outgoing=True)
        assert route.tip == port(spread.positions[v], sizes[v], True, outgoing=False)
    for node in request.nodes:
        x, y = spread.positions[node.name]
        rx, ry, rw, rh = spread.regions[node.group]
        assert rx <= x - node.width / 2 and x + node.width / 2 <= rx + rw
        assert ry <= y - node.height / 2 and y + node.height / 2 <= ry + rh


def test_a_drawing_shown_whole_and_a_dot_drawing_keep_their_spacing():
    small = LayoutRequest(
        (LayoutNode("a", 100, 44), LayoutNode("b", 100, 44), LayoutNode("c", 100, 44)),
        (("a", "b"), ("a", "c")),
        Direction.LEFT_RIGHT,
        frame=FRAME,
    )
    assert (
        compute_layout(small, "grouped").positions
        == compute_layout(replace(small, frame=None), "grouped").positions
    )
    wide = _wide_modules(modules=2, fan=6)
    assert (
        compute_layout(wide, "dot").positions
        == compute_layout(replace(wide, frame=None), "dot").positions
    )
