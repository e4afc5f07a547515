"""The canvas view: pan, zoom around the cursor, fit, keyboard navigation."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, QTimeLine, Signal
from PySide6.QtGui import (
    QBrush,
    QContextMenuEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPixmap,
    QResizeEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsView, QWidget

from studio.core.graph.display_graph import module_of_key
from studio.core.layout.fitting import FIT_MARGIN, fit_zoom
from studio.ui.canvas.connect_drag import ConnectDrag
from studio.ui.canvas.items.edge_item import EdgeItem
from studio.ui.canvas.scene import GraphScene

MIN_ZOOM = 0.03
MAX_ZOOM = 4.0
_OVERLAY_GAP = 8
_KEY_ZOOM = 1.25
_PAN_STEP = 80
_GRID = 24.0


class GraphView(QGraphicsView):
    escape_pressed = Signal()
    zoom_changed = Signal(float)
    node_menu_requested = Signal(str, QPoint)
    """Right-click on a node: (name, global position)."""
    module_menu_requested = Signal(str, QPoint)
    """Right-click on a collapsed module: (module, global position)."""
    canvas_menu_requested = Signal(QPoint)
    """Right-click on the background: (global position)."""
    edge_menu_requested = Signal(str, str, QPoint)
    """Right-click on an edge between two nodes: (source, target, global position)."""
    connect_requested = Signal(str, str)
    """Alt+drag from a node onto another: (source, target)."""
    viewport_moved = Signal()
    resized = Signal()
    """The viewport changed size: overlays move before a fitted view fits again."""
    """The part of the scene in view changed (pan, zoom, resize)."""

    def __init__(self, scene: GraphScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setFrameShape(QGraphicsView.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._overlays: list[tuple[QWidget, Qt.Edge]] = []
        self._connect = ConnectDrag(scene)
        self.fitted = False
        """The view shows the last fit, untouched: a resize fits again."""
        self._grid_tile = QPixmap()
        self._grid_key: tuple[int, int] | None = None
        self._centre_timeline = QTimeLine(220, self)
        self._centre_timeline.setEasingCurve(self._centre_timeline.easingCurve())
        self._centre_from = QPointF()
        self._centre_to = QPointF()
        self._centre_timeline.valueChanged.connect(self._centre_step)
        self.zoom_changed.connect(scene.set_view_scale)
        self.viewport_moved.connect(scene.view_moved)
        self.zoom_changed.connect(self.viewport_moved)
        self.horizontalScrollBar().valueChanged.connect(self.viewport_moved)
        self.verticalScrollBar().valueChanged.connect(self.viewport_moved)

    def graph_scene(self) -> GraphScene:
        scene = self.scene()
        assert isinstance(scene, GraphScene)
        return scene

    # -- zoom and pan ---------------------------------------------------------

    def zoom(self) -> float:
        return self.transform().m11()

    def set_zoom(self, zoom: float) -> None:
        zoom = max(MIN_ZOOM, min(MAX_ZOOM, zoom))
        factor = zoom / self.zoom()
        if abs(factor - 1.0) > 1e-6:
            self.scale(factor, factor)
            self.zoom_changed.emit(self.zoom())

    def zoom_by(self, factor: float, around_cursor: bool = False) -> None:
        self.fitted = False
        anchor = self.transformationAnchor()
        if not around_cursor:
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.set_zoom(self.zoom() * factor)
        self.setTransformationAnchor(anchor)

    def zoom_in(self) -> None:
        self.zoom_by(_KEY_ZOOM)

    def zoom_out(self) -> None:
        self.zoom_by(1 / _KEY_ZOOM)

    def reset_zoom(self) -> None:
        self.zoom_by(1.0 / self.zoom())

    def fit_all(self) -> None:
        rect = self.graph_scene().graph_rect()
        if rect.isEmpty():
            return
        self.fit_rect(rect)
        self.fitted = True

    def fit_rect(self, rect: QRectF) -> None:
        """Show `rect` whole, as large as it fits in the part no overlay covers."""
        top, bottom = self._reserved()
        width, height = self.free_frame()
        zoom = max(MIN_ZOOM, fit_zoom(rect.width(), rect.height(), (width, height)))
        self.setTransform(QTransform.fromScale(zoom, zoom))
        shift = (top - bottom) / 2 / zoom
        self.centerOn(QPointF(rect.center().x(), rect.center().y() - shift))
        self.zoom_changed.emit(self.zoom())

    def add_overlay(self, widget: QWidget, edge: Qt.Edge) -> None:
        """A widget floating over the top or bottom of the canvas that a fit keeps clear of."""
        self._overlays.append((widget, edge))

    def free_frame(self) -> tuple[float, float]:
        """The viewport's size less the bands its visible overlays cover."""
        top, bottom = self._reserved()
        viewport = self.viewport().rect()
        return float(viewport.width()), float(max(1, viewport.height() - top - bottom))

    def _reserved(self) -> tuple[int, int]:
        height = self.viewport().height()
        top = bottom = 0
        for widget, edge in self._overlays:
            if not widget.isVisible():
                continue
            geometry = widget.geometry()
            if edge is Qt.Edge.TopEdge:
                top = max(top, geometry.bottom() + _OVERLAY_GAP - round(FIT_MARGIN))
            else:
                bottom = max(bottom, height - geometry.top() + _OVERLAY_GAP - round(FIT_MARGIN))
        return max(0, top), max(0, bottom)

    def centre_on_node(self, name: str, animate: bool = True) -> None:
        """Bring a node (or the collapsed module holding it) to the middle of the view."""
        scene = self.graph_scene()
        key = scene.drawn.key_of(name) if scene.drawn else None
        target = scene.key_centre(key or name)
        if target is None:
            return
        self.fitted = False
        if not animate:
            self.centerOn(target)
            return
        self._centre_from = self.mapToScene(self.viewport().rect().center())
        self._centre_to = target
        self._centre_timeline.stop()
        self._centre_timeline.start()

    def _centre_step(self, t: float) -> None:
        self.centerOn(self._centre_from + (self._centre_to - self._centre_from) * t)

    def node_nearest_centre(self) -> str | None:
        """The node (or module box) closest to the middle of the view: the anchor kept
        still on reload."""
        centre = self.mapToScene(self.viewport().rect().center())
        return self.graph_scene().geometry.nearest(centre, self.visible_scene_rect())

    def visible_scene_rect(self) -> QRectF:
        return self.mapToScene(self.viewport().rect()).boundingRect()

    # -- events ---------------------------------------------------------------

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            super().wheelEvent(event)
            return
        delta = event.angleDelta().y() or event.pixelDelta().y()
        if delta:
            self.zoom_by(1.0015**delta, around_cursor=True)
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Left:
            self._pan(-_PAN_STEP, 0)
        elif key == Qt.Key.Key_Right:
            self._pan(_PAN_STEP, 0)
        elif key == Qt.Key.Key_Up:
            self._pan(0, -_PAN_STEP)
        elif key == Qt.Key.Key_Down:
            self._pan(0, _PAN_STEP)
        elif key == Qt.Key.Key_Escape:
            self.escape_pressed.emit()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        scene = self.graph_scene()
        key = scene.key_at(self.mapToScene(event.pos()))
        if key is None:
            edge = self.edge_at(event.pos())
            if edge is not None:
                self.edge_menu_requested.emit(edge.source, edge.target, event.globalPos())
            else:
                self.canvas_menu_requested.emit(event.globalPos())
            event.accept()
            return
        selection = scene.workspace.selection
        if key not in selection.keys:
            selection.set_keys([key])
        module = module_of_key(key)
        if module is not None:
            self.module_menu_requested.emit(module, event.globalPos())
        else:
            self.node_menu_requested.emit(key, event.globalPos())
        event.accept()

    def edge_at(self, at: QPoint, pixels: float = 5.0) -> EdgeItem | None:
        """The node-to-node edge drawn within a few pixels of `at` (viewport coordinates)."""
        tolerance = pixels / max(self.zoom(), 1e-6)
        point = self.mapToScene(at)
        around = QRectF(point.x() - tolerance, point.y() - tolerance, 2 * tolerance, 2 * tolerance)
        nodes = self.graph_scene().nodes
        for item in self.scene().items(around):
            if (
                isinstance(item, EdgeItem)
                and item.source in nodes
                and item.target in nodes
                and item.near(point, tolerance)
            ):
                return item
        return None

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.resized.emit()
        if self.fitted:
            self.fit_all()
        self.viewport_moved.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self._connect.press(event, self.mapToScene(event.position().toPoint())):
            self.viewport().setCursor(Qt.CursorShape.CrossCursor)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._connect.active:
            self.viewport().unsetCursor()
            pair = self._connect.release(self.mapToScene(event.position().toPoint()))
            if pair is not None:
                self.connect_requested.emit(*pair)
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._connect.move(self.mapToScene(event.position().toPoint())):
            event.accept()
            return
        if event.buttons() & Qt.MouseButton.LeftButton and self.scene().mouseGrabberItem() is None:
            self.fitted = False
        super().mouseMoveEvent(event)

    def _pan(self, dx: int, dy: int) -> None:
        self.fitted = False
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + dx)
        self.verticalScrollBar().setValue(self.verticalScrollBar().value() + dy)

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        """The canvas colour, and a dot grid drawn as a tiled brush in screen pixels."""
        super().drawBackground(painter, rect)
        step = round(_GRID * self.zoom())
        if step < 10:
            return
        colour = self.graph_scene().theme.grid
        key = (step, colour.rgba())
        if self._grid_key != key:
            tile = QPixmap(step, step)
            tile.fill(Qt.GlobalColor.transparent)
            tile_painter = QPainter(tile)
            tile_painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            tile_painter.setPen(Qt.PenStyle.NoPen)
            tile_painter.setBrush(colour)
            tile_painter.drawEllipse(QPointF(1.0, 1.0), 1.0, 1.0)
            tile_painter.end()
            self._grid_tile, self._grid_key = tile, key
        origin = self.mapFromScene(QPointF(0, 0))
        brush = QBrush(self._grid_tile)
        brush.setTransform(QTransform.fromTranslate(origin.x() % step, origin.y() % step))
        painter.save()
        painter.resetTransform()
        painter.fillRect(self.viewport().rect(), brush)
        painter.restore()
