"""Lazy and distributed frames in the results panel's kernel side: schema and plan shown at
once, first rows and the row count computed only when asked, and a fetch that can be stopped."""

import shutil
import time

import pandas as pd
import pytest

from studio.kernel.results.lazy_results import LazyResults
from studio.kernel.results.tables import TableError, TableViews
from studio.kernel.results.viewers import describe_result

pl = pytest.importorskip("polars")


def finished(lazy: LazyResults, job: int) -> dict:
    deadline = time.monotonic() + 60
    state = lazy.poll(job, 1.0)
    while state["state"] == "running" and time.monotonic() < deadline:
        state = lazy.poll(job, 1.0)
    return state


def counting_lazy_frame(calls: list[int]):
    """A polars LazyFrame whose every computation is recorded."""

    def record(batch):
        calls.append(len(batch))
        return batch

    frame = pl.LazyFrame({"age": list(range(5000)), "city": ["Oslo", "Bergen"] * 2500})
    return frame.map_batches(record, schema={"age": pl.Int64, "city": pl.String}).filter(
        pl.col("age") % 2 == 0
    )


def test_a_polars_lazy_frame_shows_schema_and_plan_and_computes_only_on_request():
    calls: list[int] = []
    frame = counting_lazy_frame(calls)
    info = describe_result(frame)
    assert info["kind"] == "lazy" and calls == []  # nothing collected to describe it
    lazy_info = info["lazy"]
    assert lazy_info["backend"] == "polars"
    assert lazy_info["columns"] == [
        {"name": "age", "dtype": "Int64"},
        {"name": "city", "dtype": "String"},
    ]
    assert "FILTER" in lazy_info["plan"]
    tables = TableViews()
    lazy = LazyResults(tables)
    fetched = finished(lazy, lazy.fetch("people", frame, rows=10, first_rows=4)["job"])
    assert fetched["state"] == "done" and calls
    table = fetched["table"]
    assert table["rows"] == 10 and table["backend"] == "polars"
    assert table["first"]["rows"][0] == ["0", "2", "4", "6"]
    view = table["view"]
    tables.sort(view, 0, False)  # the fetched rows are a table like any other
    assert tables.rows(view, 0, 2)["rows"][0] == ["18", "16"]
    counted = finished(lazy, lazy.count("people", frame)["job"])
    assert counted["state"] == "done" and counted["count"] == 2500


def test_a_dask_frame_shows_partitions_and_fetches_its_first_rows():
    dd = pytest.importorskip("dask.dataframe")
    source = pd.DataFrame({"n": range(100), "even": [i % 2 == 0 for i in range(100)]})
    computed: list[int] = []

    def record(part):
        computed.append(len(part))
        return part

    frame = dd.from_pandas(source, npartitions=4).map_partitions(record, meta=source)
    info = describe_result(frame)
    assert computed == []  # neither its summary (size) nor its plan computed a partition
    assert info["kind"] == "lazy" and info["summary"]["bytes"] is None
    assert info["lazy"]["partitions"] == 4 and info["lazy"]["backend"] == "dask"
    assert info["lazy"]["plan"].startswith("4 partitions")
    lazy = LazyResults(TableViews())
    fetched = finished(lazy, lazy.fetch("numbers", frame, rows=5, first_rows=5)["job"])
    assert fetched["table"]["first"]["rows"][0] == ["0", "1", "2", "3", "4"]
    assert computed == [25]  # five rows: only the first partition was computed
    fetched = finished(lazy, lazy.fetch("numbers", frame, rows=30, first_rows=30)["job"])
    assert fetched["table"]["rows"] == 30 and computed == [25, 25, 25]
    assert finished(lazy, lazy.count("numbers", frame)["job"])["count"] == 100


def test_an_ibis_table_on_duckdb_shows_its_sql_and_fetches_rows():
    ibis = pytest.importorskip("ibis")
    pytest.importorskip("duckdb")
    con = ibis.duckdb.connect()
    con.raw_sql("create table sales as select range as id, range * 2.5 as amount from range(50)")
    table = con.table("sales")
    expression = table.filter(table.amount > 100)
    info = describe_result(expression)
    assert info["kind"] == "lazy" and info["lazy"]["backend"] == "ibis"
    assert '"amount" > 100' in info["lazy"]["plan"]
    lazy = LazyResults(TableViews())
    fetched = finished(lazy, lazy.fetch("sales", expression, rows=3, first_rows=3)["job"])
    assert fetched["table"]["rows"] == 3
    assert fetched["table"]["first"]["rows"][0] == ["41", "42", "43"]
    assert finished(lazy, lazy.count("sales", expression)["job"])["count"] == 9


def test_stop_gives_control_back_and_throws_a_late_answer_away():
    dd = pytest.importorskip("dask.dataframe")

    def slow(part):
        time.sleep(3)
        return part

    source = pd.DataFrame({"n": range(10)})
    frame = dd.from_pandas(source, npartitions=1).map_partitions(slow, meta=source)
    tables = TableViews()
    lazy = LazyResults(tables)
    job = lazy.fetch("slow", frame, rows=5, first_rows=5)["job"]
    assert lazy.poll(job, 0.2)["state"] == "running"
    started = time.monotonic()
    stopped = lazy.stop(job)
    assert stopped["state"] == "stopped" and time.monotonic() - started < 1.0
    time.sleep(3.5)  # the partition's sleep ends: its rows are not shown
    later = lazy.poll(job, 0)
    assert later["state"] == "stopped" and "table" not in later


def test_a_failing_plan_reports_its_error_and_an_eager_value_is_refused():
    frame = pl.LazyFrame({"a": [1]}).select(pl.col("missing"))
    lazy = LazyResults(TableViews())
    failed = finished(lazy, lazy.fetch("broken", frame, rows=5, first_rows=5)["job"])
    assert failed["state"] == "failed" and "missing" in failed["error"]
    with pytest.raises(TableError, match="not a lazy frame"):
        lazy.fetch("eager", pl.DataFrame({"a": [1]}), rows=5, first_rows=5)


@pytest.mark.skipif(
    shutil.which("java") is None, reason="Spark needs Java, which is not on this machine"
)
def test_a_spark_frame_shows_its_plan_and_fetches_rows(monkeypatch):
    pyspark = pytest.importorskip("pyspark", reason="PySpark is not installed")
    import sys

    monkeypatch.setenv("PYSPARK_PYTHON", sys.executable)  # workers on the driver's Python
    spark = pyspark.sql.SparkSession.builder.master("local[1]").getOrCreate()
    try:
        frame = spark.createDataFrame([(i, f"n{i}") for i in range(20)], ["id", "name"])
        info = describe_result(frame.filter("id > 5"))
        assert info["kind"] == "lazy" and "Filter" in info["lazy"]["plan"]
        lazy = LazyResults(TableViews())
        fetched = finished(lazy, lazy.fetch("s", frame, rows=3, first_rows=3)["job"])
        assert fetched["table"]["rows"] == 3
        assert finished(lazy, lazy.count("s", frame)["job"])["count"] == 20
        from studio.kernel.results.value_diff import compare

        report = compare(frame, frame.filter("id >= 6"))
        assert report["rows_removed"] == 6 and report["changed"][0]["column"] == "id"
    finally:
        spark.stop()
