"""The wire protocol between the studio (GUI process) and its agent in the kernel.

The two talk over Jupyter comms. The main comm (target `studio`) carries
loads, runs and their events; it is served by the kernel's main shell, so
a request waits behind a running cell or run. The data comm (target
`studio-data`) carries the requests that show results (`result_info`,
`table_*`); the GUI sends them to an ipykernel subshell, so rows keep
coming while a run or a console computation goes on (kernels without
subshells serve them on the main shell). Every message is a JSON object
in the comm's `data`, of one of three kinds:

    request  GUI -> kernel   {"kind": "request", "id": 7, "method": "load", "params": {...}}
    reply    kernel -> GUI   {"kind": "reply", "id": 7, "ok": true, "result": {...}}
                             {"kind": "reply", "id": 7, "ok": false,
                              "error": {"code": ErrorCode, "message": "...",
                                        "detail": "traceback"}}
    event    kernel -> GUI   {"kind": "event", "event": "node_started", "data": {...}}

Each params, result and event payload is a frozen dataclass (a `wire.Record`)
whose `to_wire`/`from_wire` give and read the JSON below, so neither side
looks keys up: `requests` holds the main comm's methods, `data_requests` the
data comm's (with the table, summary and tree structures), `events` the
events; `methods.PARAMS` maps a method to its params class, and a params
class names its `method` and its `result_type`. The JSON is the contract:
kernels in other interpreters speak it, so it changes only with both sides.

Method names, event names, error codes and statuses are the enums below:
the GUI acts on codes, never on the text of a message (which is for the
user). The GUI fails requests itself with the codes `kernel_died`,
`kernel_shut_down` and `no_kernel`. Params that do not decode (a key
missing, a value of the wrong kind) get `bad_request`.

Every request gets exactly one reply with the same id, unless the kernel
dies first (the GUI then fails the pending requests itself). Requests are
handled in the order they are sent. Events arrive between a request and
its reply, to report progress.

Methods (params -> result):

    hello   {}                                   -> {"pid", "python", "hamilton", "cwd",
                                                     "executable", "engines": {"dask": bool,
                                                     "ray": bool}}
        Sent first: proves the agent is up and says where it runs.

    load    {"root": str, "dataflow": str | None,   -> {"project": PROJECT, "snapshot": SNAPSHOT,
             "config": {key: value},                    "token": str, "versions_follow": bool}
             "cache_dir": str | None, "known": str | None}
        Discovers the folder, imports the dataflow's modules afresh and
        builds the Hamilton driver with the dataflow's config updated by
        the config values its driver script computes (evaluated first, as
        `script_values` does) and then by `config`, and Hamilton's result
        cache in `cache_dir`. When the
        graph does not load, the snapshot holds the errors (the reply is
        still ok); a failed reply means the request itself was bad (the
        folder is gone, for instance). `known` is the `token` of the last
        snapshot the GUI took in: nodes unchanged since are sent as their
        name alone (a save of one module of a big graph sends that module).
        A first load of a big graph (see `graph_builder.DEFER_VERSIONS_ABOVE`)
        sends it without code versions (`versions_follow`); the event
        `versions` brings them right after the reply, before anything else.

    run     {"nodes": [str], "mode": "upstream" | "downstream" | "all",
             "inputs": {name: expression}, "recompute": bool, "cache_limit": int,
             "executor": "local" | "threads" | "processes" | "dask[=ADDRESS]" | "ray[=ADDRESS]",
             "script_inputs": bool}
                                                 -> RUN
        Runs the nodes (and what they need) with the loaded driver. Input
        values are Python expressions evaluated in the kernel; with
        `script_inputs`, an input given none takes the driver script's value
        (`script_values`), and one whose evaluation failed fails the run
        ("bad_inputs") only when the run needs it. Results
        whose lineage is unchanged are reused (kept results as Hamilton
        overrides, Hamilton's cache for the rest) unless `recompute`.
        Results stay in the kernel (`results` in the console namespace).
        An interrupt (SIGINT) ends the run with status "interrupted".

    script_values {"dataflow": str | None}       -> {"dataflow", "values": [SCRIPT_VALUE]}
        Evaluates the inputs the loaded folder's driver script computes for the
        dataflow (its config values were evaluated by the load, before the
        build), each with only the part of the script it needs, in the script's
        folder; the values stay in the kernel and runs take them for inputs
        given no expression. Unchanged values are not evaluated again. An
        interrupt marks the value it stopped and the rest "interrupted" (with
        an error): they are held so, and evaluated again by the next load or
        `script_values`, never by a run.
        SCRIPT_VALUE = {"key", "kind": "input" | "config", "origin": "run.py:21",
        "expression", "token", "type", "shape", "length", "bytes", "repr",
        "error", "frames": [FRAME], "traceback", "interrupted": bool}

    clear_results {}                             -> {"cache_removed": bool}
        Forgets results in memory and removes the cache folder.

    cluster {"stop": bool}                       -> {"cluster": CLUSTER | None}
        The Dask or Ray cluster runs go to (started by the first run that
        needs it), stopped first with `stop`. CLUSTER: {"executor", "title",
        "owned", "workers", "dashboard", "address"}. The event `cluster`
        ({"cluster": CLUSTER | None}) follows every start and stop.

    Data comm:

    result_info {"name", "rows": int}
                                -> {"name", "available": bool, "summary": SUMMARY,
                                    "kind": "table" | "tree" | "image" | "text" | "none",
                                    "table"?: TABLE, "tree"?: TREE, "png"?: base64,
                                    "text"?: str, "truncated"?: bool, "length"?: int,
                                    "has_previous": bool}
        For a tabular result (DataFrame, Series, Index, 1-D/2-D array) it
        opens a view of it (the frame stays in the kernel) and sends its
        first `rows` rows along: one request shows a table.
    table_rows {"view", "start", "stop"} -> PAGE
    table_sort {"view", "column": int | None, "ascending": bool, "first_rows": int}
                                -> {"view", "rows", "first"?: PAGE}
        None restores the original order. Stable; missing values last.
        `first` holds the first `first_rows` rows of the new order: one
        request repaints the table.
    table_filter {"view", "expression", "first_rows": int}
                                -> {"view", "rows", "mode": "query" | "search" | "none",
                                    "first"?: PAGE}
        A pandas condition (`age > 30 and city == "Oslo"`) or text to search
        for in every column; a bad condition fails the request with pandas'
        message.
    table_summaries {"view"}    -> {"view", "sampled": int | None, "total": int,
                                    "columns": [{"name", "dtype", "nulls", "distinct",
                                    "min"?, "max"?, "mean"?, "top"?: [[value, count]],
                                    "histogram"?: {"counts", "edges"}}]}
    table_export {"view", "path", "format": "csv" | "parquet"} -> {"path", "rows"}
    table_close {"view"}        -> {}
    compare {"name"}            -> {"name", "report": REPORT, "text": str}
        How the result changed since the value its last recompute (after a
        change of code or inputs) replaced; REPORT is
        `studio.kernel.results.value_diff.compare`'s, `text` the same for people.

    TABLE = {"view": int, "rows": int, "columns": [{"name", "dtype"}], "index_name",
             "index_dtype", "first": PAGE}
    PAGE = {"view", "start", "rows": [[str] per column], "index": [str], "positions": [int]}
    SUMMARY = {"type", "shape"?, "length"?, "bytes" (None: unknown), "bytes_exact" (else estimated)}
    TREE = {"label", "type", "value"? | "children": [TREE], "length", "more"}

    RUN = {"run_id": int, "status": "done" | "failed" | "interrupted" | "missing_inputs"
           | "bad_inputs", "targets": [str], "seconds": float, "message": str,
           "nodes": [{"name", "status": "computed" | "reused" | "given" | "failed"
                      | "interrupted",
                      "seconds", "error"}],
           "failed_node": str | None, "frames": [FRAME], "traceback": str,
           "missing": [str], "reused_from_memory": [str], "notes": [str],
           "cache_bytes": int | None}
        After a run, the result cache is trimmed to `cache_limit` bytes (oldest
        results first); `cache_bytes` is what it holds then.
    FRAME = {"file": str, "line": int, "function": str, "text": str, "in_project": bool}

    PROJECT  = {"root": str, "dataflows": [DATAFLOW], "problems": [str], "dataflow": str}
    DATAFLOW = `Dataflow.to_dict()` (see studio.core.discovery.project)
    SNAPSHOT = `GraphSnapshot.to_wire()` (see studio.core.graph.snapshot)

Events:

    run_started    {"run_id": int, "planned": [str]}      the nodes Hamilton will visit
    node_started   {"run_id": int, "name": str}
    node_finished  {"run_id": int, "name": str, "status": NodeStatus, "seconds": float,
                    "error": str}
    importing      {"module": str}                        a load imports this module now
    cluster        {"cluster": CLUSTER | None}            after every start and stop
    versions       {"token": str, "versions": {name: str | None}}
        The code versions a load left out (`versions_follow`), for the snapshot
        of that token.
    progress       {"events": [{"event": name, "data": {...}}]}
        Node events of a run, batched: at most one message per 50 ms, none held
        back longer (a run of cheap nodes would otherwise send two per node).
"""

from __future__ import annotations

import enum
from typing import Any

COMM_TARGET = "studio"
DATA_COMM_TARGET = "studio-data"

REQUEST = "request"
REPLY = "reply"
EVENT = "event"


class Method(enum.StrEnum):
    HELLO = "hello"
    LOAD = "load"
    RUN = "run"
    CLEAR_RESULTS = "clear_results"
    RESULT_INFO = "result_info"
    TABLE_ROWS = "table_rows"
    TABLE_SORT = "table_sort"
    TABLE_FILTER = "table_filter"
    TABLE_SUMMARIES = "table_summaries"
    TABLE_EXPORT = "table_export"
    TABLE_CLOSE = "table_close"
    COMPARE = "compare"
    CLUSTER = "cluster"
    SCRIPT_VALUES = "script_values"
    STOP_RUN = "stop_run"
    LAZY_FETCH = "lazy_fetch"
    LAZY_COUNT = "lazy_count"
    LAZY_POLL = "lazy_poll"
    LAZY_STOP = "lazy_stop"


DATA_METHODS = frozenset(
    {
        Method.RESULT_INFO,
        Method.TABLE_ROWS,
        Method.TABLE_SORT,
        Method.TABLE_FILTER,
        Method.TABLE_SUMMARIES,
        Method.TABLE_EXPORT,
        Method.TABLE_CLOSE,
        Method.COMPARE,
        Method.STOP_RUN,
        Method.LAZY_FETCH,
        Method.LAZY_COUNT,
        Method.LAZY_POLL,
        Method.LAZY_STOP,
    }
)
"""Served on the data comm (a subshell): answered while a run goes on."""


class EventName(enum.StrEnum):
    RUN_STARTED = "run_started"
    NODE_STARTED = "node_started"
    NODE_FINISHED = "node_finished"
    PROGRESS = "progress"
    IMPORTING = "importing"
    CLUSTER = "cluster"
    VERSIONS = "versions"


class ErrorCode(enum.StrEnum):
    BAD_REQUEST = "bad_request"
    """Unknown method or parameters the agent cannot use."""
    FOLDER_UNUSABLE = "folder_unusable"
    """The project folder is missing, not a folder, or unreadable."""
    NOT_LOADED = "not_loaded"
    """A run was asked for while the graph has not loaded."""
    TABLE = "table"
    """A table request that cannot be served (bad filter, view closed...)."""
    INTERRUPTED = "interrupted"
    FAILED = "failed"
    """The agent itself raised: a bug, reported with its traceback."""
    KERNEL_DIED = "kernel_died"
    KERNEL_SHUT_DOWN = "kernel_shut_down"
    NO_KERNEL = "no_kernel"


class RunStatus(enum.StrEnum):
    RUNNING = "running"
    """Not sent by the kernel: the GUI's state of a run before its reply."""
    DONE = "done"
    FAILED = "failed"
    INTERRUPTED = "interrupted"
    MISSING_INPUTS = "missing_inputs"
    BAD_INPUTS = "bad_inputs"


class NodeStatus(enum.StrEnum):
    COMPUTED = "computed"
    REUSED = "reused"
    GIVEN = "given"
    """Not computed: the dataflow gives its value (a notebook's `--overrides`)."""
    FAILED = "failed"
    INTERRUPTED = "interrupted"


def request(
    request_id: int, method: Method, params: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {"kind": REQUEST, "id": request_id, "method": str(method), "params": params or {}}


def reply_ok(request_id: int, result: dict[str, Any]) -> dict[str, Any]:
    return {"kind": REPLY, "id": request_id, "ok": True, "result": result}


def reply_error(request_id: int, code: ErrorCode, message: str, detail: str = "") -> dict[str, Any]:
    return {
        "kind": REPLY,
        "id": request_id,
        "ok": False,
        "error": {"code": str(code), "message": message, "detail": detail},
    }


def event(name: EventName, data: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"kind": EVENT, "event": str(name), "data": data or {}}
