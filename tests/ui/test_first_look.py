"""The first look at a project: room for the graph, a window that tells the truth, failures
that show, and Run All doing what the driver script asks for."""

from pathlib import Path

import pytest
from PySide6.QtCore import QRect

from studio.core.layout import Direction
from studio.core.runs.run_state import NodeState
from tests.helpers import finish_run

pytestmark = pytest.mark.timeout(150)

FLOW = """
import pandas as pd


def raw(rows: int) -> pd.DataFrame:
    return pd.DataFrame({"x": range(rows)})


def doubled(raw: pd.DataFrame) -> pd.DataFrame:
    return raw.assign(y=raw.x * 2)


def total(doubled: pd.DataFrame) -> int:
    return int(doubled.y.sum())


def row_count(raw: pd.DataFrame) -> int:
    return len(raw)
"""

RUN_PY = """
import os

import flow
from hamilton import driver

dr = driver.Builder().with_modules(flow).build()
print(dr.execute(["total"], inputs={"rows": int(os.environ["ROWS"])}))
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "flow.py").write_text(FLOW)
    (folder / "run.py").write_text(RUN_PY)
    return folder


def test_run_all_runs_what_the_script_asks_for_and_the_results_get_room(
    project, open_window, qtbot
):
    from studio.ui.panels.placeholder_delegate import PLACEHOLDER_ROLE

    window = open_window(project)
    results = window.docks["results"]
    qtbot.waitUntil(lambda: results.height() < 150, timeout=5_000)
    assert window.view.height() > 0.6 * window.height()
    qtbot.waitUntil(
        lambda: (
            window.workspace.script_values.dataflow is not None
            and not window.workspace.script_values.evaluating
        ),
        timeout=30_000,
    )  # once trusted, the script's value is evaluated: here it fails (no ROWS)
    table = window.inputs_panel._table
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "rows")
    qtbot.waitUntil(
        lambda: "KeyError: 'ROWS'" in (table.item(row, 2).data(PLACEHOLDER_ROLE) or ""),
        timeout=10_000,
    )
    window.workspace.project.set_inputs({"rows": "5"})
    record = finish_run(qtbot, window, window.actions["run-all"].trigger)
    assert record.targets == ["total"]
    assert window.workspace.runs.node("total").state is NodeState.DONE
    assert window.workspace.runs.node("row_count").state is NodeState.NOT_COMPUTED
    assert "total" in record.summary()
    window.workspace.selection.select_nodes(["doubled"])
    qtbot.waitUntil(lambda: results.height() >= 0.3 * window.height(), timeout=10_000)
    # Zoomed far out, the nodes that matter keep readable labels.
    labels = window.scene.key_labels
    assert set(labels.sinks) == {"total", "row_count"}
    order = [name for name, _colour in labels.important()]
    assert order[0] == "doubled"
    assert {"total", "row_count"} <= set(order)
    assert "raw" in order  # upstream of the selection
    window.view.set_zoom(0.2)
    window.view.centre_on_node("doubled", animate=False)
    centre = window.view.mapFromScene(window.scene.nodes["doubled"].sceneBoundingRect().center())
    around = (centre.x() - 40, centre.y() - 8, 80, 16)
    labels.setVisible(False)
    without = window.view.viewport().grab(QRect(*around)).toImage()
    labels.setVisible(True)
    with_labels = window.view.viewport().grab(QRect(*around)).toImage()
    assert without != with_labels


def test_direction_fit_and_minimap_follow_the_graph_and_the_view(project, open_window, qtbot):
    window = open_window(project)
    view = window.view
    qtbot.wait(100)  # the fit that follows a first drawing
    drawn = view.mapFromScene(window.scene.graph_rect()).boundingRect()
    assert not drawn.intersects(window.legend.geometry())
    assert not window.navigation.minimap.isVisible()
    view.set_zoom(3.0)
    view.centre_on_node("raw", animate=False)
    assert window.navigation.minimap.isVisible()
    view.fit_all()
    assert not window.navigation.minimap.isVisible()
    # A resized window fits again until the user moves the view.
    before = view.zoom()
    window.resize(900, 700)
    qtbot.waitUntil(lambda: view.zoom() < before, timeout=5_000)
    view.zoom_in()
    zoomed = view.zoom()
    window.resize(1400, 900)
    qtbot.wait(100)
    assert view.zoom() == pytest.approx(zoomed)
    # Auto, then forced directions (Ctrl+L cycles them).
    action = window.actions["direction"]
    assert window.workspace.graph.direction is Direction.AUTO
    assert action.text() in ("Auto: left to right", "Auto: top to bottom")
    with qtbot.waitSignal(window.controller.graph_shown, timeout=10_000):
        action.trigger()
    assert window.scene.direction is Direction.LEFT_RIGHT
    assert action.text() == "Left to right"
    with qtbot.waitSignal(window.controller.graph_shown, timeout=10_000):
        action.trigger()
    assert window.scene.direction is Direction.TOP_BOTTOM
    assert window.settings.get("direction", "") == Direction.TOP_BOTTOM.value
    # A save that grows the graph keeps a view the user has not moved whole.
    view.fit_all()
    flow = project / "flow.py"
    more, previous = "", "doubled"
    for i in range(8):
        more += (
            f"\n\ndef step_{i}({previous}: pd.DataFrame) -> pd.DataFrame:\n    return {previous}\n"
        )
        previous = f"step_{i}"
    with qtbot.waitSignal(window.controller.graph_shown, timeout=20_000):
        flow.write_text(flow.read_text() + more)
    qtbot.waitUntil(lambda: not window.scene.animating, timeout=5_000)
    assert "step_7" in window.scene.nodes
    assert window.view.visible_scene_rect().contains(window.scene.graph_rect())
    window.view.zoom_in()
    with qtbot.waitSignal(window.controller.graph_shown, timeout=20_000):
        flow.write_text(
            flow.read_text() + "\n\ndef tail(step_7: pd.DataFrame) -> int:\n    return 1\n"
        )
    qtbot.waitUntil(lambda: not window.scene.animating, timeout=5_000)
    assert not window.view.fitted  # the user's zoom is kept


OTHER = """
def alpha() -> int:
    return 1


def beta(alpha: int) -> int:
    return alpha + 1
"""


@pytest.fixture
def other(tmp_path: Path) -> Path:
    folder = tmp_path / "other"
    folder.mkdir()
    (folder / "steps.py").write_text(OTHER)
    return folder


def test_opening_folders_clears_the_last_one_and_a_failing_one_says_so(
    project, other, tmp_path, open_window, qtbot
):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "flow.py").write_text(
        "import not_a_package_anywhere\n\n\ndef a() -> int:\n    return 1\n"
    )
    window = open_window(other)
    window.settings.trust(broken.resolve())
    window.settings.trust(project.resolve())
    finish_run(qtbot, window, lambda: window.run_controller.run(["beta"]))
    window.workspace.selection.select_nodes(["beta"])
    with qtbot.waitSignal(window.controller.load_finished, timeout=60_000):
        window.open_folder(broken)
        assert "beta" not in window.scene.nodes  # at once
        assert window.run_log._tree.topLevelItemCount() == 0  # the run log is the project's
    # The graph read from the source stays under the error (issue 29, 4f).
    qtbot.waitUntil(lambda: set(window.scene.nodes) == {"a"}, timeout=5_000)
    assert window.banner.isVisible()
    assert "not_a_package_anywhere" in window.banner.text()
    assert "read from the source stays on screen" in window.banner.text()
    assert not window.canvas_message.isVisible()
    assert "loading" not in window.status.graph_label.text()
    assert window.run_controller.run(["beta"]) is None
    window.open_folder(project)
    assert window.canvas_message.isVisible()
    title = window.canvas_message.title.text()
    assert title.startswith(("Opening project", "Starting a kernel", "Loading the graph"))
    assert window.inputs_panel.user_values() == {}
    assert not window.banner.isVisible()
    qtbot.waitUntil(lambda: "total" in window.scene.nodes, timeout=60_000)
    assert "beta" not in window.scene.nodes
    assert not window.canvas_message.isVisible()


BOOM = """
def data() -> int:
    raise ConnectionError("the server said no")


def cleaned(data: int) -> int:
    return data + 1


def report(cleaned: int) -> str:
    return str(cleaned)
"""


def test_a_failure_upstream_marks_the_requested_node_and_the_status_bar(
    tmp_path, open_window, qtbot
):
    folder = tmp_path / "failing"
    folder.mkdir()
    (folder / "pipeline.py").write_text(BOOM)
    window = open_window(folder)
    window.workspace.selection.select_nodes(["report"])
    record = finish_run(qtbot, window, lambda: window.run_controller.run(["report"]))
    assert record.failed_node == "data"
    report = window.workspace.runs.node("report")
    assert report.state is NodeState.FAILED
    assert report.failed_upstream == "data"
    assert "ConnectionError" in report.error
    message = window.results_panel.message.text()
    assert "did not run" in message and "node:data" in message
    assert "data raised ConnectionError" in window.statusBar().currentMessage()
    with qtbot.waitSignal(window.results_panel.node_link_activated):
        window.results_panel.message.linkActivated.emit("node:data")
    assert window.workspace.selection.names() == ["data"]


STEPS = """
def cleaned(raw: int) -> int:
    return raw + 1


def scaled(cleaned: int, factor: int) -> int:
    return cleaned * factor
"""

SUBDAGS = """
from hamilton.function_modifiers import subdag, value

import steps


@subdag(steps, inputs={"factor": value(2)})
def twice(scaled: int) -> int:
    return scaled


@subdag(steps, inputs={"factor": value(3)})
def thrice(scaled: int) -> int:
    return scaled
"""

SUBDAG_RUN = """
import flow
from hamilton import driver

dr = driver.Builder().with_modules(flow).build()
"""


def test_a_namespace_is_named_once_on_its_region_not_on_every_card(tmp_path, open_window, qtbot):
    folder = tmp_path / "subdags"
    folder.mkdir()
    (folder / "steps.py").write_text(STEPS)
    (folder / "flow.py").write_text(SUBDAGS)
    (folder / "run.py").write_text(SUBDAG_RUN)
    window = open_window(folder)
    scene = window.scene
    assert scene.nodes["twice"].folded == 4 and "twice.scaled" not in scene.nodes
    with qtbot.waitSignal(window.controller.graph_shown, timeout=20_000):
        window.workspace.graph.function_view = False  # Hamilton's nodes, one by one
    qtbot.waitUntil(lambda: not scene.animating, timeout=5_000)
    assert scene.nodes["twice.scaled"].shown == "scaled"
    assert scene.nodes["thrice.cleaned"].shown == "cleaned"
    assert scene.nodes["twice"].shown == "twice"
    titles = {item.title for item in scene.regions.values()}
    assert {"twice", "thrice"} <= titles
    nested = scene.regions[next(k for k in scene.regions if k.endswith("twice"))]
    card = scene.nodes["twice.scaled"].sceneBoundingRect()
    assert nested.rect().contains(card.center())


def test_a_kernel_that_stays_silent_is_reported_not_waited_on(
    tmp_path, open_window, qtbot, monkeypatch
):
    from studio.ui.project import loading_state

    monkeypatch.setattr(loading_state, "PATIENCE_SECONDS", 1)
    folder = tmp_path / "slow"
    folder.mkdir()
    # A decorator: no graph from the source is drawn meanwhile (see test_source_preview).
    (folder / "flow.py").write_text(
        "import time\n\nfrom hamilton.function_modifiers import tag\n\ntime.sleep(3)\n\n\n"
        "@tag(kind='slow')\ndef a() -> int:\n    return 1\n"
    )
    window = open_window(folder, wait=False)
    qtbot.waitUntil(
        lambda: "has not answered" in window.canvas_message.details.text(), timeout=30_000
    )
    assert "Restart Kernel" in window.canvas_message.details.text()
    qtbot.waitUntil(lambda: "a" in window.scene.nodes, timeout=60_000)
    assert not window.canvas_message.isVisible()
