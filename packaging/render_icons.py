"""Render the app icon (resources/icons/dataflow-studio.svg) to the PNG sizes desktops use.

QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/render_icons.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"


def main() -> int:
    app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(ICONS / "dataflow-studio.svg"))
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        hints = QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform
        painter.setRenderHints(hints)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        target = ICONS / "hicolor" / f"{size}x{size}" / "apps" / "dataflow-studio.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        image.save(str(target))
        print(f"wrote {target.relative_to(ICONS.parent.parent)}")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
