"""Starting and stopping the desktop app."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from studio.core.resources import example_path, resources_root
from studio.ui import heap
from studio.ui.app_settings import AppSettings
from studio.ui.main_window import MainWindow
from studio.ui.theme import THEMES, apply_to_application


def create_application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    heap.tune()
    app.setApplicationName("Dataflow Studio")
    app.setOrganizationName("Dataflow Studio")
    app.setDesktopFileName("dataflow-studio")
    icon = resources_root() / "icons" / "dataflow-studio.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def create_window(
    path: Path | None = None,
    settings: AppSettings | None = None,
    interpreter: Path | None = None,
) -> MainWindow:
    """The main window, shown, opening `path` (or the spaceflights example).

    `interpreter` becomes the project's chosen Python before it opens.
    """
    settings = settings or AppSettings()
    folder = (path or example_path("spaceflights")).resolve()
    if interpreter is not None:
        state = settings.project_state(folder)
        settings.save_project_state(folder, {**state, "interpreter": str(interpreter)})
    theme = THEMES.get(settings.get("theme", "light"), THEMES["light"])
    app = create_application()
    apply_to_application(app, theme)
    window = MainWindow(settings, theme)
    window.show()
    window.open_folder(folder)
    return window


def run(path: Path | None = None, interpreter: Path | None = None) -> int:
    app = create_application()
    window = create_window(path, interpreter=interpreter)
    # Let Ctrl+C and SIGTERM close the window properly (the kernel goes with it).
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: window.close())
    wake = QTimer()
    wake.start(250)
    wake.timeout.connect(lambda: None)
    code = app.exec()
    window.shutdown()
    return code
