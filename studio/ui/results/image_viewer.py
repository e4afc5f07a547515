"""A picture result (a PNG or an SVG drawn in the kernel): zoom to fit or actual size, save."""

from __future__ import annotations

import base64
from pathlib import Path

from PySide6.QtCore import QByteArray, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPainter, QPixmap, QResizeEvent, QShowEvent
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

SVG_SCALE = 2.0
"""An SVG is drawn at twice its own size, so zooming in stays sharp."""


class ImageViewer(QWidget):
    status = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._source = QPixmap()
        self._svg: str | None = None
        self.name = "image"
        self.label = QLabel()
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidget(self.label)
        self.scroll_area.setWidgetResizable(True)
        self.fit_button = QToolButton()
        self.fit_button.setText("Zoom to Fit")
        self.fit_button.setToolTip("Scale the picture to the panel (off: its actual size)")
        self.fit_button.setCheckable(True)
        self.fit_button.setChecked(True)
        self.fit_button.toggled.connect(lambda _on: self._refresh())
        self.save_button = QToolButton()
        self.save_button.setText("Save Image…")
        self.save_button.setToolTip("Write the picture to a PNG (or SVG) file")
        self.save_button.clicked.connect(lambda: self.save_image())
        self.size_label = QLabel()
        buttons = QHBoxLayout()
        buttons.setSpacing(4)
        buttons.addWidget(self.fit_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        buttons.addWidget(self.size_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.scroll_area, 1)

    def show_png(self, name: str, png_base64: str) -> None:
        pixmap = QPixmap()
        pixmap.loadFromData(base64.b64decode(png_base64), "PNG")
        self._show(name, pixmap, None)

    def show_svg(self, name: str, svg: str) -> None:
        renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
        size = renderer.defaultSize()
        if size.isEmpty():
            size = QSize(400, 300)
        image = QImage(size * SVG_SCALE, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.white)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        self._show(name, QPixmap.fromImage(image), svg)

    def pixmap(self) -> QPixmap:
        """The picture at its own size (what Save writes)."""
        return self._source

    def shown_size(self) -> QSize:
        return self.label.pixmap().size()

    def save_image(self, path: str | None = None) -> bool:
        """Write the picture: SVG text to a .svg name (when it came as SVG), else PNG."""
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self, "Save Image", f"{self.name}.png", "PNG image (*.png);;SVG (*.svg)"
            )
            if not path:
                return False
        target = Path(path)
        if target.suffix.lower() == ".svg" and self._svg is not None:
            target.write_text(self._svg, encoding="utf-8")
            saved = True
        else:
            saved = self._source.save(str(target), "PNG")
        self.status.emit(f"Saved {target}" if saved else f"Could not write {target}")
        return saved

    def _show(self, name: str, pixmap: QPixmap, svg: str | None) -> None:
        self.name = name
        self._source = pixmap
        self._svg = svg
        self.size_label.setText(f"{pixmap.width()} × {pixmap.height()} px")
        self._refresh()

    def _refresh(self) -> None:
        if self._source.isNull():
            self.label.clear()
            return
        if not self.fit_button.isChecked():
            self.label.setPixmap(self._source)
            return
        room = self.scroll_area.viewport().size() - QSize(4, 4)
        if room.width() < 16 or room.height() < 16:
            room = self._source.size()
        self.label.setPixmap(
            self._source.scaled(
                room,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )

    def showEvent(self, event: QShowEvent) -> None:
        """Fitted again once on show: a hidden page's viewport has no true size yet."""
        super().showEvent(event)
        if self.fit_button.isChecked():
            QTimer.singleShot(0, self._refresh)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.fit_button.isChecked():
            self._refresh()
