"""File ▸ Export: ask where, then draw the whole graph to a PNG or SVG file there."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

FORMATS = {".png": "PNG image (*.png)", ".svg": "SVG drawing (*.svg)"}


def export_graph(
    parent: QWidget, scene: Any, project: Any, suffix: str, exporter: Callable[[Any, Path], None]
) -> Path | None:
    """The file written, or None when there was nothing to export or the user cancelled."""
    if not (scene.nodes or scene.modules):
        QMessageBox.information(parent, "Export", "There is no graph to export yet.")
        return None
    name = (project.dataflow or "graph") + suffix
    start = str((project.root or Path.home()) / name)
    path, _ = QFileDialog.getSaveFileName(parent, "Export Graph", start, FORMATS[suffix])
    if not path:
        return None
    target = Path(path if path.endswith(suffix) else path + suffix)
    try:
        with scene.all_items_drawn():
            exporter(scene, target)
    except OSError as error:
        QMessageBox.warning(parent, "Export", str(error))
        return None
    return target
