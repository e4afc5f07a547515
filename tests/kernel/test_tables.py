"""Table views in the kernel: pages, sorting and filtering agree with pandas."""

import base64

import numpy as np
import pandas as pd
import pytest

from studio.kernel.results.column_stats import describe_columns
from studio.kernel.results.tables import TableError, TableViews
from studio.kernel.results.viewers import TEXT_LIMIT, describe_result


@pytest.fixture
def frame():
    rng = np.random.default_rng(3)
    n = 1000
    price = rng.normal(100, 30, n).round(2)
    price[rng.choice(n, 40, replace=False)] = np.nan
    return pd.DataFrame(
        {
            "city": rng.choice(["Oslo", "Bergen", "Tromsø", None], n),
            "age": rng.integers(18, 80, n),
            "price": price,
            "member": rng.random(n) < 0.3,
            "joined": pd.to_datetime("2024-01-01") + pd.to_timedelta(rng.integers(0, 400, n), "D"),
        },
        index=pd.Index(rng.permutation(n) + 5000, name="customer"),
    )


def positions_of(views, view_id, rows):
    return views.rows(view_id, 0, rows)["positions"]


def test_open_and_pages_match_the_frame(frame):
    views = TableViews()
    opened = views.open("customers", frame)
    assert opened["rows"] == 1000
    assert [c["name"] for c in opened["columns"]] == list(frame.columns)
    assert opened["columns"][1]["dtype"] == "int64"
    assert opened["index_name"] == "customer"
    page = views.rows(opened["view"], 990, 2000)
    assert page["start"] == 990 and len(page["index"]) == 10
    assert page["index"] == [str(i) for i in frame.index[990:]]
    assert page["rows"][1] == [str(v) for v in frame["age"].iloc[990:]]
    assert page["rows"][2][0] == (
        "NaN" if np.isnan(frame["price"].iloc[990]) else f"{frame['price'].iloc[990]:.6g}"
    )


@pytest.mark.parametrize("column", ["city", "age", "price", "member", "joined"])
@pytest.mark.parametrize("ascending", [True, False])
def test_sorting_gives_pandas_order(frame, column, ascending):
    views = TableViews()
    view = views.open("customers", frame)["view"]
    views.sort(view, list(frame.columns).index(column), ascending)
    expected = frame.reset_index(drop=True).sort_values(
        column, ascending=ascending, kind="stable", na_position="last"
    )
    assert positions_of(views, view, 1000) == list(expected.index)
    views.sort(view, None)
    assert positions_of(views, view, 1000) == list(range(1000))


def test_filtering_gives_pandas_rows_and_combines_with_sorting(frame):
    views = TableViews()
    view = views.open("customers", frame)["view"]
    condition = 'age > 30 and city == "Oslo"'
    result = views.filter(view, condition)
    flat = frame.reset_index(drop=True)
    expected = flat.query(condition)
    assert result["mode"] == "query" and result["rows"] == len(expected)
    assert positions_of(views, view, result["rows"]) == list(expected.index)
    sorted_ = views.sort(view, 2, False, first_rows=5)
    both = expected.sort_values("price", ascending=False, kind="stable", na_position="last")
    assert positions_of(views, view, result["rows"]) == list(both.index)
    assert sorted_["first"]["positions"] == list(both.index[:5])  # the reply's own first rows
    again = views.filter(view, condition, first_rows=3)
    assert again["first"]["index"] == [str(frame.index[i]) for i in both.index[:3]]
    assert "first" not in views.filter(view, condition)  # only when asked for
    found = views.filter(view, "tromsø")
    assert found["mode"] == "search"
    assert found["rows"] == int(frame["city"].eq("Tromsø").sum())
    assert views.filter(view, "")["rows"] == 1000


def test_a_bad_filter_says_why(frame):
    views = TableViews()
    view = views.open("customers", frame)["view"]
    with pytest.raises(TableError, match="height"):
        views.filter(view, "height > 3")
    with pytest.raises(TableError, match="not a condition"):
        views.filter(view, "`age` + 1")


def test_series_arrays_and_indexes_are_tables(tmp_path):
    views = TableViews()
    assert views.open("s", pd.Series([3, 1, 2], name="n"))["columns"][0]["name"] == "n"
    assert views.open("a", np.arange(12).reshape(4, 3))["rows"] == 4
    assert views.open("i", pd.Index(["a", "b"]))["rows"] == 2
    with pytest.raises(TableError, match="not a table"):
        views.open("d", {"a": 1})


def test_export_writes_the_view(frame, tmp_path):
    views = TableViews()
    view = views.open("customers", frame)["view"]
    views.filter(view, "member")
    written = views.export(view, str(tmp_path / "members.parquet"), "parquet")
    back = pd.read_parquet(tmp_path / "members.parquet")
    assert written["rows"] == len(back) == int(frame["member"].sum())
    views.export(view, str(tmp_path / "members.csv"), "csv")
    assert len(pd.read_csv(tmp_path / "members.csv")) == written["rows"]


def test_column_summaries_match_pandas(frame):
    stats = {c["name"]: c for c in describe_columns(frame)}
    assert stats["price"]["nulls"] == 40
    assert stats["age"]["distinct"] == frame["age"].nunique()
    assert float(stats["age"]["min"]) == frame["age"].min()
    assert float(stats["price"]["mean"]) == pytest.approx(frame["price"].mean(), rel=1e-5)
    assert sum(stats["price"]["histogram"]["counts"]) == 960
    assert stats["city"]["top"][0][0] in {"Oslo", "Bergen", "Tromsø"}
    assert stats["joined"]["min"].startswith("2024-01-0")


def test_large_frames_are_summarised_on_a_labelled_sample():
    views = TableViews()
    big = pd.DataFrame({"x": np.arange(250_000, dtype=float)})
    result = views.summaries(views.open("big", big)["view"])
    assert result["sampled"] == 100_000 and result["total"] == 250_000


def test_what_the_results_panel_gets_for_each_kind():
    from matplotlib.figure import Figure

    assert describe_result(None)["kind"] == "none"
    assert describe_result(pd.DataFrame({"a": [1]}))["kind"] == "table"
    nested = describe_result({"metrics": {"r2": 0.8}, "runs": list(range(500))})
    assert nested["kind"] == "tree"
    runs = nested["tree"]["children"][1]
    assert runs["length"] == 500 and len(runs["children"]) == 200 and runs["more"] == 300
    figure = Figure()
    figure.subplots().plot([1, 2, 3])
    image = describe_result(figure)
    assert image["kind"] == "image"
    assert base64.b64decode(image["png"])[:8] == b"\x89PNG\r\n\x1a\n"
    long = describe_result("x" * (TEXT_LIMIT + 5))
    assert long["kind"] == "text" and long["truncated"] and len(long["text"]) == TEXT_LIMIT
    assert describe_result(3.5)["text"] == "3.5"


def test_fast_fingerprint_is_what_hamiltons_cache_uses():
    from hamilton.caching import fingerprinting

    from studio.kernel.running.fingerprints import hash_pandas_fast, install

    install()
    frame = pd.DataFrame({"a": np.arange(5), "b": list("vwxyz")})
    assert fingerprinting.hash_value(frame) == hash_pandas_fast(frame)
    assert fingerprinting.hash_value(frame) == fingerprinting.hash_value(frame.copy())
    assert fingerprinting.hash_value(frame) != fingerprinting.hash_value(frame.iloc[::-1])
    changed = frame.copy()
    changed.loc[2, "a"] = 99
    assert fingerprinting.hash_value(frame) != fingerprinting.hash_value(changed)
    renamed = frame.rename(columns={"a": "c"})
    assert fingerprinting.hash_value(frame) != fingerprinting.hash_value(renamed)
    assert fingerprinting.hash_value(frame["a"]) != fingerprinting.hash_value(
        frame["a"].astype(float)
    )
    lists = pd.DataFrame({"a": [[1], [2]]})  # Hamilton's own hasher raises on these
    assert fingerprinting.hash_value(lists) != fingerprinting.hash_value(
        pd.DataFrame({"a": [[1], [3]]})
    )
