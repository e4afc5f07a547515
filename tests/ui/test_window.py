"""The main window on real examples: real kernel, real canvas (offscreen)."""

import os
import subprocess
import sys
import time

import psutil
import pytest

from studio.core.resources import example_path
from studio.kernel.loading.graph_builder import build_driver
from studio.ui.canvas.items.node_item import Emphasis
from studio.ui.canvas.scene import GraphScene


def canvas_edges(scene: GraphScene) -> set[tuple[str, str]]:
    return set(scene.edges)


def test_canvas_holds_one_item_per_node_and_edge(open_window, qtbot):
    window = open_window(example_path("spaceflights"))
    snapshot = window.workspace.graph.snapshot
    assert set(window.scene.nodes) == {n.name for n in snapshot.nodes}
    assert canvas_edges(window.scene) == set(snapshot.edges())
    assert len(window.scene.nodes) == 24 and len(window.scene.edges) == 38
    assert set(window.scene.regions) == {
        "data_loading",
        "preprocessing",
        "data_science",
        "reporting",
    }
    assert "24 nodes · 38 edges" in window.status.graph_label.text()
    qtbot.waitUntil(lambda: "Kernel idle" in window.status.kernel_label.text(), timeout=5_000)
    for name, item in window.scene.nodes.items():
        assert item.isVisible() and item.boundingRect().width() > 0, name


def test_graph_comes_from_a_kernel_running_in_the_project_folder(open_window):
    window = open_window(example_path("spaceflights"))
    info = window.session.info
    assert info.pid != os.getpid()
    assert info.cwd == str(example_path("spaceflights"))
    kernel = psutil.Process(info.pid)
    listening = [c for c in kernel.net_connections(kind="inet") if c.status == psutil.CONN_LISTEN]
    assert listening == []
    folder = window.session.connection_folder
    assert folder.stat().st_mode & 0o777 == 0o700
    connection = (folder / "connection.json").read_text()
    assert '"transport": "ipc"' in connection


def test_selecting_a_node_highlights_exactly_its_lineage(open_window):
    window = open_window(example_path("spaceflights"))
    scene = window.scene
    scene.nodes["model_input_table"].setSelected(True)
    from studio.core.discovery.discover import discover
    from studio.kernel.loading.fresh_import import import_fresh

    project = discover(example_path("spaceflights"))
    flow = project.dataflow()
    modules = import_fresh(project.root, project.root, flow.modules).modules
    driver = build_driver(modules, flow, {})
    up = {v.name for v in driver.what_is_upstream_of("model_input_table")} - {"model_input_table"}
    down = {v.name for v in driver.what_is_downstream_of("model_input_table")} - {
        "model_input_table"
    }

    def with_emphasis(emphasis):
        return {n for n, item in scene.nodes.items() if item.emphasis is emphasis}

    assert with_emphasis(Emphasis.SELECTED) == {"model_input_table"}
    assert with_emphasis(Emphasis.UPSTREAM) == up
    assert with_emphasis(Emphasis.DOWNSTREAM) == down
    assert with_emphasis(Emphasis.DIMMED) == set(scene.nodes) - up - down - {"model_input_table"}
    assert "preprocessing.py" in window.inspector.details_text()
    assert window.inspector.source_text().startswith("def model_input_table(")
    window.view.escape_pressed.emit()
    assert with_emphasis(Emphasis.NORMAL) == set(scene.nodes)


def test_search_centres_matches_and_enter_cycles(open_window, qtbot):
    window = open_window(example_path("spaceflights"))
    window.view.set_zoom(1.0)
    qtbot.keyClicks(window.search_field, "prepro")
    assert window.search_count.text() == "1 of 2"
    hits = {n for n, item in window.scene.nodes.items() if item.search_hit}
    assert hits == {"companies_preprocessed", "shuttles_preprocessed"}
    qtbot.waitUntil(
        lambda: window.view.visible_scene_rect().contains(
            window.scene.nodes["companies_preprocessed"].pos()
        )
    )
    qtbot.keyClick(window.search_field, "\r")
    assert window.search_count.text() == "2 of 2"


def test_config_editor_rebuilds_the_graph(open_window, qtbot):
    window = open_window(example_path("decorators"))
    scaled = window.workspace.graph.snapshot.node("revenue_scaled")
    assert "z-score" in scaled.doc
    with qtbot.waitSignal(window.controller.graph_shown, timeout=30_000):
        window.controller.set_config_overrides({"scaling": "minmax"})
    assert "squeezed" in window.workspace.graph.snapshot.node("revenue_scaled").doc
    assert window.workspace.graph.snapshot.config == {"scaling": "minmax"}


def test_dataflow_selector_switches_between_driver_scripts(open_window, qtbot, tmp_path):
    (tmp_path / "features.py").write_text("def raw() -> int:\n    return 1\n")
    (tmp_path / "model.py").write_text("def fit(raw: int) -> int:\n    return raw\n")
    (tmp_path / "report.py").write_text("def summary(raw: int) -> str:\n    return str(raw)\n")
    driver = (
        "from hamilton import driver\nimport features, {0}\n"
        "driver.Builder().with_modules(features, {0}).build()\n"
    )
    (tmp_path / "run.py").write_text(driver.format("model"))
    (tmp_path / "run_report.py").write_text(driver.format("report"))
    window = open_window(tmp_path)
    assert window.dataflow_combo_action.isVisible()
    assert [window.dataflow_combo.itemText(i) for i in range(2)] == ["run", "run_report"]
    assert set(window.scene.nodes) == {"raw", "fit"}
    with qtbot.waitSignal(window.controller.graph_shown, timeout=30_000):
        window.controller.choose_dataflow("run_report")
    assert set(window.scene.nodes) == {"raw", "summary"}


def test_export_png_and_svg(open_window, tmp_path):
    from PySide6.QtGui import QImage

    from studio.core.graph.emphasis import Emphasis
    from studio.ui.canvas.export import export_png, export_svg

    window = open_window(example_path("spaceflights"))
    export_png(window.scene, tmp_path / "g.png")
    export_svg(window.scene, tmp_path / "g.svg")
    assert (tmp_path / "g.png").read_bytes()[:4] == b"\x89PNG"
    assert (tmp_path / "g.png").stat().st_size > 20_000
    svg = (tmp_path / "g.svg").read_text()
    assert "<svg" in svg and "model_input_table" in svg
    # The picture shows the graph, not the selection (nor its dimming), which stays.
    window.workspace.selection.select_nodes(["companies"])
    shuttles = window.scene.nodes["shuttles"]
    assert shuttles.emphasis is Emphasis.DIMMED
    export_png(window.scene, tmp_path / "selected.png")
    assert QImage(str(tmp_path / "g.png")) == QImage(str(tmp_path / "selected.png"))
    assert shuttles.emphasis is Emphasis.DIMMED


def test_window_state_and_recent_folders_are_remembered(open_window, studio_config):
    window = open_window(example_path("spaceflights"))
    window.resize(761, 502)  # within the offscreen screen, which restoreGeometry clamps to
    window.close()
    again = open_window(example_path("decorators"), size=None)
    assert again.size().toTuple() == (761, 502)
    recent = again.settings.recent_folders()
    assert recent[:2] == [str(example_path("decorators")), str(example_path("spaceflights"))]


def average_lightness(widget) -> int:
    """The mean lightness of what the widget paints (text is a small part of it)."""
    from PySide6.QtCore import Qt

    image = widget.grab().toImage()
    tiny = image.scaled(1, 1, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.SmoothTransformation)
    return tiny.pixelColor(0, 0).lightness()


def test_dark_theme_repaints_every_panel_at_once(open_window):
    from studio.ui.theme import DARK, LIGHT

    window = open_window(example_path("spaceflights"))
    panels = {
        "results": window.results_panel,
        "run log": window.run_log,
        "inspector": window.inspector,
        "inputs": window.inputs_panel,
        "config": window.config_editor,
        "console": window.console,
        "menu bar": window.menuBar(),
        "status bar": window.statusBar(),
        "canvas": window.view.viewport(),
    }
    assert all(average_lightness(w) > 180 for w in panels.values())
    window.set_theme(DARK)  # nothing waits: the next paint is already dark
    assert window.scene.backgroundBrush().color() == DARK.canvas
    assert all(item.theme is DARK for item in window.scene.nodes.values())
    light = {name: average_lightness(w) for name, w in panels.items()}
    assert all(value < 80 for value in light.values()), light
    window.set_theme(LIGHT)
    assert all(average_lightness(w) > 180 for w in panels.values())


def test_no_kernel_survives_the_window(open_window, qtbot):
    window = open_window(example_path("spaceflights"))
    pid = window.session.pid
    folder = window.session.connection_folder
    window.close()
    qtbot.waitUntil(lambda: not psutil.pid_exists(pid) or psutil.Process(pid).status() == "zombie")
    qtbot.waitUntil(lambda: not folder.exists())  # removed as the kernel ends, on a thread


def start_app(tmp_path) -> tuple[subprocess.Popen, psutil.Process]:
    """The app on spaceflights, as a user starts it, and its kernel once it runs."""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "STUDIO_CONFIG_DIR": str(tmp_path / "config"),
    }
    app = subprocess.Popen(
        [sys.executable, "-m", "studio", str(example_path("spaceflights"))],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        children = psutil.Process(app.pid).children(recursive=True)
        kernels = [c for c in children if "--kernel" in " ".join(c.cmdline())]
        if kernels:
            time.sleep(3)  # let it finish starting
            return app, kernels[0]
        time.sleep(0.1)
    app.kill()
    raise AssertionError("the app started no kernel")


@pytest.mark.timeout(90)
def test_killing_the_app_takes_its_kernel_down(tmp_path):
    app, kernel = start_app(tmp_path)
    try:
        app.kill()
        app.wait()
        gone, _ = psutil.wait_procs([kernel], timeout=15)
        assert kernel in gone, "the kernel outlived its app"
    finally:
        app.kill()


@pytest.mark.timeout(90)
def test_sigterm_ends_the_app_and_its_kernel(tmp_path):
    app, kernel = start_app(tmp_path)
    try:
        app.terminate()
        assert app.wait(timeout=20) is not None
        gone, _ = psutil.wait_procs([kernel], timeout=15)
        assert kernel in gone, "the kernel outlived its app"
    finally:
        app.kill()


def test_dropping_a_folder_on_the_window_opens_it(open_window, qtbot):
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    window = open_window(example_path("spaceflights"))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(example_path("decorators")))])
    event = QDropEvent(
        QPointF(20, 20),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(window.controller.graph_shown, timeout=60_000):
        window.dropEvent(event)
    assert "revenue_scaled" in window.scene.nodes
    assert "decorators" in window.windowTitle()


def test_a_first_window_takes_most_of_the_screen_centred(qtbot, studio_config):
    from studio.ui.app_settings import AppSettings
    from studio.ui.theme import LIGHT
    from studio.ui.window.main_window import FIRST_SHARE, MainWindow

    window = MainWindow(AppSettings(), LIGHT)
    qtbot.addWidget(window)
    room = window.screen().availableGeometry()
    size = window.size()
    assert size.width() <= room.width() and size.height() <= room.height()
    assert size.width() >= min(round(room.width() * FIRST_SHARE), room.width()) - 1
    assert size.height() >= min(round(room.height() * FIRST_SHARE), room.height()) - 1
    centre = window.frameGeometry().center()
    assert abs(centre.x() - room.center().x()) <= 2 and abs(centre.y() - room.center().y()) <= 2
