"""`studio run` prints frames of every library readably: shape, schema, first and last rows,
and a lazy frame's schema, plan and first rows, never computing it whole."""

import os
import subprocess
import sys
import textwrap

import pytest

from studio.cli.result_text import format_result

pl = pytest.importorskip("polars")
pa = pytest.importorskip("pyarrow")


def test_a_long_polars_frame_prints_its_shape_types_and_both_ends():
    frame = pl.DataFrame({"n": range(1000), "name": [f"row {i}" for i in range(1000)]})
    lines = format_result(frame).splitlines()
    assert lines[0] == "polars DataFrame: 1,000 rows x 2 columns"
    assert lines[1].split() == ["n", "name"] and lines[2].split() == ["Int64", "String"]
    assert lines[3].split() == ["0", "0", "row", "0"]
    assert lines[3 + 30].split() == ["…", "…", "…"]  # 30 rows, the cut, the last 30
    assert lines[-1].split() == ["999", "999", "row", "999"]
    assert len(lines) == 3 + 30 + 1 + 30


def test_a_pyarrow_table_prints_as_a_table_with_missing_values_marked():
    table = pa.table({"city": ["Oslo", None, "Bergen"], "price": [1.5, 2.0, None]})
    text = format_result(table)
    lines = text.splitlines()
    assert lines[0] == "pyarrow Table: 3 rows x 2 columns"
    assert lines[3].split() == ["0", "Oslo", "1.5"]
    assert lines[4].split() == ["1", "<NA>", "2.0"]
    assert lines[5].split() == ["2", "Bergen", "<NA>"]


def test_a_wide_frame_shows_its_first_and_last_columns():
    frame = pl.DataFrame({f"c{i}": [i] for i in range(30)})
    header = format_result(frame).splitlines()[1].split()
    assert header == [*(f"c{i}" for i in range(6)), "…", *(f"c{i}" for i in range(24, 30))]


def test_a_lazy_frame_prints_schema_plan_and_first_rows_without_computing_it_whole(tmp_path):
    path = tmp_path / "big.csv"
    rows = "".join(f"{i},{i / 2}\n" for i in range(5000))
    path.write_text(f"n,v\n{rows}oops,not a number\n")  # the whole file does not read
    lazy = pl.scan_csv(path, schema={"n": pl.Int64, "v": pl.Float64})
    lazy = lazy.with_columns(w=pl.col("v") * 2)
    with pytest.raises(pl.exceptions.ComputeError):
        lazy.collect()
    text = format_result(lazy)
    assert text.startswith("polars LazyFrame (polars, lazy): 3 columns; rows not counted")
    assert "  w: Float64" in text and "Csv SCAN" in text
    first = text.split("first 10 rows (at most 10):\n")[1].splitlines()
    assert first[0].split() == ["n", "v", "w"] and len(first) == 2 + 10
    assert first[-1].split() == ["9", "9", "4.5", "9.0"]


def test_a_dask_frame_prints_first_rows_from_its_first_partition_only():
    pd = pytest.importorskip("pandas")
    dd = pytest.importorskip("dask.dataframe")

    def partition(number):
        if number:
            raise RuntimeError(f"partition {number} was computed")
        return pd.DataFrame({"x": range(100)})

    meta = pd.DataFrame({"x": pd.Series([], dtype="int64")})
    frame = dd.from_map(partition, range(4), meta=meta, enforce_metadata=False)
    text = format_result(frame)
    assert "4 partitions" in text and "could not be fetched" not in text
    assert text.splitlines()[-1].split() == ["9", "9"]


def test_studio_run_prints_polars_and_arrow_results(tmp_path):
    (tmp_path / "frames.py").write_text(
        textwrap.dedent(
            """
            import polars as pl
            import pyarrow as pa


            def scores() -> pl.DataFrame:
                return pl.DataFrame({"team": ["red", "blue"], "score": [3, 5]})


            def table(scores: pl.DataFrame) -> pa.Table:
                return scores.to_arrow()


            def lazy(scores: pl.DataFrame) -> pl.LazyFrame:
                return scores.lazy().filter(pl.col("score") > 4)
            """
        )
    )
    env = {**os.environ, "HAMILTON_TELEMETRY_ENABLED": "false"}
    done = subprocess.run(
        [sys.executable, "-m", "studio", "run", str(tmp_path), "scores", "table", "lazy"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "== scores ==\npolars DataFrame: 2 rows x 2 columns" in out
    assert "== table ==\npyarrow Table: 2 rows x 2 columns" in out
    assert "== lazy ==\npolars LazyFrame (polars, lazy): 2 columns" in out
    assert out.rstrip().splitlines()[-1].split() == ["0", "blue", "5"]
