"""The main comm's requests: each method's params and result as records.

A params class names its `method` and its `result_type`: the GUI sends the
params and reads the reply as that result; the agent decodes the params and
answers with the result (see `studio.core.protocol` for what each means).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar

from studio.core.discovery.project import ValueKind
from studio.core.protocol import Method, NodeStatus, RunStatus
from studio.core.protocol.wire import Record
from studio.core.runs.file_reads import FileStamp
from studio.core.runs.run_plan import RunMode


class Params(Record):
    """A request's params: which method they are for and what its reply holds."""

    __slots__ = ()
    method: ClassVar[Method]
    result_type: ClassVar[type[Record]]


@dataclass(frozen=True, slots=True)
class Empty(Record):
    """The result of a method that answers nothing but that it is done."""


@dataclass(frozen=True, slots=True)
class HelloResult(Record):
    pid: int
    python: str
    hamilton: str
    cwd: str
    executable: str
    engines: dict[str, bool] = dataclasses.field(default_factory=dict)
    """Whether the Dask and Ray packages are importable, by executor kind."""


@dataclass(frozen=True, slots=True)
class HelloParams(Params):
    method = Method.HELLO
    result_type = HelloResult


@dataclass(frozen=True, slots=True)
class ProjectSummary(Record):
    """The folder the load found: its dataflows (`Dataflow.to_dict`), the chosen one."""

    root: str
    dataflows: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    problems: list[str] = dataclasses.field(default_factory=list)
    dataflow: str | None = None


@dataclass(frozen=True, slots=True)
class LoadResult(Record):
    project: ProjectSummary
    snapshot: dict[str, Any]
    """`GraphSnapshot.to_wire` (read with `GraphSnapshot.from_dict` and the known nodes)."""
    token: str | None = None
    versions_follow: bool = False


@dataclass(frozen=True, slots=True)
class LoadParams(Params):
    method = Method.LOAD
    result_type = LoadResult

    root: str
    dataflow: str | None = None
    config: dict[str, Any] = dataclasses.field(default_factory=dict)
    cache_dir: str | None = None
    known: str | None = None
    """The token of the last snapshot the GUI took in."""


@dataclass(frozen=True, slots=True)
class RunNode(Record):
    """How one node of a run ended."""

    name: str
    status: NodeStatus
    seconds: float = 0.0
    error: str = ""


@dataclass(frozen=True, slots=True)
class TracebackFrame(Record):
    """One frame of a failure's traceback (FRAME); `file` is relative to the project
    folder when the frame is in the project's own code."""

    file: str
    line: int | None
    function: str
    text: str = ""
    in_project: bool = False


@dataclass(frozen=True, slots=True)
class RunResult(Record):
    run_id: int
    status: RunStatus
    targets: list[str] = dataclasses.field(default_factory=list)
    nodes: list[RunNode] = dataclasses.field(default_factory=list)
    seconds: float | None = None
    message: str = ""
    failed_node: str | None = None
    frames: list[TracebackFrame] = dataclasses.field(default_factory=list)
    """The failure's traceback, innermost last."""
    traceback: str = ""
    missing: list[str] = dataclasses.field(default_factory=list)
    reused_from_memory: list[str] = dataclasses.field(default_factory=list)
    notes: list[str] = dataclasses.field(default_factory=list)
    install_hint: str = ""
    """The command that installs a missing engine (a run on Dask or Ray)."""
    cache_bytes: int | None = None
    reads: dict[str, list[FileStamp]] = dataclasses.field(default_factory=dict)
    """The files each node of the run read while computed (or when its stored result
    was), with their size, time and digest: a change makes its result stale."""


@dataclass(frozen=True, slots=True)
class RunParams(Params):
    method = Method.RUN
    result_type = RunResult

    nodes: list[str] = dataclasses.field(default_factory=list)
    mode: RunMode = RunMode.UPSTREAM
    inputs: dict[str, str] = dataclasses.field(default_factory=dict)
    recompute: bool = False
    cache_limit: int | None = None
    executor: str | None = None
    script_inputs: bool = True
    """Inputs without an expression here take the value the driver script computes."""


@dataclass(frozen=True, slots=True)
class ScriptValueInfo(Record):
    """One input or config value the driver script computes, as evaluated in the kernel
    (which keeps the value): where it comes from, its type and size, or its failure."""

    key: str
    kind: ValueKind
    origin: str
    """`run.py:21`"""
    expression: str = ""
    token: str = ""
    """Changes when the value is evaluated from other code: for lineage signatures."""
    type: str = ""
    shape: list[int] | None = None
    length: int | None = None
    bytes: int | None = None
    repr: str = ""
    error: str = ""
    frames: list[TracebackFrame] = dataclasses.field(default_factory=list)
    traceback: str = ""
    interrupted: bool = False
    """Stop/Esc ended its evaluation: not a failure of the script."""

    @property
    def ok(self) -> bool:
        return not self.error


@dataclass(frozen=True, slots=True)
class ScriptValuesResult(Record):
    dataflow: str | None = None
    values: list[ScriptValueInfo] = dataclasses.field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ScriptValuesParams(Params):
    method = Method.SCRIPT_VALUES
    result_type = ScriptValuesResult

    dataflow: str | None = None


@dataclass(frozen=True, slots=True)
class ClearResultsResult(Record):
    cache_removed: bool = False


@dataclass(frozen=True, slots=True)
class ClearResultsParams(Params):
    method = Method.CLEAR_RESULTS
    result_type = ClearResultsResult


@dataclass(frozen=True, slots=True)
class ClusterInfo(Record):
    """The Dask or Ray cluster runs go to."""

    executor: str
    title: str
    owned: bool
    workers: int
    dashboard: str | None = None
    address: str | None = None


@dataclass(frozen=True, slots=True)
class ClusterResult(Record):
    cluster: ClusterInfo | None = None


@dataclass(frozen=True, slots=True)
class ClusterParams(Params):
    method = Method.CLUSTER
    result_type = ClusterResult

    stop: bool = False
