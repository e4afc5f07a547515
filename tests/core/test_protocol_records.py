"""Every params, result and event record crosses the wire and comes back the same."""

import dataclasses
import inspect
import json

import pytest

from studio.core.discovery.project import ValueKind
from studio.core.protocol import EventName, Method, NodeStatus, RunStatus, events
from studio.core.protocol import data_requests as data
from studio.core.protocol import lazy_requests as lazy
from studio.core.protocol import requests as req
from studio.core.protocol.methods import PARAMS
from studio.core.protocol.wire import Record, WireError
from studio.core.runs.file_reads import FileStamp
from studio.core.runs.run_plan import RunMode

PAGE = data.TablePage(3, 0, [["1", "2"], ["a", "b"]], ["0", "1"], [0, 1])
TABLE = data.TableInfo(3, 2, [data.Column("n", "int64"), data.Column("s", "object")], "", "int64")
CLUSTER = req.ClusterInfo("dask", "Dask (local cluster)", True, 4, "http://x:8787", None)
SUMMARY = data.ValueSummary("DataFrame", shape=[2, 2], bytes=128, bytes_exact=True)
TREE = data.TreeNode("", "dict", length=2, children=[data.TreeNode("a", "int", value="1")], more=1)
COLUMN = data.ColumnSummary(
    "n", "int64", 0, 2, min="1", max="2", mean="1.5", histogram=data.Histogram([1, 1], [1, 1.5, 2])
)

SAMPLES: list[Record] = [
    req.HelloParams(),
    req.HelloResult(1, "3.12.1", "1.88.0", "/p", "/usr/bin/python", {"dask": False, "ray": True}),
    req.LoadParams("/p", "flow", {"a": 1}, "/cache", "123-1"),
    req.LoadResult(
        req.ProjectSummary("/p", [{"name": "flow"}], ["a problem"], "flow"),
        {"nodes": [], "errors": []},
        "123-2",
        True,
    ),
    req.ProjectSummary("/p"),
    req.RunParams(["a"], RunMode.DOWNSTREAM, {"x": "1"}, True, 1024, "dask"),
    req.RunResult(
        1,
        RunStatus.FAILED,
        ["a"],
        [req.RunNode("a", NodeStatus.FAILED, 0.5, "ValueError: no")],
        0.6,
        "a failed",
        "a",
        [req.TracebackFrame("f.py", 3, "a", "raise", in_project=True)],
        "Traceback…",
        [],
        ["b"],
        ["kept in memory"],
        "",
        2048,
        {"a": [FileStamp("/p/data.csv", 12, 1_700_000_000_123_456_789, "ab12")]},
    ),
    FileStamp("/data/big.parquet", 2**40, 1),
    req.RunNode("a", NodeStatus.REUSED),
    req.TracebackFrame("/venv/hamilton/driver.py", None, "execute"),
    req.ScriptValuesParams("run"),
    req.ScriptValueInfo("data_dir", ValueKind.CONFIG, "run.py:5", "os.getcwd()", type="str"),
    req.ScriptValuesResult(
        "run",
        [
            req.ScriptValueInfo(
                "spend",
                ValueKind.INPUT,
                "run.py:21",
                "pd.Series([1])",
                "ab12",
                "pandas.Series",
                shape=[1],
                bytes=136,
                repr="0    1",
            ),
            req.ScriptValueInfo(
                "broken",
                ValueKind.CONFIG,
                "run.py:9",
                error="ZeroDivisionError: x",
                frames=[req.TracebackFrame("run.py", 9, "explode", "1 // 0", in_project=True)],
            ),
        ],
    ),
    req.ClearResultsParams(),
    req.ClearResultsResult(True),
    req.ClusterParams(stop=True),
    req.ClusterResult(CLUSTER),
    CLUSTER,
    req.Empty(),
    data.ResultInfoParams("a", 200),
    data.ResultInfoResult(
        "a",
        True,
        SUMMARY,
        data.ResultKind.TABLE,
        table=dataclasses.replace(TABLE, first=PAGE),
        has_previous=False,
    ),
    SUMMARY,
    TREE,
    data.Column("n", "int64"),
    PAGE,
    TABLE,
    data.TableRowsParams(3, 0, 200),
    data.TableSortParams(3, None, False),
    data.TableSortResult(3, 2),
    data.TableFilterParams(3, "n > 1"),
    data.TableFilterResult(3, 1, data.FilterMode.QUERY),
    data.TableSummariesParams(3),
    data.TableSummariesResult(3, 2, [COLUMN, data.ColumnSummary("s", "object", 1, top=[["a", 1]])]),
    COLUMN,
    data.Histogram([1], [0.0, 1.0]),
    data.TableExportParams(3, "/tmp/a.csv", "csv"),
    data.TableExportResult("/tmp/a.csv", 2),
    data.TableCloseParams(3),
    data.StopRunParams(),
    data.StopRunResult(sent=True),
    data.CompareParams("a"),
    data.LazyInfo("polars", [data.Column("n", "Int64")], "FILTER ...", None),
    data.ResultInfoResult(
        "lf",
        True,
        data.ValueSummary("LazyFrame"),
        data.ResultKind.LAZY,
        lazy=data.LazyInfo("dask", [data.Column("n", "int64")], "4 partitions", 4),
    ),
    data.ResultInfoResult("fig", True, kind=data.ResultKind.TEXT, image_note="needs kaleido"),
    data.ResultInfoResult("svg", True, kind=data.ResultKind.IMAGE, svg="<svg/>"),
    lazy.LazyFetchParams("lf", 1000, 200),
    lazy.LazyCountParams("lf"),
    lazy.LazyPollParams(2, 0.5),
    lazy.LazyStopParams(2),
    lazy.LazyJob(2, lazy.LazyJobState.RUNNING, 1.5),
    lazy.LazyJob(2, lazy.LazyJobState.DONE, 2.0, table=dataclasses.replace(TABLE, first=PAGE)),
    lazy.LazyJob(3, lazy.LazyJobState.DONE, 2.0, count=12),
    lazy.LazyJob(4, lazy.LazyJobState.FAILED, 0.1, "ColumnNotFoundError: x"),
    data.CompareResult("a", {"kind": "number", "before": 1, "after": 2}, "1 → 2"),
    events.RunStarted(1, ["a", "b"]),
    events.NodeStarted(1, "a"),
    events.NodeFinished(1, "a", NodeStatus.FAILED, 0.1, "ValueError"),
    events.Importing("flow"),
    events.ClusterChanged(CLUSTER),
    events.Versions("123-1", {"a": "v1", "b": None}),
    events.Progress([events.NodeStarted(1, "a"), events.NodeFinished(1, "a")]),
]


def _records() -> set[type]:
    found = set()
    for module in (req, data, lazy, events):
        for _, kind in inspect.getmembers(module, inspect.isclass):
            if issubclass(kind, Record) and dataclasses.is_dataclass(kind):
                found.add(kind)
    return found


def test_every_record_has_a_sample():
    assert _records() <= {type(sample) for sample in SAMPLES}


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: type(s).__name__)
def test_a_record_round_trips_through_json(sample):
    wire = json.loads(json.dumps(sample.to_wire()))
    assert type(sample).from_wire(wire) == sample


def test_every_method_has_params_that_name_it_and_a_result():
    assert set(PARAMS) == set(Method)
    for method, params in PARAMS.items():
        assert params.method is method and issubclass(params.result_type, Record)


def test_every_event_has_a_payload():
    assert set(events.PAYLOADS) == set(EventName)
    message = events.message(events.Importing("flow"))
    assert message == {"kind": "event", "event": "importing", "data": {"module": "flow"}}
    assert events.decode_event("importing", message["data"]) == events.Importing("flow")
    assert events.decode_event("from_a_newer_kernel", {}) is None


def test_keys_sent_only_sometimes_stay_out_of_the_wire():
    assert data.ResultInfoResult("a", False).to_wire() == {"name": "a", "available": False}
    assert data.TreeNode("k", "int", value="1").to_wire() == {
        "label": "k",
        "type": "int",
        "value": "1",
    }


def test_what_does_not_fit_is_refused():
    with pytest.raises(WireError, match="root"):
        req.LoadParams.from_wire({})
    with pytest.raises(WireError):
        data.TableRowsParams.from_wire({"view": "three", "start": 0, "stop": 1})
    with pytest.raises(WireError):
        req.RunParams.from_wire({"nodes": "a"})
    with pytest.raises(WireError):
        req.RunParams.from_wire({"mode": "sideways"})
    with pytest.raises(WireError):
        events.NodeFinished.from_wire({"run_id": 1, "name": "a", "status": "exploded"})


def test_a_list_or_dict_of_plain_values_is_checked_value_by_value_type():
    """Checked by the types of its values at once (a 20,000-node versions event), still
    refusing the one value of another type, and naming the field."""
    versions = {f"n{i}": f"{i:x}" for i in range(1_000)}
    event = events.Versions.from_wire({"token": "t", "versions": {**versions, "late": None}})
    assert event.versions == {**versions, "late": None}
    with pytest.raises(WireError, match=r"Versions\.versions: expected str, got int"):
        events.Versions.from_wire({"token": "t", "versions": {**versions, "bad": 3}})
    with pytest.raises(WireError, match="expected str"):
        req.RunParams.from_wire({"nodes": ["a", 1]})
