"""Render the main window on the spaceflights example to docs/images/main-window.png.

At the window's default size with fresh settings, as a new user first sees
it. Offscreen (no display needed): `make screenshot` (light and dark), or
`QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshot.py [--dark] [--select NODE]`.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["STUDIO_CONFIG_DIR"] = tempfile.mkdtemp(prefix="studio-screenshot-")
os.environ["STUDIO_CACHE_DIR"] = tempfile.mkdtemp(prefix="studio-screenshot-cache-")

from PySide6.QtCore import QTimer

from studio.core.resources import example_path
from studio.ui.app import create_application, create_window
from studio.ui.theme import DARK

OUTPUT = Path(__file__).resolve().parent / "images" / "main-window.png"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--example", default="spaceflights")
    parser.add_argument("--select", default="model_input_table")
    parser.add_argument(
        "--run", default="evaluation_metrics", help="node to run first ('' for none)"
    )
    parser.add_argument("--dark", action="store_true")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    options = parser.parse_args()
    app = create_application()
    window = create_window(example_path(options.example))
    outcome = {"code": 1}

    def shown(_snapshot: object, first: bool) -> None:
        if first:
            QTimer.singleShot(300, run if options.run else capture)

    def run() -> None:
        window.workspace.runs.running_changed.connect(lambda running: running or capture())
        window.run_controller.run([options.run])

    def capture() -> None:
        if options.dark:
            window.set_theme(DARK)
        if options.select:
            window.workspace.selection.select_nodes([options.select])
        window.view.fit_all()
        QTimer.singleShot(400, save)

    def save() -> None:
        options.output.parent.mkdir(parents=True, exist_ok=True)
        outcome["code"] = 0 if window.grab().save(str(options.output)) else 1
        print(f"wrote {options.output}")
        window.close()
        app.quit()

    window.controller.graph_shown.connect(shown)
    QTimer.singleShot(60_000, app.quit)
    app.exec()
    return outcome["code"]


if __name__ == "__main__":
    sys.exit(main())
