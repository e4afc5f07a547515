"""Compare with Previous on frames of other libraries: the same report as for pandas."""

import pandas as pd
import pytest

from studio.core.runs.value_diff_text import describe_diff
from studio.kernel.results.value_diff import compare

pl = pytest.importorskip("polars")
pa = pytest.importorskip("pyarrow")

BEFORE = {"id": [1, 2, 3, 4], "price": [10.0, 20.0, None, 40.0], "city": ["a", "b", "c", "d"]}
AFTER = {"id": [1, 2, 3, 4, 5], "price": [10.0, 25.0, None, 41.0, 50.0], "flag": [1, 0, 1, 0, 1]}


def check(report):
    assert report["kind"] == "frame" and not report["equal"]
    assert report["shape"] == [[4, 3], [5, 3]]
    assert report["columns_added"] == ["flag"] and report["columns_removed"] == ["city"]
    assert report["rows_added"] == 1 and report["rows_removed"] == 0
    (price,) = report["changed"]  # the missing price stayed missing: not a change
    assert price["column"] == "price" and price["cells"] == 2
    assert [e["index"] for e in price["examples"]] == ["1", "3"]
    assert price["examples"][0]["before"] == "20.0" and price["examples"][0]["after"] == "25.0"
    text = describe_diff(report, "previous", "now")
    assert "column price: 2 cells changed" in text and "rows added: 1" in text
    assert "columns added: flag" in text


def test_polars_frames_compare_like_pandas_ones():
    check(compare(pl.DataFrame(BEFORE), pl.DataFrame(AFTER)))
    same = compare(pl.DataFrame(BEFORE), pl.DataFrame(BEFORE))
    assert same["equal"]


def test_arrow_tables_and_a_change_of_library_compare_too():
    check(compare(pa.table(BEFORE), pa.table(AFTER)))
    switched = compare(pd.DataFrame(BEFORE), pl.DataFrame(AFTER))
    assert switched["before_type"] != switched["after_type"]
    check(switched)


def test_a_schema_change_is_reported():
    report = compare(pl.DataFrame({"n": [1, 2]}), pl.DataFrame({"n": [1.0, 2.0]}))
    assert report["dtype_changes"] == [{"column": "n", "before": "Int64", "after": "Float64"}]


def test_lazy_frames_are_compared_on_their_first_rows_and_say_so():
    report = compare(pl.DataFrame(BEFORE).lazy(), pl.DataFrame(AFTER).lazy())
    check(report)
    assert "first 10,000 rows" in describe_diff(report)
    dd = pytest.importorskip("dask.dataframe")
    dask_report = compare(
        dd.from_pandas(pd.DataFrame(BEFORE), npartitions=2),
        dd.from_pandas(pd.DataFrame(AFTER), npartitions=2),
    )
    check(dask_report)


def test_studio_run_and_diff_work_in_a_python_without_narwhals():
    """The headless commands run in a project's own Python, which may lack narwhals."""
    import subprocess
    import sys

    script = """
import sys
sys.modules["narwhals"] = None
import pandas as pd
from studio.kernel.results.summaries import summarize
from studio.kernel.results.value_diff import compare
assert summarize(pd.DataFrame({"a": [1, 2]}))["shape"] == [2, 1]
assert compare(pd.DataFrame({"a": [1]}), pd.DataFrame({"a": [2]}))["changed"]
print("ok")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.strip() == "ok", done.stderr
