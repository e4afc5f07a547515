"""A result's size is measured, estimated from a sample, or not shown: never a shallow guess."""

import pandas as pd

from studio.kernel.results import summaries
from studio.kernel.results.summaries import summarize


def test_text_columns_are_measured_deep():
    frame = pd.DataFrame({"name": ["x" * 1000] * 100})
    summary = summarize(frame)
    assert summary["bytes_exact"] is True
    assert summary["bytes"] > 100 * 1000


def test_a_big_frame_is_estimated_from_its_first_rows(monkeypatch):
    monkeypatch.setattr(summaries, "DEEP_MEMORY_ROWS", 1_000)
    monkeypatch.setattr(summaries, "SAMPLE_ROWS", 100)
    series = pd.Series(["y" * 500] * 5_000)
    summary = summarize(series)
    assert summary["bytes_exact"] is False
    exact = int(series.memory_usage(index=True, deep=True))
    assert abs(summary["bytes"] - exact) < 0.05 * exact


def test_a_container_has_no_size_rather_than_a_shallow_one():
    summary = summarize({"a": list(range(1000))})
    assert summary["bytes"] is None
    assert summary["length"] == 1


def test_an_integer_columns_range_is_shown_as_integers():
    from studio.kernel.results.column_stats import describe_column

    stats = describe_column("n", pd.Series([3000, 12, 5]))
    assert (stats["min"], stats["max"]) == ("5", "3000")
