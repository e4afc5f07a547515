"""The node and edge layers file their items into tiles (issue 33): Qt skips a tile
out of view with everything in it, so each tile must hold every item it has, wherever
the item goes, or the item would not be painted."""

import dataclasses

import pytest
from PySide6.QtCore import QPointF, QRectF, QTimer
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath

from studio.core.graph.emphasis import Emphasis
from studio.core.graph.snapshot import GraphSnapshot
from studio.core.layout import compute_layout
from studio.core.model import Workspace
from studio.ui.canvas.item_layers import TILE_SIZE, Tile
from studio.ui.canvas.items.edge_item import EdgeItem
from studio.ui.canvas.items.node_item import NodeItem
from tests.helpers import make_node

CHAIN = GraphSnapshot(
    "flow",
    nodes=tuple(make_node(f"n{i}", [f"n{i - 1}"] if i else []) for i in range(12)),
)


@pytest.fixture
def scene(qtbot):
    from studio.ui.canvas.scene import GraphScene
    from studio.ui.theme import LIGHT

    scene = GraphScene(LIGHT, Workspace())
    yield scene
    scene.deleteLater()


def draw(scene, animate: bool = False, shift: dict[str, float] | None = None) -> None:
    graph = scene.workspace.graph
    request = scene.sizes.layout_request(graph.display, graph.direction)
    layout = compute_layout(request, "dot")
    if shift:
        positions = {k: (x + shift.get(k, 0.0), y) for k, (x, y) in layout.positions.items()}
        layout = dataclasses.replace(layout, positions=positions, routes={})
    scene.show_graph(graph.display, layout, animate=animate)


def outside_their_tile(scene) -> list[str]:
    """The items whose bounds their tile does not hold (those Qt could fail to paint)."""
    wrong = []
    items = [*scene.nodes.values(), *scene.edges.values()]
    for item in items:
        tile = item.parentItem()
        bounds = item.sceneBoundingRect()
        if not isinstance(tile, Tile) or not tile.sceneBoundingRect().contains(bounds):
            wrong.append(getattr(item, "name", None) or str(getattr(item, "key", item)))
    return wrong


def test_items_far_apart_are_in_tiles_of_their_own(scene):
    scene.workspace.graph.accept(CHAIN)
    draw(scene)
    tiles = {item.parentItem() for item in scene.nodes.values()}
    assert len(tiles) > 1, "a 12-node chain spans more than one tile"
    assert outside_their_tile(scene) == []
    first, last = scene.nodes["n0"], scene.nodes["n11"]
    assert first.parentItem() is not last.parentItem()
    assert not first.parentItem().sceneBoundingRect().contains(last.sceneBoundingRect())


def test_a_gliding_card_and_its_edges_stay_inside_their_tiles(scene, qtbot):
    scene.workspace.graph.accept(CHAIN)
    draw(scene)
    seen: list[list[str]] = []
    timer = QTimer()
    timer.timeout.connect(lambda: seen.append(outside_their_tile(scene)))
    timer.start(10)
    draw(scene, animate=True, shift={"n3": 4 * TILE_SIZE})
    assert scene.animating
    qtbot.waitUntil(lambda: not scene.animating, timeout=3000)
    timer.stop()
    assert len(seen) > 3, "the glide was not watched"
    assert [wrong for wrong in seen if wrong] == []
    assert outside_their_tile(scene) == []
    moved = scene.nodes["n3"]
    assert moved.parentItem().sceneBoundingRect().contains(moved.sceneBoundingRect())


def test_a_card_moved_far_is_still_painted(scene):
    scene.workspace.graph.accept(CHAIN)
    draw(scene)
    draw(scene, shift={"n5": 6 * TILE_SIZE})
    card = scene.nodes["n5"].sceneBoundingRect()
    image = QImage(int(card.width()), int(card.height()), QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    scene.render(painter, QRectF(image.rect()), card)
    painter.end()
    colours = {image.pixel(x, y) for x in range(0, image.width(), 4) for y in range(image.height())}
    assert len(colours) > 2, "the moved card was not painted"


def test_a_big_redraw_drops_items_from_their_tiles_and_keeps_the_rest_filed(scene, qtbot):
    nodes = [
        make_node(f"a{i}", [f"a{i - 1}"] if i % 40 else [], group=f"g{i // 200}")
        for i in range(1200)
    ]
    graph = scene.workspace.graph
    graph.accept(GraphSnapshot("flow", nodes=tuple(nodes)))
    graph.set_collapsed(set())
    draw(scene)
    qtbot.waitUntil(lambda: not scene.filling, timeout=20000)
    assert len(scene.nodes) == 1200
    graph.accept(GraphSnapshot("flow", nodes=tuple(nodes[:600])))
    graph.set_collapsed(set())
    draw(scene)
    qtbot.waitUntil(lambda: not scene.filling, timeout=20000)
    scene.layers.flush()
    assert len(scene.nodes) == 600
    filed = [item for item in scene.layers.nodes.items() if item.isVisible()]
    assert sorted(filed, key=id) == sorted(scene.nodes.values(), key=id)
    assert outside_their_tile(scene) == []
    assert {item.parentItem().parentItem() for item in scene.nodes.values()} == {scene.layers.nodes}


def _crossing(theme_scene, raised: str) -> tuple[int, int]:
    """Two edges crossing at (1500, 300), in different tiles; `raised` is emphasised."""
    from studio.ui.canvas.item_layers import ItemLayers

    scene, theme = theme_scene
    layers = ItemLayers(scene)
    across = EdgeItem("a", "b", theme)
    across.set_ends(QPointF(0, 300), QPointF(2000, 300), True)
    down = EdgeItem("c", "d", theme)
    down.set_ends(QPointF(1500, -1000), QPointF(1500, 3000), False)
    for edge in (across, down):
        layers.place_edge(edge)
        edge.restacked = layers.place_edge
    assert across.parentItem() is not down.parentItem()
    for edge in (across, down):
        edge.set_emphasis(Emphasis.UPSTREAM if edge.source == raised else Emphasis.DIMMED)
    image = QImage(2000, 1000, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    scene.render(painter, QRectF(image.rect()), QRectF(0, 0, 2000, 1000))
    painter.end()
    at_crossing = image.pixel(1500, 300)
    return at_crossing, image.pixel(1000, 300) if raised == "a" else image.pixel(1500, 600)


@pytest.mark.parametrize("raised", ["a", "c"])
def test_an_emphasised_edge_crosses_over_a_dimmed_one_in_another_tile(qtbot, raised):
    from PySide6.QtWidgets import QGraphicsScene

    from studio.ui.theme import LIGHT

    scene = QGraphicsScene()
    at_crossing, on_its_own = _crossing((scene, LIGHT), raised)
    assert QColor(at_crossing).name() == QColor(on_its_own).name(), (
        "the dimmed edge was drawn over the emphasised one"
    )
    scene.deleteLater()


def test_a_hit_test_finds_cards_but_never_a_tile(scene):
    scene.workspace.graph.accept(CHAIN)
    draw(scene)
    card = scene.nodes["n4"]
    assert scene.key_at(card.scenePos()) == "n4"
    found = scene.items(card.scenePos())
    assert any(isinstance(item, NodeItem) for item in found)


def test_a_paint_asks_nothing_of_the_items_in_tiles_out_of_view(qtbot):
    """Qt walks the tiles, not the items: an item far from the exposed area is not even
    asked for its bounds (a layer without tiles asked each of its items, every paint)."""
    from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QGraphicsView

    from studio.ui.canvas.item_layers import ItemLayers

    class Probe(QGraphicsItem):
        def __init__(self) -> None:
            super().__init__()
            self.asked = 0

        def boundingRect(self) -> QRectF:
            self.asked += 1
            return QRectF(-20, -20, 40, 40)

        def paint(self, painter, option, widget=None) -> None:
            return None

    scene = QGraphicsScene()
    layers = ItemLayers(scene)
    near, far = Probe(), Probe()
    near.setPos(100, 100)
    far.setPos(20 * TILE_SIZE, 20 * TILE_SIZE)
    for probe in (near, far):
        layers.place_node(probe)
    view = QGraphicsView(scene)
    qtbot.addWidget(view)
    view.resize(400, 300)
    view.setSceneRect(QRectF(-100, -100, 25 * TILE_SIZE, 25 * TILE_SIZE))
    view.centerOn(100, 100)
    near.asked = far.asked = 0
    view.viewport().grab()
    scene.items(QPointF(100, 100))
    assert near.asked > 0, "the probe in view was not painted"
    assert far.asked == 0, "a paint walked a tile far out of view"


def test_clicks_reach_the_cards_and_the_background_still_pans(scene, qtbot):
    """A tile is hit under every point of its rect, yet takes no click: a card is
    selected by a click, and a press beside it (inside its tile) grabs the canvas."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QGraphicsView

    from studio.ui.canvas.view import GraphView

    view = GraphView(scene)
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    scene.workspace.graph.accept(CHAIN)
    draw(scene)
    card = scene.nodes["n4"]
    view.centerOn(card)
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.mapFromScene(card.scenePos())
    )
    assert tuple(scene.workspace.selection.keys) == ("n4",)
    tile = card.parentItem()
    area = tile.rect()
    points = [
        QPointF(area.left() + area.width() * i / 200, area.top() + area.height() * j / 10)
        for i in range(1, 200)
        for j in range(1, 10)
    ]
    empty = [
        p
        for p in points
        if not any(
            isinstance(i, NodeItem) for i in scene.items(QRectF(p.x() - 6, p.y() - 6, 12, 12))
        )
    ]
    beside = min(empty, key=lambda p: (p - card.scenePos()).manhattanLength())
    assert tile in scene.items(beside), "the point beside the card lies outside its tile"
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=view.mapFromScene(beside))
    assert view.dragMode() is QGraphicsView.DragMode.ScrollHandDrag
    assert scene.mouseGrabberItem() is None, "a tile took the press"
    assert view.viewport().cursor().shape() is Qt.CursorShape.ClosedHandCursor
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=view.mapFromScene(beside))


def test_a_selection_area_across_tiles_selects_the_cards_in_it(scene):
    scene.workspace.graph.accept(CHAIN)
    draw(scene)
    first, last = scene.nodes["n2"], scene.nodes["n9"]
    assert first.parentItem() is not last.parentItem()
    area = first.sceneBoundingRect().united(last.sceneBoundingRect())
    path = QPainterPath()
    path.addRect(area)
    scene.setSelectionArea(path)
    chosen = {i.name for i in scene.selectedItems() if isinstance(i, NodeItem)}
    assert chosen == {f"n{i}" for i in range(2, 10)}
    assert tuple(scene.workspace.selection.keys) != ()
