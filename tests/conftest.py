"""Test configuration: Qt runs offscreen, Hamilton stays quiet, examples are copied."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")
os.environ.setdefault("HAMILTON_TELEMETRY_ENABLED", "false")

import shutil
from pathlib import Path

import pytest

from studio.core.resources import example_path


@pytest.fixture
def example_copy(tmp_path: Path):
    """A function that copies a bundled example into a temporary folder."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(example_path(name), target, ignore=shutil.ignore_patterns("__pycache__"))
        return target

    return copy


@pytest.fixture
def studio_config(tmp_path, monkeypatch):
    """Settings go to a private folder, never the user's."""
    folder = tmp_path / "studio-config"
    monkeypatch.setenv("STUDIO_CONFIG_DIR", str(folder))
    monkeypatch.setenv("STUDIO_CACHE_DIR", str(tmp_path / "studio-cache"))
    return folder


@pytest.fixture
def open_window(qtbot, studio_config):
    """Opens a real main window (real kernel) on a folder and waits for its graph."""
    from studio.ui.app_settings import AppSettings
    from studio.ui.main_window import MainWindow
    from studio.ui.theme import LIGHT

    windows = []

    def open_(folder: Path, wait: bool = True, size: tuple[int, int] | None = (1400, 900)):
        window = MainWindow(AppSettings(), LIGHT)
        windows.append(window)
        if size is not None:
            window.resize(*size)
        window.show()
        if wait:
            with qtbot.waitSignal(window.controller.graph_shown, timeout=60_000):
                window.open_folder(folder)
            qtbot.waitUntil(lambda: not window.scene.animating, timeout=5_000)
        else:
            window.open_folder(folder)
        return window

    yield open_
    for window in windows:
        window.close()


TROUBLE_MODULE = '''
import os


def forever(data_dir: str) -> int:
    """Loops until interrupted."""
    while True:
        pass


def boom(data_dir: str) -> float:
    """Divides by zero on line 13."""
    return 1 / 0


def chatty(data_dir: str) -> str:
    print("hello from a node")
    return data_dir


def die(data_dir: str) -> int:
    """Ends its own process."""
    os._exit(7)
'''


@pytest.fixture
def troubled_spaceflights(example_copy):
    """Spaceflights plus a module of nodes that loop, raise, print and kill their process."""
    folder = example_copy("spaceflights")
    (folder / "trouble.py").write_text(TROUBLE_MODULE)
    run_py = folder / "run.py"
    run_py.write_text(
        run_py.read_text()
        .replace("import reporting\n", "import reporting\nimport trouble\n")
        .replace("data_science, reporting)", "data_science, reporting, trouble)")
    )
    return folder
