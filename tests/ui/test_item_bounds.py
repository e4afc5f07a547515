"""Canvas items paint only inside the bounds they report: whatever an item paints
outside is never erased when it moves, and stays on the canvas as a ghost fragment."""

import pytest
from PySide6.QtCore import QPointF, QRectF, QSizeF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QStyleOptionGraphicsItem

from studio.core.graph.emphasis import Emphasis
from studio.core.layout import EdgeRoute
from studio.core.runs.run_state import NodeRun, NodeState
from studio.ui.canvas.items.edge_item import EdgeItem
from studio.ui.canvas.items.node_item import NodeItem
from studio.ui.theme import LIGHT
from tests.helpers import make_node

_SIZE = 400


def _painted_outside(item: EdgeItem | NodeItem, scale: float = 1.0) -> int:
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
