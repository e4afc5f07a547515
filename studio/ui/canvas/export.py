"""Export the drawn graph as a PNG image or an SVG drawing."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsItem

from studio.core.atomic_write import replacing
from studio.core.graph.emphasis import NOTHING_SELECTED
from studio.ui.canvas.scene import GraphScene

_MARGIN = 24.0


@contextlib.contextmanager
def _vector_items(scene: GraphScene) -> Iterator[None]:
    """Cached items would be drawn as bitmaps; export draws them afresh, as vectors."""
    items = list(scene.nodes.values())
    modes = [item.cacheMode() for item in items]
    for item in items:
        item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    try:
        yield
    finally:
        for item, mode in zip(items, modes, strict=True):
            item.setCacheMode(mode)


@contextlib.contextmanager
def _as_drawn_for_others(scene: GraphScene) -> Iterator[None]:
    """An exported picture shows the graph, not the user's selection: no dimming, no
    highlighted lineage, no zoom labels."""
    painter = scene.emphasis
    kept = painter.current
    painter.current = NOTHING_SELECTED
    painter.apply()
    labels = scene.key_labels.isVisible()
    scene.key_labels.setVisible(False)
    try:
        yield
    finally:
        scene.key_labels.setVisible(labels)
        painter.current = kept
        painter.apply()


def _source_rect(scene: GraphScene) -> QRectF:
    return scene.graph_rect().adjusted(-_MARGIN, -_MARGIN, _MARGIN, _MARGIN)


def export_png(scene: GraphScene, path: Path, scale: float = 2.0) -> None:
    source = _source_rect(scene)
    size = QSize(max(1, int(source.width() * scale)), max(1, int(source.height() * scale)))
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(scene.theme.canvas)
    painter = QPainter(image)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    with _as_drawn_for_others(scene):
        scene.render(
            painter,
            QRectF(0, 0, size.width(), size.height()),
            source,
            Qt.AspectRatioMode.KeepAspectRatio,
        )
    painter.end()
    with replacing(path) as partial:
        if not image.save(str(partial), "PNG"):
            raise OSError(f"could not write {path}")


def export_svg(scene: GraphScene, path: Path, title: str = "dataflow") -> None:
    with replacing(path) as partial:
        _write_svg(scene, partial, title)


def _write_svg(scene: GraphScene, path: Path, title: str) -> None:
    source = _source_rect(scene)
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(source.size().toSize())
    generator.setViewBox(QRectF(0, 0, source.width(), source.height()))
    generator.setTitle(title)
    generator.setDescription("Exported from Dataflow Studio")
    painter = QPainter(generator)
    painter.fillRect(QRectF(0, 0, source.width(), source.height()), scene.theme.canvas)
    with _vector_items(scene), _as_drawn_for_others(scene):
        scene.render(painter, QRectF(0, 0, source.width(), source.height()), source)
    painter.end()
    if not path.exists():
        raise OSError(f"could not write {path}")
