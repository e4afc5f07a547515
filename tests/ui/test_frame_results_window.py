"""Results of other frame libraries and plots in the real window: a polars table, a lazy
frame fetched on request, an altair chart and an SVG drawing."""

import pytest

from studio.core.runs.run_plan import RunMode
from studio.ui.results.frame_model import PLACEHOLDER
from tests.helpers import finish_run, kernel_value

pytest.importorskip("polars")
pytestmark = pytest.mark.timeout(150)

FLOW = """
import polars as pl


def people() -> pl.DataFrame:
    return pl.DataFrame({"name": ["Ann", "Bo", "Cy", "Di"], "age": [31, 22, 45, 22]})


def lazy_people(people: pl.DataFrame) -> pl.LazyFrame:
    return people.lazy().filter(pl.col("age") > 21).with_columns(older=pl.col("age") + 1)


class Drawing:
    def _repr_svg_(self) -> str:
        return (
            '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">'
            '<rect width="200" height="100" fill="#3060c0"/></svg>'
        )


def drawing() -> Drawing:
    return Drawing()
"""


@pytest.fixture
def window(tmp_path, open_window, qtbot):
    folder = tmp_path / "frames"
    folder.mkdir()
    (folder / "flow.py").write_text(FLOW)
    window = open_window(folder)
    finish_run(qtbot, window, lambda: window.run_controller.run([], RunMode.ALL))
    return window


def test_polars_lazy_frames_and_svg_pictures_show_in_the_panel(window, qtbot, tmp_path):
    panel = window.results_panel
    window.workspace.selection.select_nodes(["people"])
    table = panel.table
    qtbot.waitUntil(
        lambda: table.model.rowCount() == 4 and table.model.cell(0, 0) != PLACEHOLDER,
        timeout=20_000,
    )
    assert 'pl.col("' in table.filter_field.placeholderText()
    table.filter_field.setText('pl.col("age") == 22')
    table.apply_filter()
    qtbot.waitUntil(lambda: table.model.rowCount() == 2, timeout=10_000)

    window.workspace.selection.select_nodes(["lazy_people"])
    qtbot.waitUntil(lambda: panel.kind == "lazy", timeout=10_000)
    lazy = panel.lazy
    assert "A lazy polars frame" in lazy.about.text() and "older: Int64" in lazy.about.text()
    assert "FILTER" in lazy.plan.toPlainText()
    assert lazy.table.isHidden()  # nothing computed yet
    lazy.rows_box.setValue(2)
    lazy.fetch()
    qtbot.waitUntil(
        lambda: lazy.table.model.rowCount() == 2 and lazy.table.model.cell(0, 0) != PLACEHOLDER,
        timeout=10_000,
    )
    assert lazy.table.cells(2, 3) == [["Ann", "31", "32"], ["Bo", "22", "23"]]
    assert "First 2 rows" in lazy.progress.text()
    lazy.count_rows()
    qtbot.waitUntil(lambda: lazy.count == 4, timeout=10_000)
    assert "4 rows in all" in lazy.progress.text()

    window.workspace.selection.select_nodes(["drawing"])
    qtbot.waitUntil(lambda: panel.kind == "image", timeout=10_000)
    picture = panel.image.pixmap()
    assert (picture.width(), picture.height()) == (400, 200)  # drawn at twice its size
    assert picture.toImage().pixelColor(10, 10).name() == "#3060c0"
    saved = tmp_path / "drawing.svg"
    assert panel.image.save_image(str(saved))
    assert saved.read_text().startswith("<svg")
    assert panel.image.save_image(str(tmp_path / "drawing.png"))
    assert (tmp_path / "drawing.png").read_bytes().startswith(b"\x89PNG")
    assert kernel_value(window, "type(results.people).__module__").startswith("polars")


def test_a_picture_larger_than_the_panel_is_fitted_and_shown_whole(qtbot):
    from PySide6.QtGui import QColor, QImage, QPixmap

    from studio.ui.results.image_viewer import ImageViewer

    viewer = ImageViewer()
    qtbot.addWidget(viewer)
    viewer.resize(400, 300)
    viewer.show()
    image = QImage(1200, 2400, QImage.Format.Format_RGB32)
    image.fill(QColor("green"))
    viewer._show("tall", QPixmap.fromImage(image), None)
    qtbot.waitUntil(lambda: viewer.shown_size().height() <= viewer.scroll_area.viewport().height())
    shown = viewer.shown_size()
    assert shown.height() * 2 == pytest.approx(shown.width() * 4, abs=4)  # aspect kept
    viewer.fit_button.setChecked(False)
    assert viewer.shown_size().height() == 2400


def test_compare_with_previous_on_a_polars_frame_and_a_lazy_frame(window, qtbot, tmp_path):
    from studio.core.runs.run_state import NodeState

    flow = tmp_path / "frames" / "flow.py"
    flow.write_text(
        FLOW.replace("[31, 22, 45, 22]", "[31, 23, 45, 22, 50]").replace(
            '["Ann", "Bo", "Cy", "Di"]', '["Ann", "Bo", "Cy", "Di", "Ed"]'
        )
    )
    qtbot.waitUntil(
        lambda: window.workspace.runs.state.state("people") is NodeState.STALE, timeout=20_000
    )
    finish_run(qtbot, window, lambda: window.run_controller.run([], RunMode.ALL))
    panel = window.results_panel
    for node, expected in (
        ("people", ["rows added: 1", "column age: 1 cell changed", "at 1: 22 → 23"]),
        ("lazy_people", ["first 10,000 rows", "column older: 1 cell changed"]),
    ):
        window.workspace.selection.select_nodes([node])
        qtbot.waitUntil(lambda: not panel.compare_button.isHidden(), timeout=10_000)
        panel.compare_button.click()
        qtbot.waitUntil(lambda: "→ now\n" in panel.comparison.toPlainText(), timeout=10_000)
        text = panel.comparison.toPlainText()
        assert all(part in text for part in expected), text
        panel.compare_button.click()
