"""Text in the panels says what is true and stays readable: sizes, filter hint, selection."""

from studio.core.protocol.data_requests import Column, ValueSummary
from studio.core.runs.run_state import NodeRun, NodeState
from studio.ui.results.results_panel import summary_line
from studio.ui.results.table_viewer import filter_hint


def test_a_size_python_cannot_tell_is_left_out_and_an_estimate_says_so():
    unknown = summary_line("d", ValueSummary("dict", length=3, bytes=None), NodeRun(), None)
    assert "B" not in unknown.replace("<b>", "").replace("</b>", "") and "unknown" not in unknown
    estimated = ValueSummary("DataFrame", shape=[3, 2], bytes=2048, bytes_exact=False)
    assert "≈ 2.0 KB" in summary_line("t", estimated, NodeRun(), None)
    measured = ValueSummary("DataFrame", shape=[3, 2], bytes=2048, bytes_exact=True)
    line = summary_line("t", measured, NodeRun(), None)
    assert "2.0 KB" in line and "≈" not in line


def test_the_filter_hint_uses_the_tables_own_columns():
    series = filter_hint([Column("price", "float64")])
    assert "(price > 0)" in series and " and " not in series
    frame = filter_hint([Column("shuttle type", "object"), Column("n", "int64")])
    assert '(`shuttle type` == "…" and n > 0)' in frame


def test_the_filter_hint_is_written_in_the_frames_own_dialect():
    columns = [Column("city", "String"), Column("age", "Int64")]
    polars = filter_hint(columns, "polars")
    assert 'a polars expression ((pl.col("city") == "…") & (pl.col("age") > 0))' in polars
    arrow = filter_hint([Column("age", "int64")], "pyarrow")
    assert '(pc.field("age") > 0)' in arrow


def _luminance(colour) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_a_selected_row_is_readable_in_both_themes(qapp):
    from PySide6.QtGui import QPalette

    from studio.ui.theme import DARK, LIGHT, apply_to_application

    for theme in (LIGHT, DARK):
        apply_to_application(qapp, theme)
        palette = qapp.palette()
        light, dark = sorted(
            (
                _luminance(palette.color(QPalette.ColorRole.Highlight)),
                _luminance(palette.color(QPalette.ColorRole.HighlightedText)),
            ),
            reverse=True,
        )
        assert (light + 0.05) / (dark + 0.05) >= 4.5, theme.name
    apply_to_application(qapp, LIGHT)


def test_a_scalars_header_has_no_empty_part():
    import numpy as np

    from studio.kernel.results.summaries import summarize

    summary = ValueSummary.from_wire(summarize(np.float64(1.5)))
    line = summary_line("total", summary, NodeRun(), None)
    assert line == "<b>total</b> · numpy.float64 · 8 B"
    assert summary_line("t", ValueSummary("numpy.float64", shape=[], bytes=8), NodeRun(), None) == (
        "<b>t</b> · numpy.float64 · 8 B"
    )


def test_a_given_value_says_who_gives_it_not_when_it_was_computed():
    import datetime

    summary = ValueSummary("int", bytes=28)
    given = NodeRun(NodeState.GIVEN, None, given_by="nb.ipynb")
    line = summary_line("spend", summary, given, datetime.datetime(2026, 1, 1, 9, 30))
    assert "given by nb.ipynb (--overrides)" in line
    assert "computed" not in line and "took" not in line
