"""How a node's output changed: frames by index, arrays by cell, mappings by key."""

import numpy as np
import pandas as pd

from studio.core.runs.value_diff_text import describe_diff
from studio.kernel.results.previous_results import PreviousResults
from studio.kernel.results.value_diff import compare


def test_frames_are_matched_by_index_with_schema_rows_cells_and_stats():
    before = pd.DataFrame(
        {"price": [1.0, 2.0, np.nan, 4.0], "name": list("abcd"), "n": [1, 2, 3, 4]},
        index=[10, 11, 12, 13],
    )
    after = pd.DataFrame(
        {"price": [2.5, np.nan, 4.0, 5.0], "name": list("bXdz"), "n": [2.0, 3, 4, 5]},
        index=[11, 12, 13, 14],
    )
    report = compare(before, after)
    assert report["kind"] == "frame" and not report["equal"]
    assert (report["rows_added"], report["rows_removed"]) == (1, 1)
    assert report["rows_added_examples"] == ["14"] and report["rows_removed_examples"] == ["10"]
    assert report["dtype_changes"] == [{"column": "n", "before": "int64", "after": "float64"}]
    changed = {c["column"]: c for c in report["changed"]}
    assert set(changed) == {"price", "name"}
    assert changed["price"]["examples"] == [{"index": "11", "before": "2.0", "after": "2.5"}]
    assert changed["name"]["cells"] == 1
    text = describe_diff(report)
    assert "rows added: 1 (index 14)" in text
    assert "column name: 1 cell changed\n  at 12: 'c' → 'X'" in text
    assert "column price: mean 2.33333 → 3.83333, min 1 → 2.5, max 4 → 5" in text


def test_equal_values_series_arrays_mappings_and_scalars():
    assert compare(pd.Series([1, 2], name="x"), pd.Series([1, 2], name="x"))["equal"]
    grid = np.arange(6.0).reshape(2, 3)
    report = compare(grid, grid * [1, 1, 2])
    assert report["cells_changed"] == 2 and report["examples"][0]["index"] == "(0, 2)"
    assert describe_diff(compare(grid, grid.T)) == "shape: 2 × 3 → 3 × 2"
    mapping = compare({"r2": 0.81, "mae": 12.0, "old": 1}, {"r2": 0.83, "mae": 12.0, "new": 2})
    assert describe_diff(mapping) == (
        "keys added: 'new'\nkeys removed: 'old'\n'r2': 0.81 → 0.83  (+0.02, +2.5 %)"
    )
    assert describe_diff(compare(3000, 3300)) == "3000 → 3300  (+300, +10.0 %)"
    assert describe_diff(compare("a", 1)).startswith("type: str → int\n'a' → 1")


def test_previous_values_beyond_the_memory_budget_go_to_disk(tmp_path):
    previous = PreviousResults(tmp_path / "previous", budget=1000)
    small, big = [1, 2, 3], np.zeros(1000)
    previous.keep("big", big)
    previous.keep("small", small)
    assert "big" in previous and "small" in previous
    assert len(list((tmp_path / "previous").iterdir())) == 1
    assert np.array_equal(previous.get("big"), big) and previous.get("small") == small
    previous.clear()
    assert "big" not in previous and not (tmp_path / "previous").exists()


def test_missing_values_duplicate_columns_and_frames_inside_dicts():
    nullable = compare(
        pd.DataFrame({"x": pd.array([1, pd.NA], dtype="Int64")}),
        pd.DataFrame({"x": pd.array([1, 2], dtype="Int64")}),
    )
    assert nullable["changed"][0]["examples"] == [{"index": "1", "before": "<NA>", "after": "2"}]
    twins = compare(
        pd.DataFrame([[1, 2]], columns=["a", "a"]), pd.DataFrame([[1, 3]], columns=["a", "a"])
    )
    assert [c["column"] for c in twins["changed"]] == ["a (2)"]
    frame = pd.DataFrame({"a": range(100)})
    moved = frame.copy()
    moved.loc[50, "a"] = -1
    assert not compare({"k": frame}, {"k": moved})["equal"]
    assert compare({"k": pd.Series([1.0, np.nan])}, {"k": pd.Series([1.0, np.nan])})["equal"]
    assert compare(np.float64("nan"), float("nan")) == {
        "before_type": "numpy.float64", "after_type": "float", "kind": "scalar",
        "before": "nan", "after": "nan", "equal": True,
    }  # fmt: skip


def test_values_of_unknown_size_count_by_their_pickle(tmp_path):
    previous = PreviousResults(tmp_path / "previous", budget=25_000)
    for index in range(3):
        previous.keep(f"d{index}", {"rows": list(range(4000))})
    assert len(list((tmp_path / "previous").iterdir())) == 1
    assert previous.get("d0") == {"rows": list(range(4000))}


def test_an_unnamed_series_is_compared_under_the_column_the_table_shows():
    from studio.kernel.results.tables import as_table

    report = compare(pd.Series([1.0, 2.0]), pd.Series([1.0, 3.0]))
    (changed,) = report["changed"]
    assert changed["column"] == "value" == as_table(pd.Series([1.0]).rename(None)).names[0]
    assert "column 0" not in describe_diff(report, "before", "after")
