"""An edge crossing far more than the view paints only its pieces near what is
exposed, and looks there exactly as when painted whole."""

import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QStyleOptionGraphicsItem

from studio.core.graph.emphasis import Emphasis
from studio.core.layout import EdgeRoute
from studio.ui.canvas.items.edge_item import EdgeItem
from studio.ui.theme import LIGHT

_SIZE = 300


def _long_route() -> EdgeRoute:
    """Down across 20,000 pixels and back, by curves and a level stretch."""
    points = [(0.0, 0.0)]
    for step in range(1, 8):
        x0, y0 = points[-1]
        x = step * 3000.0
        y = 150.0 if step in (3, 4) else 150.0 + (step % 2) * 400.0
        points += [(x0 + 1000.0, y0), (x - 1000.0, y), (x, y)]
    return EdgeRoute(tuple(points), points[-1])


def _painted(item: EdgeItem, shown: QRectF, exposed: QRectF) -> QImage:
    """The part `shown` of the scene as the view would paint it, `exposed` told to the item."""
    image = QImage(_SIZE, _SIZE, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor(255, 255, 255))
    painter = QPainter(image)
    painter.translate(-shown.topLeft())
    option = QStyleOptionGraphicsItem()
    option.exposedRect = exposed
    item.paint(painter, option)
    painter.end()
    return image


@pytest.mark.parametrize("emphasis", [Emphasis.NORMAL, Emphasis.UPSTREAM, Emphasis.DIMMED])
@pytest.mark.parametrize("corner", [(8900.0, 0.0), (9500.0, 0.0), (14800.0, 400.0)])
def test_a_long_edge_painted_near_the_view_looks_as_painted_whole(qtbot, emphasis, corner):
    item = EdgeItem("a", "b", LIGHT, count=3)
    item.set_emphasis(emphasis)
    item.set_route(_long_route())
    shown = QRectF(QPointF(*corner), QPointF(corner[0] + _SIZE, corner[1] + _SIZE))
    whole = _painted(item, shown, QRectF())
    assert whole != _painted(EdgeItem("c", "d", LIGHT), shown, QRectF())  # something shows
    assert _painted(item, shown, shown) == whole
    pieces = list(item._parts_near(shown))
    assert pieces and sum(p.elementCount() for p in pieces) < item.path().elementCount()
