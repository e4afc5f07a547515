"""The minimap: a thumbnail of the whole drawing in the canvas's corner.

It outlines the part in view; clicking or dragging on it moves the view
there. It shows only while part of the drawing is out of view, so a
graph seen whole keeps the whole canvas.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from studio.ui.canvas.view import GraphView
from studio.ui.theme import Theme

MAX_SIZE = QSize(240, 150)
_PAD = 6.0
_SLACK = 4.0
"""Scene pixels of a drawing that may be out of view before the minimap shows."""


class Minimap(QWidget):
    def __init__(self, view: GraphView, theme: Theme) -> None:
        super().__init__(view)
        self.view = view
        self.theme = theme
        self.enabled = True
        self._thumbnail = QImage()
        self._source = QRectF()
        self._target = QRectF()
        self._grouped: tuple[object, list[tuple[QColor, list[QRectF]]]] | None = None
        """The boxes of the last geometry grouped by fill (a new view size or theme
        draws the same boxes again)."""
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("Minimap: click or drag to move the view (M to hide)")
        view.viewport_moved.connect(self._on_view_moved)
        self.hide()

    def set_enabled(self, enabled: bool) -> None:
        self.enabled = enabled
        self.refresh()

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.refresh()

    def needed(self) -> bool:
        """Only while part of the drawing is out of view."""
        rect = self.view.graph_scene().graph_rect()
        if rect.isEmpty() or self.view.viewport().rect().isEmpty():
            return False
        visible = self.view.visible_scene_rect().adjusted(-_SLACK, -_SLACK, _SLACK, _SLACK)
        return not visible.contains(rect)

    def _on_view_moved(self) -> None:
        if self.view.scene() is None:  # the window is closing
            return
        if self.enabled and self.needed() != self.isVisible():
            self.refresh()
        else:
            self.update()

    def refresh(self) -> None:
        """Draw the thumbnail again (new drawing, theme or view size) and show or hide."""
        if not (self.enabled and self.needed()):
            self.hide()
            return
        scene = self.view.graph_scene()
        source = scene.graph_rect()
        scale = min(
            (MAX_SIZE.width() - 2 * _PAD) / source.width(),
            (MAX_SIZE.height() - 2 * _PAD) / source.height(),
        )
        size = QSize(
            max(40, round(source.width() * scale + 2 * _PAD)),
            max(30, round(source.height() * scale + 2 * _PAD)),
        )
        image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.translate(_PAD, _PAD)
        painter.scale(scale, scale)
        painter.translate(-source.topLeft())
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.theme.region_border)
        painter.drawRects(list(scene.geometry.region_rects()))
        for colour, rects in self._boxes_by_colour(scene.geometry.boxes):
            painter.setBrush(colour)
            painter.drawRects(rects)
        painter.end()
        self._thumbnail = image
        self._source = source
        self._target = QRectF(_PAD, _PAD, source.width() * scale, source.height() * scale)
        self.setFixedSize(size)
        self._place()
        self.show()
        self.raise_()
        self.update()

    def _boxes_by_colour(
        self, boxes: dict[str, tuple[QRectF, QColor]]
    ) -> list[tuple[QColor, list[QRectF]]]:
        """The boxes grouped by fill, groups in order of first box: the kinds share a
        colour object, so the boxes are grouped by object, then by fill, with no new
        object per box (20,000 boxes took 20 ms profiled, twice a reload)."""
        if self._grouped is not None and self._grouped[0] is boxes:
            return self._grouped[1]
        by_object: dict[int, list[QRectF]] = {}
        colours: dict[int, QColor] = {}
        for rect, colour in boxes.values():
            rects = by_object.get(id(colour))
            if rects is None:
                by_object[id(colour)] = rects = []
                colours[id(colour)] = colour
            rects.append(rect)
        by_fill: dict[int, tuple[QColor, list[QRectF]]] = {}
        for key, rects in by_object.items():
            colour = colours[key]
            group = by_fill.setdefault(colour.rgba(), (colour, []))
            group[1].extend(rects)
        self._grouped = (boxes, list(by_fill.values()))
        return self._grouped[1]

    def _place(self) -> None:
        viewport = self.view.viewport()
        self.move(viewport.width() - self.width() - 12, viewport.height() - self.height() - 12)

    def _to_minimap(self, point: QPointF) -> QPointF:
        source, target = self._source, self._target
        return QPointF(
            target.left() + (point.x() - source.left()) / source.width() * target.width(),
            target.top() + (point.y() - source.top()) / source.height() * target.height(),
        )

    def _to_scene(self, point: QPointF) -> QPointF:
        source, target = self._source, self._target
        return QPointF(
            source.left() + (point.x() - target.left()) / target.width() * source.width(),
            source.top() + (point.y() - target.top()) / target.height() * source.height(),
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        background = QColor(self.theme.base)
        background.setAlpha(235)
        painter.setPen(QPen(self.theme.region_border, 1.0))
        painter.setBrush(background)
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
        painter.drawImage(0, 0, self._thumbnail)
        if self._source.isEmpty():
            return
        seen = self.view.visible_scene_rect()
        frame = QRectF(self._to_minimap(seen.topLeft()), self._to_minimap(seen.bottomRight()))
        frame = frame.intersected(QRectF(self.rect()).adjusted(1, 1, -1, -1))
        fill = QColor(self.theme.selection)
        fill.setAlpha(40)
        painter.setBrush(fill)
        painter.setPen(QPen(self.theme.selection, 1.5))
        painter.drawRect(frame)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._go(event.position())
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._go(event.position())
        event.accept()

    def _go(self, point: QPointF) -> None:
        if not self._source.isEmpty():
            self.view.centerOn(self._to_scene(point))
