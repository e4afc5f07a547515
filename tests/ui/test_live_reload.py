"""Saving a file updates the canvas in place; broken saves and dead kernels never blank it.

Real watchdog observer on a temporary copy of an example, real kernel.
"""

import os
import shutil
import signal

import pytest

from studio.ui.panels.banner import BannerKind
from tests.helpers import plan_of

pytestmark = pytest.mark.timeout(120)


def edit(path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new))


@pytest.fixture
def spaceflights(example_copy, open_window):
    folder = example_copy("spaceflights")
    return folder, open_window(folder)


def test_editing_a_functions_parameters_changes_the_edges(spaceflights, qtbot):
    folder, window = spaceflights
    scene = window.scene
    assert ("y_test", "max_error") in scene.edges
    assert ("y_train", "max_error") not in scene.edges
    edit(
        folder / "reporting.py",
        "def max_error(y_test: np.ndarray, y_pred: np.ndarray)",
        "def max_error(y_train: np.ndarray, y_pred: np.ndarray)",
    )
    edit(folder / "reporting.py", "np.abs(y_test - y_pred)))", "np.abs(y_train.mean() - y_pred)))")
    qtbot.waitUntil(lambda: ("y_train", "max_error") in scene.edges, timeout=15_000)
    assert ("y_test", "max_error") not in scene.edges
    assert set(scene.edges) == set(window.workspace.graph.snapshot.edges())
    qtbot.waitUntil(lambda: not scene.animating)
    assert scene.nodes["max_error"].changed
    assert not scene.nodes["r2_score"].changed


def test_added_and_removed_functions_keep_view_and_selection(spaceflights, qtbot):
    folder, window = spaceflights
    scene, view = window.scene, window.view
    scene.nodes["model_input_table"].setSelected(True)
    view.set_zoom(0.8)
    view.centre_on_node("model_input_table", animate=False)
    on_screen = view.mapFromScene(scene.nodes["model_input_table"].pos())
    with (folder / "reporting.py").open("a") as module:
        module.write("\n\ndef price_spread(model_input_table: pd.DataFrame) -> float:\n")
        module.write('    """Max minus min price."""\n')
        module.write('    price = model_input_table["price"]\n')
        module.write("    return float(price.max() - price.min())\n")
    qtbot.waitUntil(lambda: "price_spread" in scene.nodes, timeout=15_000)
    qtbot.waitUntil(lambda: not scene.animating)
    assert ("model_input_table", "price_spread") in scene.edges
    assert view.zoom() == pytest.approx(0.8)
    assert window.workspace.selection.names() == ["model_input_table"]
    moved = view.mapFromScene(scene.nodes["model_input_table"].pos()) - on_screen
    assert moved.manhattanLength() <= 2, "the selected node should stay put on screen"
    edit(folder / "reporting.py", "def price_spread(", "def _price_spread(")
    qtbot.waitUntil(lambda: "price_spread" not in scene.nodes, timeout=15_000)
    assert ("model_input_table", "price_spread") not in scene.edges


def test_syntax_error_shows_a_banner_and_keeps_the_graph(spaceflights, qtbot):
    folder, window = spaceflights
    module = folder / "preprocessing.py"
    good = module.read_text()
    lines = good.splitlines()
    bad_line = next(i for i, line in enumerate(lines, 1) if line.startswith("def shuttles_pre"))
    lines[bad_line - 1] = "def shuttles_preprocessed(shuttles: pd.DataFrame -> pd.DataFrame:"
    module.write_text("\n".join(lines) + "\n")
    qtbot.waitUntil(window.banner.isVisible, timeout=15_000)
    assert window.banner.kind is BannerKind.ERROR
    assert f"preprocessing.py, line {bad_line}" in window.banner.text()
    assert "last good graph" in window.banner.text()
    assert len(window.scene.nodes) == 24
    window.banner.location_requested.emit("preprocessing.py", bad_line)
    assert window.inspector.excerpt.focus_line == bad_line
    module.write_text(good)
    qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=15_000)
    assert len(window.scene.nodes) == 24


def test_import_error_names_the_line_that_raised(spaceflights, qtbot):
    folder, window = spaceflights
    edit(folder / "data_science.py", "FEATURES = [", "FEATURES = 1 / 0\nOLD = [")
    qtbot.waitUntil(window.banner.isVisible, timeout=15_000)
    assert "data_science.py, line 6" in window.banner.text()
    assert "ZeroDivisionError" in window.banner.text()


def test_editor_scratch_files_do_not_reload(spaceflights, qtbot):
    folder, window = spaceflights
    loads = []
    window.controller.load_finished.connect(loads.append)
    (folder / ".reporting.py.swp").write_text("scratch")
    (folder / "reporting.py~").write_text("backup")
    (folder / "notes.txt").write_text("notes")
    qtbot.wait(600)
    assert loads == []
    # The watcher is alive: a real save right after reloads, once.
    module = folder / "reporting.py"
    with qtbot.waitSignal(window.controller.load_finished, timeout=15_000):
        module.write_text(module.read_text() + "\n")
    qtbot.wait(300)
    assert loads == [True]


def test_kernel_killed_from_outside_is_replaced_and_graph_comes_back(spaceflights, qtbot):
    _, window = spaceflights
    old_pid = window.session.pid
    with qtbot.waitSignal(window.controller.load_finished, timeout=60_000):
        os.kill(old_pid, signal.SIGKILL)
    assert window.session.pid != old_pid
    assert window.banner.isVisible() and "killed by SIGKILL" in window.banner.text()
    assert len(window.scene.nodes) == 24
    qtbot.waitUntil(lambda: "Kernel idle" in window.status.kernel_label.text(), timeout=10_000)


def test_module_that_kills_its_process_at_import(spaceflights, qtbot):
    folder, window = spaceflights
    module = folder / "reporting.py"
    good = module.read_text()
    module.write_text("import os\nos._exit(3)\n" + good)
    qtbot.waitUntil(
        lambda: window.banner.isVisible() and "died while loading" in window.banner.text(),
        timeout=30_000,
    )
    assert "exit code 3" in window.banner.text()
    assert len(window.scene.nodes) == 24
    qtbot.waitUntil(lambda: window.session.info is not None, timeout=30_000)
    with qtbot.waitSignal(window.controller.load_finished, timeout=30_000):
        module.write_text(good)
    assert not window.banner.isVisible()


def test_restart_from_the_menu_reloads(spaceflights, qtbot):
    _, window = spaceflights
    old_pid = window.session.pid
    with qtbot.waitSignal(window.controller.load_finished, timeout=60_000):
        window.restart_kernel()
    assert window.session.pid != old_pid
    assert len(window.scene.nodes) == 24


def test_deleted_project_folder_is_reported(spaceflights, qtbot):
    folder, window = spaceflights
    shutil.rmtree(folder)
    qtbot.waitUntil(window.banner.isVisible, timeout=15_000)
    assert "deleted or moved" in window.banner.text()
    assert len(window.scene.nodes) == 24


def test_with_its_folder_gone_a_dead_kernel_is_not_restarted_and_comes_back_with_it(
    spaceflights, qtbot
):
    """Issue 17: the kernel was restarted in the missing folder (FileNotFoundError),
    'starting' for ever, runs stuck, and a banner claiming a new kernel was started."""
    import os
    import signal

    folder, window = spaceflights
    away = folder.with_name("away")
    folder.rename(away)
    qtbot.waitUntil(lambda: "deleted or moved" in window.banner.text(), timeout=15_000)
    os.kill(window.session.pid, signal.SIGKILL)
    qtbot.waitUntil(lambda: "No kernel is running" in window.banner.text(), timeout=15_000)
    assert window.session.state.value == "stopped"
    assert window.run_controller.run(["max_error"]) is None
    away.rename(folder)
    with qtbot.waitSignal(window.controller.load_finished, timeout=60_000):
        pass
    assert window.session.state.value in ("idle", "busy") and not window.banner.isVisible()
    record = window.run_controller.run(["max_error"])
    qtbot.waitUntil(lambda: record.finished, timeout=60_000)
    assert record.status == "done"


def test_graph_edits_rewrite_the_files_and_undo_restores_their_bytes(spaceflights, qtbot):
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    folder, window = spaceflights
    scene, view, actions = window.scene, window.view, window.actions
    before = {path.name: path.read_bytes() for path in folder.glob("*.py")}
    assert not actions["undo"].isEnabled()
    assert window.graph_edits.rename("max_error", "worst_error")
    qtbot.waitUntil(lambda: "worst_error" in scene.nodes, timeout=15_000)
    assert "max_error" not in scene.nodes
    assert ("worst_error", "evaluation_metrics") in scene.edges
    qtbot.waitUntil(lambda: window.workspace.selection.keys == ("worst_error",))
    assert actions["undo"].text() == "&Undo Rename max_error to worst_error"

    editor = window.inspector.editor
    qtbot.waitUntil(lambda: "def worst_error(" in editor.toPlainText())
    assert editor.find_text("Worst price error")
    editor.textCursor().insertText("Largest price error")
    assert window.inspector.save_button.isEnabled()
    editor.setFocus()
    QTest.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "Largest price error" in (folder / "reporting.py").read_text())
    assert not window.inspector.save_button.isEnabled()
    assert actions["undo"].text().startswith("&Undo Edit reporting.py lines 20–22")

    view.fit_all()
    qtbot.waitUntil(lambda: not scene.animating)
    start = view.mapFromScene(scene.nodes["y_train"].sceneBoundingRect().center())
    end = view.mapFromScene(scene.nodes["worst_error"].sceneBoundingRect().center())
    alt, left = Qt.KeyboardModifier.AltModifier, Qt.MouseButton.LeftButton
    QTest.mousePress(view.viewport(), left, alt, start)
    QTest.mouseMove(view.viewport(), end)
    QTest.mouseRelease(view.viewport(), left, alt, end)
    qtbot.waitUntil(lambda: ("y_train", "worst_error") in scene.edges, timeout=15_000)
    assert "def worst_error(y_test: np.ndarray, y_pred: np.ndarray, y_train: np.ndarray)" in (
        (folder / "reporting.py").read_text()
    )
    qtbot.waitUntil(lambda: not scene.animating)
    edge = scene.edges[("y_train", "worst_error")]
    on_line = view.mapFromScene(edge.mapToScene(edge.path().pointAtPercent(0.5)))
    assert view.edge_at(on_line) is edge
    assert view.edge_at(on_line + QPoint(0, 40)) is not edge
    assert window.graph_edits.disconnect_nodes("y_train", "worst_error")
    qtbot.waitUntil(lambda: ("y_train", "worst_error") not in scene.edges, timeout=15_000)

    for _step in range(4):
        actions["undo"].trigger()
    qtbot.waitUntil(lambda: "max_error" in scene.nodes, timeout=15_000)
    assert {path.name: path.read_bytes() for path in folder.glob("*.py")} == before
    assert not actions["undo"].isEnabled() and actions["redo"].isEnabled()
    actions["redo"].trigger()
    qtbot.waitUntil(lambda: "worst_error" in scene.nodes, timeout=15_000)


def test_a_big_graph_is_drawn_before_its_code_versions_and_saves_still_mark_edits(
    tmp_path, open_window, qtbot
):
    """A first load of a big graph comes without code versions, which follow: nothing
    is marked changed when they arrive, and a later save marks just the edited node."""
    from studio.kernel.loading.graph_builder import DEFER_VERSIONS_ABOVE
    from tests.helpers import chain_project

    folder = chain_project(tmp_path / "chain", DEFER_VERSIONS_ABOVE + 50)
    window = open_window(folder)
    graph = window.workspace.graph
    qtbot.waitUntil(lambda: all(n.version for n in graph.snapshot.nodes), timeout=15_000)
    assert not graph.changed
    edit(folder / "chain.py", "return n9 + 10", "return n9 * 10")
    qtbot.waitUntil(lambda: bool(graph.changed), timeout=15_000)
    assert graph.changed == {"n10"}
    assert all(n.version for n in graph.snapshot.nodes)


def test_a_run_asked_for_before_the_code_versions_came_leaves_fresh_results(
    tmp_path, open_window, qtbot
):
    """Its results are signed with the versions that came meanwhile: reusable, not stale."""
    from studio.core.runs.run_state import NodeState
    from studio.core.runs.staleness import lineage_signatures
    from studio.kernel.loading.graph_builder import DEFER_VERSIONS_ABOVE
    from tests.helpers import chain_project

    folder = chain_project(tmp_path / "chain", DEFER_VERSIONS_ABOVE + 50)
    window = open_window(folder, wait=False)
    graph, runs = window.workspace.graph, window.workspace.runs
    asked: list[bool] = []

    def run_at_once(ok: bool) -> None:
        if ok and not asked:
            asked.append(any(n.version for n in graph.snapshot.nodes))
            window.run_controller.run(["n3"])

    window.controller.load_finished.connect(run_at_once)
    qtbot.waitUntil(lambda: bool(asked) and not window.run_controller.running, timeout=60_000)
    assert asked == [False], "the run was to start before the versions came"
    qtbot.waitUntil(lambda: all(n.version for n in graph.snapshot.nodes), timeout=15_000)
    assert runs.state.state("n3") is NodeState.DONE
    signatures = lineage_signatures(graph.snapshot, window.workspace.project.input_expressions())
    assert "n3" in runs.state.valid_results(signatures)
    assert "reuses 1" in plan_of(qtbot, window, ["n3"]).headline()
