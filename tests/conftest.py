"""Test configuration: Qt runs offscreen, Hamilton stays quiet, examples are copied."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")
os.environ.setdefault("HAMILTON_TELEMETRY_ENABLED", "false")

import signal
import tempfile

# Module- and session-wide fixtures open projects too: never in the user's cache.
os.environ.setdefault("STUDIO_CACHE_DIR", tempfile.mkdtemp(prefix="studio-test-cache-"))

if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    # A shell starts background jobs with interrupts ignored; the tests of Stop
    # need them delivered as the app's kernel gets them.
    signal.signal(signal.SIGINT, signal.default_int_handler)

import shutil
from pathlib import Path

import pytest

from studio.core.resources import example_path


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    """What the studio keeps of a project (readings, compiled code, results) stays in the
    test's own folder: every test starts with nothing kept, and no user's cache grows."""
    monkeypatch.setenv("STUDIO_CACHE_DIR", str(tmp_path / "studio-cache"))


@pytest.fixture(autouse=True)
def _same_working_folder():
    """A load in the test's process works in the project folder (as the kernel does):
    the next test, and the processes it starts, begin where the suite began."""
    before = Path.cwd()
    yield
    os.chdir(before)


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
    from studio.ui.theme import LIGHT
    from studio.ui.window.main_window import MainWindow

    windows = []

    def open_(
        folder: Path,
        wait: bool = True,
        size: tuple[int, int] | None = (1400, 900),
        trust: bool = True,
    ):
        settings = AppSettings()
        if trust:
            settings.trust(folder.resolve())
        window = MainWindow(settings, LIGHT)
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


def find_uv() -> str | None:
    """The uv that set up this environment (on PATH, or the one packaging/devenv.sh installed)."""
    import shutil as _shutil

    found = _shutil.which("uv")
    if found:
        return found
    tools = sorted((Path(__file__).resolve().parent.parent / ".tools").glob("uv-*/bin/uv"))
    return str(tools[-1]) if tools else None


SHAPES_LIBRARY = """
def area(width: float, height: float) -> float:
    return width * height
"""


@pytest.fixture(scope="session")
def project_venv(tmp_path_factory):
    """A project folder with its own .venv: ipykernel, Hamilton, pandas, and `shapes`,
    a library the studio's environment does not have. Built offline from uv's cache,
    pinned to this environment's versions."""
    import subprocess
    import sys

    uv = find_uv()
    if uv is None:
        pytest.skip("uv is needed to build a project environment")
    root = tmp_path_factory.mktemp("venv-project")
    library = root.parent / "shapes-src"
    (library / "shapes").mkdir(parents=True)
    (library / "shapes" / "__init__.py").write_text(SHAPES_LIBRARY)
    (library / "pyproject.toml").write_text(
        '[project]\nname = "shapes"\nversion = "1.0"\n'
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
    )
    frozen = subprocess.run(
        [uv, "pip", "freeze", "--python", sys.executable],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    constraints = root.parent / "constraints.txt"
    constraints.write_text("\n".join(line for line in frozen.splitlines() if "==" in line) + "\n")
    python = root / ".venv" / "bin" / "python"
    subprocess.run([uv, "venv", "-q", "--python", sys.executable, str(root / ".venv")], check=True)
    packages = ["ipykernel", "apache-hamilton", "pandas", "packaging", "narwhals", str(library)]
    install = [uv, "pip", "install", "-q", "--python", str(python), "-c", str(constraints)]
    subprocess.run([*install, *packages], check=True)
    (root / "rooms.py").write_text(
        "import shapes\n\n\ndef width() -> float:\n    return 3.0\n\n\n"
        "def floor_area(width: float) -> float:\n"
        '    """Needs the project\'s own library."""\n'
        "    return shapes.area(width, 4.0)\n"
    )
    return root


@pytest.fixture(scope="session")
def x_display():
    """A real X server (Xvfb, no TCP port) for tests that must see Qt's X11 platform.

    Skipped when Xvfb is not installed (.ci/run installs it)."""
    import shutil as _shutil
    import subprocess
    import time as _time

    xvfb = _shutil.which("Xvfb")
    if xvfb is None:
        pytest.skip("Xvfb is not installed (apt-get install xvfb)")
    number = next(n for n in range(90, 200) if not Path(f"/tmp/.X11-unix/X{n}").exists())
    server = subprocess.Popen(
        [xvfb, f":{number}", "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    socket = Path(f"/tmp/.X11-unix/X{number}")
    deadline = _time.monotonic() + 10
    while not socket.exists() and _time.monotonic() < deadline:
        _time.sleep(0.05)
    if not socket.exists():
        server.kill()
        pytest.skip("Xvfb did not start")
    yield f":{number}"
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="session")
def qapp_cls():
    """The tests' application times the events it delivers (tests/stall_guard.py)."""
    from tests.stall_guard import StallGuardApplication

    return StallGuardApplication


@pytest.fixture(autouse=True)
def _stall_guard(request):
    """Window tests start with no stall counted (checked after the test, before teardown)."""
    if "qtbot" in request.fixturenames:
        request.getfixturevalue("qapp").reset()


_STALLS: list[tuple[float, str, str]] = []
"""Window tests whose longest event passed the limit: (seconds, test, event)."""


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """The longest event-loop callback of each window test (closing its windows
    afterwards is not counted): over the limit it is listed at the end of the run,
    and with STUDIO_STALL_GUARD=1 the test fails."""
    result = yield
    if "qtbot" not in item.fixturenames or item.get_closest_marker("stalls"):
        return result
    from tests.stall_guard import LIMIT_SECONDS, StallGuardApplication, describe

    app = StallGuardApplication.instance()
    if not isinstance(app, StallGuardApplication):
        return result
    if os.environ.get("STUDIO_STALL_REPORT"):
        with Path(os.environ["STUDIO_STALL_REPORT"]).open("a", encoding="utf-8") as report:
            report.write(f"{app.longest * 1000:.0f}\t{item.nodeid}\t{describe(app.longest_what)}\n")
    if app.longest > LIMIT_SECONDS:
        _STALLS.append((app.longest, item.nodeid, describe(app.longest_what)))
        assert not os.environ.get("STUDIO_STALL_GUARD"), (
            f"the GUI thread was held {app.longest * 1000:.0f} ms by one event "
            f"({describe(app.longest_what)}); the limit is {LIMIT_SECONDS * 1000:.0f} ms"
        )
    return result


def pytest_terminal_summary(terminalreporter):
    if _STALLS:
        terminalreporter.section("GUI thread held over 250 ms (tests/stall_guard.py)")
        for seconds, test, what in sorted(_STALLS, reverse=True):
            terminalreporter.line(f"{seconds * 1000:5.0f} ms  {test}  ({what})")
