"""Text on the canvas stays readable: compact names when zoomed out, folded tracebacks."""

from PySide6.QtCore import QRectF, QUrl

from studio.core.protocol import RunStatus
from studio.core.protocol.requests import TracebackFrame
from studio.core.runs.run_records import RunRecord
from studio.ui.canvas.items.compact_name import MAX_GROWTH, fit_name, split_in_two
from studio.ui.canvas.items.node_item import name_font
from studio.ui.panels.run_log import RunLogPanel


def test_a_long_name_is_cut_at_the_underscore_that_balances_it():
    assert split_in_two("spend_zero_mean_unit_variance") == ("spend_zero_mean_", "unit_variance")
    assert split_in_two("weekly_users") == ("weekly_", "users")
    assert split_in_two("passengerid") is None
    assert split_in_two("_private") is None


def test_a_zoomed_out_card_grows_its_name_to_fill_the_card(qtbot):
    card = QRectF(0, 0, 150, 36)
    short = fit_name("age", card, name_font())
    assert short.lines == ("age",) and short.scale == MAX_GROWTH
    long = fit_name("spend_zero_mean_unit_variance", card, name_font())
    assert long.lines == ("spend_zero_mean_", "unit_variance")
    assert long.scale > fit_name("spendzeromeanunitvariance", card, name_font()).scale


def _failed_run() -> RunRecord:
    record = RunRecord(1, ["report"], "upstream")
    record.status = RunStatus.FAILED
    record.message = "ZeroDivisionError: division by zero"
    record.failed_node = "ratio"
    record.frames = [
        TracebackFrame("/venv/hamilton/driver.py", 10, "execute"),
        TracebackFrame("/venv/hamilton/graph.py", 20, "run"),
        TracebackFrame("pipeline.py", 3, "ratio", "return 1 / 0", in_project=True),
    ]
    return record


def test_a_traceback_opens_at_the_users_code_with_the_rest_one_click_away(qtbot):
    panel = RunLogPanel()
    qtbot.addWidget(panel)
    panel.add_run(_failed_run())
    assert panel._detail.toPlainText() == "", "a hidden run log writes its details when shown"
    panel.show()
    qtbot.waitUntil(lambda: "pipeline.py, line 3" in panel._detail.toPlainText(), timeout=3_000)
    text = panel._detail.toPlainText()
    assert "2 frames of the studio and Hamilton" in text
    assert "driver.py" not in text
    panel._on_link(QUrl("unfold:1"))
    text = panel._detail.toPlainText()
    assert "driver.py, line 10" in text and "pipeline.py, line 3" in text
    assert "frames of the studio" not in text


def test_a_cards_tooltip_says_how_its_last_run_went_in_words():
    from studio.core.runs.run_state import NodeRun, NodeState
    from studio.ui.canvas.items.node_item import run_phrase

    assert run_phrase(NodeRun(NodeState.DONE, 0.039)) == "computed in 39 ms"
    assert run_phrase(NodeRun(NodeState.STALE, 0.039)).startswith("stale: its code")
    assert "in 39 ms" not in run_phrase(NodeRun(NodeState.STALE, 0.039))
    assert run_phrase(NodeRun(NodeState.FAILED, 1.5)) == "failed after 1.5 s"
    given = NodeRun(NodeState.GIVEN, given_by="nb.ipynb")
    assert run_phrase(given) == "given by nb.ipynb (--overrides), not computed"
    restaled = NodeRun(NodeState.STALE, given_by="nb.ipynb")
    assert "the value nb.ipynb gives" in run_phrase(restaled)


def test_a_bundled_edge_and_its_count_lie_above_the_single_edges_crossing_it(qtbot):
    from studio.core.graph.emphasis import Emphasis
    from studio.ui.canvas.items.edge_item import EdgeItem
    from studio.ui.theme import LIGHT

    single, bundled = EdgeItem("a", "b", LIGHT, 1), EdgeItem("c", "d", LIGHT, 4)
    assert bundled.zValue() > single.zValue()
    bundled.set_emphasis(Emphasis.DIMMED)
    bundled.set_emphasis(Emphasis.NORMAL)
    assert bundled.zValue() > single.zValue()
