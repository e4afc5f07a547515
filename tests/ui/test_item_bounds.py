"""Canvas items paint only inside the bounds they report: whatever an item paints
outside is never erased when it moves, and stays on the canvas as a ghost fragment."""

import itertools

import pytest
from PySide6.QtCore import QPointF, QRectF, QSizeF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QStyleOptionGraphicsItem

from studio.core.graph.emphasis import Emphasis
from studio.core.layout import EdgeRoute
from studio.core.runs.run_state import NodeRun, NodeState
from studio.ui.canvas.items.edge_item import EdgeItem
from studio.ui.canvas.items.node_item import NodeItem
from studio.ui.canvas.overview import OverviewItem
from studio.ui.theme import LIGHT
from tests.helpers import make_node

_SIZE = 400


def _painted_outside(item: EdgeItem | NodeItem | OverviewItem, scale: float = 1.0) -> int:
    image = QImage(_SIZE, _SIZE, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor(0, 0, 0, 0))
    painter = QPainter(image)
    painter.translate(_SIZE / 2, _SIZE / 2)
    painter.scale(scale, scale)
    item.paint(painter, QStyleOptionGraphicsItem())
    painter.end()
    drawn = item.boundingRect()
    drawn = QRectF(drawn.topLeft() * scale, drawn.size() * scale)
    bounds = drawn.translated(_SIZE / 2, _SIZE / 2).toAlignedRect()
    return sum(
        1
        for y in range(_SIZE)
        for x in range(_SIZE)
        if image.pixelColor(x, y).alpha() and not bounds.contains(x, y)
    )


@pytest.mark.parametrize("count", [1, 2, 40])
@pytest.mark.parametrize("emphasis", [Emphasis.NORMAL, Emphasis.UPSTREAM])
def test_a_thick_or_highlighted_edge_paints_within_its_bounds(qtbot, count, emphasis):
    item = EdgeItem("a", "b", LIGHT, count=count)
    item.set_emphasis(emphasis)
    straight = EdgeRoute(((-100.0, 0.0), (-50.0, 0.0), (50.0, 0.0), (100.0, 0.0)), (100.0, 0.0))
    item.set_route(straight)
    assert _painted_outside(item) == 0
    item.set_ends(QPointF(-120, -60), QPointF(90, 80), left_to_right=True)
    assert _painted_outside(item) == 0
    assert item.boundingRect() != QRectF()


@pytest.mark.parametrize("scale", [1.0, 0.5])
@pytest.mark.parametrize("emphasis", [Emphasis.SELECTED, Emphasis.UPSTREAM, Emphasis.NORMAL])
def test_a_card_with_every_mark_paints_within_its_bounds(qtbot, scale, emphasis):
    item = NodeItem(make_node("a_rather_long_node_name"), QSizeF(190, 46), LIGHT)
    item.set_emphasis(emphasis)
    item.set_search_hit(True)
    item.set_changed(True)
    item.set_run(NodeRun(NodeState.FAILED, seconds=1.5, error="boom"))
    assert _painted_outside(item, scale) == 0


def _overview(qtbot, boxes: list[QRectF]) -> OverviewItem:
    """The overview item of a small graph of `boxes` in a row, edges between neighbours."""
    item = OverviewItem()
    bounds = boxes[0].united(boxes[-1])
    centres = [(b.center().x(), b.center().y()) for b in boxes]
    with qtbot.waitSignal(item.picture_ready, timeout=5_000):
        item.set_graph(
            [(f"n{i}", box) for i, box in enumerate(boxes)],
            [[a, b] for a, b in itertools.pairwise(centres)],
            QPointF(),
            bounds,
            QColor("#336699"),
        )
    styles = {f"n{i}": (QColor("#2266cc"), None) for i in range(len(boxes))}
    item.set_styles(styles, {"n0": QColor("#ff0000")}, [], dim_edges=False)
    return item


def test_the_overview_paints_nothing_of_the_layout_before_a_new_one(qtbot):
    """Issue 29 (4b): after a relayout of a 1,000-node graph a copy of the last layout
    stayed on the canvas, painted by the overview from its old boxes and edge picture
    outside its new bounds, where no repaint erases it."""
    old = [QRectF(-190 + 40 * i, -150, 30, 20) for i in range(5)]
    item = _overview(qtbot, old)
    assert _painted_outside(item) == 0
    item.set_graph(
        [(f"n{i}", QRectF(-20 + 30 * i, 100, 20, 12)) for i in range(3)],
        [[(-10.0, 106.0), (80.0, 106.0)]],
        QPointF(),
        QRectF(-20, 100, 80, 12),
        QColor("#336699"),
    )
    assert _painted_outside(item) == 0, "the last layout is painted where no repaint erases it"
    with qtbot.waitSignal(item.picture_ready, timeout=5_000):
        pass
    assert _painted_outside(item) == 0


def _overview_image(item: OverviewItem) -> QImage:
    image = QImage(_SIZE, _SIZE, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor(255, 255, 255))
    painter = QPainter(image)
    painter.translate(_SIZE / 2, _SIZE / 2)
    item.paint(painter, QStyleOptionGraphicsItem())
    painter.end()
    return image


def test_the_overview_styled_by_base_fills_and_exceptions_paints_as_styled_box_by_box(qtbot):
    """A restyle names only the boxes set apart; the rest keep their base fill."""
    boxes = [QRectF(-190 + 40 * i, -10 * (i % 3), 30, 20) for i in range(9)]
    item = _overview(qtbot, boxes)
    kinds = [QColor("#2266cc"), QColor("#cc6622"), QColor("#22aa44")]
    base = [kinds[i % 3] for i in range(9)]
    apart = {"n1": (QColor("#ff0000"), None), "n4": (QColor("#2266cc"), None)}
    full = {f"n{i}": apart.get(f"n{i}", (base[i], None)) for i in range(9)}
    marks = {"n7": QColor("#00ff00"), "n2": QColor("#0000ff")}
    item.set_styles(full, marks, [], dim_edges=False)
    whole = _overview_image(item)
    item.set_styles(apart, marks, [], dim_edges=False, base=base)
    assert _overview_image(item) == whole
    item.set_styles({}, marks, [], dim_edges=False, base=base)
    assert _overview_image(item) != whole
