"""The results table on polars and PyArrow frames: each library pages, sorts, filters and
summarises its own frame, in the order and with the rows its own calls give."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from studio.kernel.results.tables import TableError, TableViews
from studio.kernel.results.viewers import describe_result

pl = pytest.importorskip("polars")
pa = pytest.importorskip("pyarrow")
pc = pytest.importorskip("pyarrow.compute")


@pytest.fixture
def data():
    rng = np.random.default_rng(7)
    n = 800
    price = rng.normal(100, 30, n).round(1).tolist()
    for i in rng.choice(n, 30, replace=False):
        price[i] = None
    return {
        "city": [
            None if i % 11 == 0 else c
            for i, c in enumerate(rng.choice(["Oslo", "Bergen", "Tromsø"], n))
        ],
        "age": rng.integers(18, 30, n).tolist(),  # many ties: stability shows
        "price": price,
        "member": (rng.random(n) < 0.3).tolist(),
    }


def positions(views, view, rows):
    return views.rows(view, 0, rows)["positions"]


def test_a_polars_frame_is_paged_sorted_and_filtered_by_polars(data, monkeypatch):
    frame = pl.DataFrame(data)
    views = TableViews()
    opened = views.open("customers", frame, first_rows=5)
    assert opened["backend"] == "polars" and opened["dialect"] == "polars"
    assert opened["rows"] == 800 and opened["columns"][1] == {"name": "age", "dtype": "Int64"}
    first = opened["first"]
    assert first["index"] == ["0", "1", "2", "3", "4"]
    assert first["rows"][1] == [str(v) for v in data["age"][:5]]
    view = opened["view"]
    for column, name in enumerate(frame.columns):
        for ascending in (True, False):
            views.sort(view, column, ascending)
            expected = (
                frame.with_row_index("i")
                .sort(name, descending=not ascending, nulls_last=True, maintain_order=True)["i"]
                .to_list()
            )
            assert positions(views, view, 800) == expected, (name, ascending)

    def no_pandas(*_args, **_kwargs):
        raise AssertionError("a polars frame was converted to pandas")

    monkeypatch.setattr(pl.DataFrame, "to_pandas", no_pandas)
    result = views.filter(view, '(pl.col("age") > 25) & (pl.col("city") == "Oslo")')
    kept = frame.with_row_index("i").filter((pl.col("age") > 25) & (pl.col("city") == "Oslo"))
    assert result["mode"] == "query" and result["rows"] == len(kept)
    views.sort(view, 1, True)  # sorted within the filter
    sorted_kept = kept.sort("age", maintain_order=True)["i"].to_list()
    assert positions(views, view, result["rows"]) == sorted_kept
    page = views.rows(view, 0, 3)
    assert page["rows"][0] == ["Oslo"] * 3
    found = views.filter(view, "tromsø")
    assert found["mode"] == "search" and found["rows"] == data["city"].count("Tromsø")
    with pytest.raises(TableError, match=r"'age' is not defined: name columns as in pl.col"):
        views.filter(view, "age > 3")
    with pytest.raises(TableError, match="not a polars expression"):
        views.filter(view, "1 > 3")
    with pytest.raises(TableError, match="height"):
        views.filter(view, 'pl.col("height") > 3')
    stats = {c["name"]: c for c in views.summaries(view)["columns"]}
    assert stats["price"]["nulls"] == 30
    assert float(stats["age"]["min"]) == min(data["age"])
    assert stats["age"]["distinct"] == len(set(data["age"]))
    assert stats["city"]["top"][0][0] in {"Oslo", "Bergen", "Tromsø"}
    assert sum(stats["price"]["histogram"]["counts"]) == 770


def test_a_pyarrow_table_and_record_batch_are_served_by_arrow(data, tmp_path):
    table = pa.table(data)
    views = TableViews()
    opened = views.open("t", table, first_rows=3)
    assert opened["backend"] == "pyarrow" and opened["rows"] == 800
    assert opened["first"]["rows"][0][:3] == [v or "<NA>" for v in data["city"][:3]]
    view = opened["view"]
    views.sort(view, 2, False)
    expected = pc.array_sort_indices(
        table["price"], order="descending", null_placement="at_end"
    ).to_pylist()
    assert positions(views, view, 800) == expected
    result = views.filter(view, 'pc.field("member") & (pc.field("age") >= 20)')
    members = [i for i in range(800) if data["member"][i] and data["age"][i] >= 20]
    assert result["rows"] == len(members)
    assert sorted(positions(views, view, result["rows"])) == members
    written = views.export(view, str(tmp_path / "m.parquet"), "parquet")
    back = pl.read_parquet(tmp_path / "m.parquet")
    assert written["rows"] == len(back) == len(members)
    prices = back["price"].drop_nulls().to_list()
    assert prices == sorted(prices, reverse=True)
    batch = views.open("b", table.to_batches()[0])
    assert batch["backend"] == "pyarrow" and batch["rows"] == 800


def test_polars_export_writes_the_filtered_sorted_rows(data, tmp_path):
    views = TableViews()
    view = views.open("customers", pl.DataFrame(data))["view"]
    views.filter(view, 'pl.col("member")')
    views.sort(view, 1, False)
    written = views.export(view, str(tmp_path / "members.csv"), "csv")
    back = pl.read_csv(tmp_path / "members.csv")
    assert written["rows"] == len(back) == sum(data["member"])
    assert back["age"].to_list() == sorted(back["age"].to_list(), reverse=True)


def test_series_of_other_libraries_are_tables():
    views = TableViews()
    assert views.open("s", pl.Series("n", [3, 1]))["columns"][0]["name"] == "n"
    assert views.open("s", pl.Series([3, 1]))["columns"][0]["name"] == "value"
    assert describe_result(pl.DataFrame({"a": [1]}))["kind"] == "table"
    assert describe_result(pa.table({"a": [1]}))["kind"] == "table"
    assert describe_result(pd.DataFrame({"a": [1]}))["kind"] == "table"


def test_the_table_works_without_polars_or_narwhals_plugins_installed():
    """A kernel without polars, Dask, Ibis, altair or plotly (hidden here) still shows pandas and
    Arrow tables, compares them, and draws figures."""
    script = """
import sys
for absent in ("polars", "dask", "ibis", "altair", "plotly", "vl_convert", "duckdb"):
    sys.modules[absent] = None  # an absent package: importing it raises ImportError
import pandas as pd, pyarrow as pa
from studio.kernel.results.tables import TableViews
from studio.kernel.results.viewers import describe_result
views = TableViews()
view = views.open("p", pd.DataFrame({"a": [3, 1, 2]}))["view"]
views.sort(view, 0, True)
assert views.rows(view, 0, 3)["rows"][0] == ["1", "2", "3"]
view = views.open("t", pa.table({"a": [3, 1, 2]}))["view"]
views.sort(view, 0, True)
assert views.rows(view, 0, 3)["rows"][0] == ["1", "2", "3"]
assert describe_result(object())["kind"] == "text"
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
assert describe_result(plt.figure())["kind"] == "image"
from studio.kernel.results.value_diff import compare
assert compare(pa.table({"a": [1]}), pa.table({"a": [2]}))["changed"][0]["cells"] == 1
print("ok")
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.stdout.strip() == "ok", done.stderr


@pytest.mark.parametrize("kind", ["pandas", "polars", "pyarrow"])
def test_a_filter_on_a_sorted_table_keeps_the_sorts_stable_order(data, kind):
    """Sorting first then filtering gives the rows the filter keeps, in the order a stable
    sort of just those rows gives (the whole frame's order is reused, not sorted again)."""
    frame = {"pandas": pd.DataFrame, "polars": pl.DataFrame, "pyarrow": pa.table}[kind](data)
    condition = {
        "pandas": "age > 22",
        "polars": 'pl.col("age") > 22',
        "pyarrow": 'pc.field("age") > 22',
    }[kind]
    views = TableViews()
    view = views.open("t", frame)["view"]
    kept = [i for i in range(800) if data["age"][i] > 22]
    for ascending in (False, True):
        views.filter(view, "")
        views.sort(view, 1, ascending)
        result = views.filter(view, condition)
        assert result["rows"] == len(kept)
        expected = sorted(kept, key=lambda i: data["age"][i], reverse=not ascending)
        if not ascending:  # stable descending: ties keep their order
            expected = sorted(kept, key=lambda i: -data["age"][i])
        assert positions(views, view, len(kept)) == expected
        views.filter(view, "")  # and back to every row, still sorted
        every = sorted(range(800), key=lambda i: data["age"][i] * (1 if ascending else -1))
        assert positions(views, view, 800) == every


def test_a_polars_condition_keeps_the_rows_polars_own_filter_keeps(data):
    """Missing values fail a condition, a whole-column (scalar) condition keeps all rows or
    none, and a Series mask works: as `DataFrame.filter` does."""
    frame = pl.DataFrame(data)
    views = TableViews()
    view = views.open("t", frame)["view"]
    for condition in (
        'pl.col("price") > 100',
        'pl.col("price").mean() > 0',
        'pl.col("price").mean() < 0',
        '(pl.col("city") == "Oslo") | pl.col("member")',
    ):
        kept = frame.with_row_index("i").filter(eval(condition))["i"].to_list()
        result = views.filter(view, condition, first_rows=len(kept))
        assert result["rows"] == len(kept), condition
        assert result.get("first", {"positions": []})["positions"] == kept, condition
    views.filter(view, "pl.Series([True, False] * 400)")
    assert positions(views, view, 400) == list(range(0, 800, 2))


def test_a_polars_expression_that_is_no_condition_says_so(data):
    views = TableViews()
    view = views.open("t", pl.DataFrame(data))["view"]
    with pytest.raises(TableError, match="is not a condition"):
        views.filter(view, 'pl.col("age") + 1')
    kept = views.filter(view, 'pl.col("price").is_null() | (pl.col("price") > 100)')
    assert kept["rows"] == sum(1 for p in data["price"] if p is None or p > 100)


def test_a_pyarrow_expression_that_is_no_condition_says_so(data):
    views = TableViews()
    view = views.open("t", pa.table(data))["view"]
    with pytest.raises(TableError, match="is not a condition"):
        views.filter(view, 'pc.field("age") + 1')
    with pytest.raises(TableError, match="height"):
        views.filter(view, 'pc.field("height") > 1')
    kept = views.filter(view, 'pc.field("price").is_null() | (pc.field("price") > 100)')
    assert kept["rows"] == sum(1 for p in data["price"] if p is None or p > 100)
