"""Starting and stopping the desktop app."""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from studio.core.interpreters.environments import environment_to_run
from studio.core.platform.login_environment import start_reading
from studio.core.resources import example_to_open, resources_root
from studio.ui import heap
from studio.ui.app_settings import AppSettings
from studio.ui.theme import THEMES, apply_to_application

if TYPE_CHECKING:
    from studio.ui.kernel.session import KernelSession
    from studio.ui.window.main_window import MainWindow


GIL_SWITCH_SECONDS = 0.001
"""How long a worker thread (signing, layout, decoding) may keep the interpreter while
the GUI thread waits for it. Python's 5 ms default let each of a paint's Python calls
wait that long beside a busy worker: at 20,000 nodes a paint during signing took
130-190 ms, 45-80 ms with 1 ms (issue 33, docs/PERFORMANCE.md)."""


def create_application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    heap.tune()
    sys.setswitchinterval(GIL_SWITCH_SECONDS)
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
    session: KernelSession | None = None,
    trust: bool = False,
) -> MainWindow:
    """The main window, shown, opening `path` (or the spaceflights example).

    `interpreter` becomes the project's chosen Python before it opens; `session`
    is a kernel already started for it (see `run`); with `trust` the folder is
    trusted first (a benchmark, a smoke test: nobody to ask).
    """
    from studio.ui.window.main_window import MainWindow

    settings = settings or AppSettings()
    folder = (path or example_to_open("spaceflights")).resolve()
    if trust:
        settings.trust(folder)
    if interpreter is not None:
        state = settings.project_state(folder)
        settings.save_project_state(folder, {**state, "interpreter": str(interpreter)})
    theme = THEMES.get(settings.get("theme", "light"), THEMES["light"])
    app = create_application()
    apply_to_application(app, theme)
    window = MainWindow(settings, theme, session)
    window.show()
    window.open_folder(folder)
    return window


def run(path: Path | None = None, interpreter: Path | None = None) -> int:
    app = create_application()
    window = launch_window(path, interpreter)
    # Let Ctrl+C and SIGTERM close the window properly (the kernel goes with it).
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: window.close())
    wake = QTimer()
    wake.start(250)
    wake.timeout.connect(lambda: None)
    code = app.exec()
    window.shutdown()
    from studio.ui.kernel.kernel_ending import wait_for_endings

    wait_for_endings()  # the kernels of windows closed before the last one
    return code


def launch_window(
    path: Path | None = None, interpreter: Path | None = None, trust: bool = False
) -> MainWindow:
    """The window the `studio` command opens, its kernel started before it is built."""
    start_reading()  # macOS from the Finder: the shell's PATH and $EDITOR, on a thread
    settings = AppSettings()
    if trust:
        settings.trust((path or example_to_open("spaceflights")).resolve())
    return create_window(path, settings, interpreter, _early_kernel(path, settings, interpreter))


def _early_kernel(
    path: Path | None, settings: AppSettings, interpreter: Path | None
) -> KernelSession | None:
    """A kernel started in the folder before the window is built (most of the window's
    modules are not even imported yet), when it will run in the studio's own Python;
    a project with its own interpreter (chosen, or an environment of its own) has it
    checked first, by the window."""
    folder = (path or example_to_open("spaceflights")).resolve()
    if interpreter is not None or not folder.is_dir() or not settings.is_trusted(folder):
        return None
    saved = settings.project_state(folder).get("interpreter")
    if saved or (saved is None and environment_to_run(folder) is not None):
        return None
    from studio.ui.kernel.session import KernelSession

    session = KernelSession()
    session.prestart(folder)
    _early_prefetch(folder)
    return session


def _early_prefetch(folder: Path) -> None:
    """The helper that reads a big folder for the kernel (`prefetch_launch`), started
    beside the early kernel rather than once the window is built (1.5-2.7 s later on a
    busy machine, when it was never done in time): when the folder is too big for a
    source preview and no graph is kept from the last session, as the window decides."""
    from studio.core.cache.kept_graph import kept_graph_file
    from studio.ui.project import prefetch_launch
    from studio.ui.project.source_preview import too_big_for_a_preview

    prefetch_launch.start_early(
        folder, lambda root: not kept_graph_file(root).exists() and too_big_for_a_preview(root)
    )
