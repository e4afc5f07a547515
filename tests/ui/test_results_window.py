"""Inspecting results in the real window: the remote table, viewers and the console."""

import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication

from studio.core.runs.run_plan import RunMode
from studio.kernel.results.cell_text import format_values
from studio.ui.results.frame_model import PLACEHOLDER
from tests.helpers import finish_run, kernel_value

pytestmark = pytest.mark.timeout(150)


@pytest.fixture
def computed(example_copy, open_window, qtbot):
    """Spaceflights with every sink computed, and model_input_table selected."""
    folder = example_copy("spaceflights")
    window = open_window(folder)
    finish_run(qtbot, window, lambda: window.run_controller.run([], RunMode.ALL))  # every sink
    window.workspace.selection.select_nodes(["model_input_table"])
    table = window.results_panel.table
    qtbot.waitUntil(
        lambda: table.model.rowCount() > 0 and table.model.cell(0, 0) != PLACEHOLDER, timeout=20_000
    )
    return window


def loaded(model, rows):
    return all(model.cell(r, c) != PLACEHOLDER for r in rows for c in range(model.columnCount()))


def test_table_shows_the_true_size_and_the_frames_values(computed, qtbot):
    window = computed
    model = window.results_panel.table.model
    frame = kernel_value(window, "results.model_input_table")
    assert model.rowCount() == len(frame) == 364
    assert model.columnCount() == len(frame.columns)
    assert [c.name for c in model.columns] == list(frame.columns)
    assert (
        "float64" in window.results_panel.table.header_texts()[list(frame.columns).index("price")]
    )
    qtbot.waitUntil(lambda: loaded(model, range(10)))
    for column, name in enumerate(frame.columns):
        assert [model.cell(r, column) for r in range(10)] == format_values(
            frame[name].to_numpy()[:10]
        )
    summary = window.results_panel.header.text()
    assert "pandas.DataFrame" in summary and "364 × 24" in summary and "KB" in summary
    table = window.results_panel.table
    table.jump_last()
    qtbot.waitUntil(lambda: model.cell(363, 0) != PLACEHOLDER)
    assert model.index_label(363) == "363"


def test_header_clicks_sort_in_the_kernel_like_pandas(computed, qtbot):
    window = computed
    table = window.results_panel.table
    model = table.model
    frame = kernel_value(window, "results.model_input_table")
    price = list(frame.columns).index("price")
    with qtbot.waitSignal(model.reset_done):
        table.table.horizontalHeader().sectionClicked.emit(price)
    assert model.is_loaded(0, 199)  # the sort's reply brought the first rows: no wait to paint
    expected = frame.sort_values("price", kind="stable").index[:20]
    assert [model.index_label(r) for r in range(20)] == [str(i) for i in expected]
    with qtbot.waitSignal(model.reset_done):
        table.table.horizontalHeader().sectionClicked.emit(price)
    qtbot.waitUntil(lambda: loaded(model, range(5)))
    descending = frame.sort_values("price", ascending=False, kind="stable").index[:5]
    assert [model.index_label(r) for r in range(5)] == [str(i) for i in descending]
    assert "▼" in table.header_texts()[price]
    with qtbot.waitSignal(model.reset_done):
        table.table.horizontalHeader().sectionClicked.emit(price)
    qtbot.waitUntil(lambda: loaded(model, range(5)))
    assert [model.index_label(r) for r in range(5)] == ["0", "1", "2", "3", "4"]


def test_filter_takes_a_pandas_condition_and_shows_errors_in_place(computed, qtbot):
    window = computed
    table = window.results_panel.table
    frame = kernel_value(window, "results.model_input_table")
    condition = 'price > 5000 and shuttle_type == "Type V5"'
    qtbot.keyClicks(table.filter_field, condition)
    with qtbot.waitSignal(table.model.reset_done):
        qtbot.keyClick(table.filter_field, Qt.Key.Key_Return)
    expected = frame.query(condition)
    assert table.model.rowCount() == len(expected)
    assert loaded(table.model, range(len(expected)))  # the filter's reply brought its rows
    assert [table.model.index_label(r) for r in range(len(expected))] == [
        str(i) for i in expected.index
    ]
    assert f"{len(expected)} of 364 rows" in table.count_label.text()
    table.filter_field.setText("speed > 3")
    qtbot.keyClick(table.filter_field, Qt.Key.Key_Return)
    qtbot.waitUntil(table.filter_error.isVisible)
    assert "speed" in table.filter_error.text()
    assert table.model.rowCount() == 0  # never the last filter's rows under the new text
    assert "0 of 364 rows" in table.count_label.text()
    first_column = table.model.columns[0].name
    assert first_column in table.filter_field.placeholderText()


def test_copy_selected_cells_as_tab_separated_text(computed, qtbot):
    window = computed
    table = window.results_panel.table
    model = table.model
    qtbot.waitUntil(lambda: loaded(model, range(3)))
    selection = QItemSelection(model.index(0, 0), model.index(2, 1))
    table.table.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    table.copy_selection()
    expected = "\n".join(f"{model.cell(r, 0)}\t{model.cell(r, 1)}" for r in range(3))
    assert QApplication.clipboard().text() == expected


def test_column_summaries_with_histograms(computed, qtbot):
    table = computed.results_panel.table
    table.toggle_summaries(True)
    qtbot.waitUntil(lambda: len(table.summaries.row_texts()) == 24, timeout=20_000)
    rows = {r[0].split("  ")[0]: r for r in table.summaries.row_texts()}
    assert rows["price"][1] == "0"
    assert float(rows["engines"][3]) == 1.0 and float(rows["engines"][4]) == 4.0
    assert "Type" in rows["shuttle_type"][6]
    price_row = [r[0] for r in table.summaries.row_texts()].index("price  (float64)")
    assert sum(table.summaries.histogram(price_row)) == 364
    assert "all 364 rows" in table.summaries.note()


def test_dicts_show_as_a_tree_and_figures_as_an_image(computed, qtbot):
    window = computed
    window.workspace.selection.select_nodes(["evaluation_metrics"])
    panel = window.results_panel
    qtbot.waitUntil(lambda: panel.kind == "tree", timeout=10_000)
    root = panel.tree.topLevelItem(0)
    children = {root.child(i).text(0): root.child(i).text(1) for i in range(root.childCount())}
    assert set(children) == {"r2_score", "mean_absolute_error", "max_error"}
    assert children["r2_score"].startswith("0.79")
    window.workspace.selection.select_nodes(["price_chart"])
    qtbot.waitUntil(lambda: panel.kind == "image", timeout=10_000)
    pixmap = panel.image.pixmap()
    assert not pixmap.isNull() and pixmap.width() > 300
    assert panel.image.fit_button.isChecked()
    window.workspace.selection.select_nodes(["r2_score"])
    qtbot.waitUntil(lambda: panel.kind == "text", timeout=10_000)
    assert panel.text.toPlainText().startswith("0.79")


def test_an_uncomputed_node_says_how_to_compute_it(example_copy, open_window):
    window = open_window(example_copy("spaceflights"))
    window.workspace.selection.select_nodes(["regressor"])
    assert "no result yet" in window.results_panel.message.text()


def test_the_console_shares_the_kernel_and_its_results(computed, qtbot):
    window = computed
    console = window.console
    assert not console.built, "the console is built when first brought forward"
    window.send_to_console("regressor")  # builds it; the name waits for it to be ready
    qtbot.waitUntil(lambda: console.widget.input_buffer == 'results["regressor"]', timeout=20_000)
    qtbot.wait(500)  # nothing clears it once it is there
    assert console.widget.input_buffer == 'results["regressor"]'
    console.execute("print('rows:', len(results.model_input_table), type(dr).__name__)")
    qtbot.waitUntil(lambda: "rows: 364 Driver" in console.text(), timeout=20_000)


def test_rows_keep_coming_while_the_console_is_busy(computed, qtbot):
    window = computed
    window.console.execute("import time; time.sleep(30)")
    qtbot.waitUntil(lambda: window.session.state.value == "busy", timeout=10_000)
    table = window.results_panel.table
    table.jump_last()
    qtbot.waitUntil(lambda: table.model.cell(363, 0) != PLACEHOLDER, timeout=3_000)
    assert window.session.state.value == "busy"


HANGING_REPR = """
import time


class Hangs:
    def __repr__(self) -> str:
        while True:
            time.sleep(0.05)


def hangs() -> Hangs:
    return Hangs()


def fine() -> int:
    return 42
"""


def test_a_value_whose_repr_hangs_is_given_up_and_other_nodes_still_show(
    tmp_path, open_window, qtbot
):
    """It used to hold the results panel at "loading…" for every node (issue 31, case 9)."""
    from studio.kernel.results.bounded_display import DISPLAY_LIMIT_S

    folder = tmp_path / "hangs"
    folder.mkdir()
    (folder / "flow.py").write_text(HANGING_REPR)
    window = open_window(folder)
    finish_run(qtbot, window, lambda: window.run_controller.run([], RunMode.ALL))
    panel = window.results_panel
    window.workspace.selection.select_nodes(["hangs"])
    message = f"could not display: __repr__ took longer than {DISPLAY_LIMIT_S:g} s"
    qtbot.waitUntil(
        lambda: panel.kind == "text" and message in panel.text.toPlainText(),
        timeout=int(DISPLAY_LIMIT_S * 1000) + 10_000,
    )
    window.workspace.selection.select_nodes(["fine"])
    qtbot.waitUntil(lambda: panel.text.toPlainText() == "42", timeout=5_000)
    window.workspace.selection.select_nodes(["hangs"])  # not tried again: at once
    qtbot.waitUntil(lambda: message in panel.text.toPlainText(), timeout=2_000)
    threads = "[t.name for t in __import__('threading').enumerate()]"
    qtbot.waitUntil(lambda: "studio-result-display" not in kernel_value(window, threads))
