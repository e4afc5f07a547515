"""The data comm's requests (results, tables, comparisons) as records.

These are served on a subshell, beside a run (see `DATA_METHODS`). The
structures the results panel and the table viewer read field by field are
records too: a table's columns and pages, a value's summary and tree, the
column summaries.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from studio.core.protocol import Method
from studio.core.protocol.requests import Empty, Params
from studio.core.protocol.wire import OMIT, Record


class ResultKind(enum.StrEnum):
    """How the results panel shows a value."""

    TABLE = "table"
    TREE = "tree"
    IMAGE = "image"
    LAZY = "lazy"
    """A lazy or distributed frame: schema and plan; rows only on request."""
    TEXT = "text"
    NONE = "none"


class FilterMode(enum.StrEnum):
    """What a filter's text was taken for."""

    QUERY = "query"
    SEARCH = "search"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Column(Record):
    name: str
    dtype: str


@dataclass(frozen=True, slots=True)
class TablePage(Record):
    """Rows `start`... of a table view, as text: one list of cells per column."""

    view: int
    start: int
    rows: list[list[str]]
    index: list[str]
    positions: list[int]
    """Each row's position in the original frame (after sorting and filtering)."""


@dataclass(frozen=True, slots=True)
class TableInfo(Record):
    """A view of a tabular result, opened in the kernel (the frame stays there)."""

    view: int
    rows: int
    columns: list[Column]
    index_name: str = ""
    index_dtype: str = ""
    first: TablePage | None = field(default=None, metadata=OMIT)
    backend: str = "pandas"
    """The frame's library (pandas, polars, pyarrow, modin, cudf...)."""
    dialect: str = "pandas"
    """The language of its filter conditions: pandas, polars or pyarrow."""


@dataclass(frozen=True, slots=True)
class LazyInfo(Record):
    """What a lazy or distributed frame shows without computing a row."""

    backend: str
    columns: list[Column]
    plan: str = ""
    partitions: int | None = None


@dataclass(frozen=True, slots=True)
class ValueSummary(Record):
    type: str
    shape: list[int] | None = field(default=None, metadata=OMIT)
    length: int | None = field(default=None, metadata=OMIT)
    bytes: int | None = None
    """None: Python cannot tell."""
    bytes_exact: bool = True
    """Else estimated."""


@dataclass(frozen=True, slots=True)
class TreeNode(Record):
    """A bounded tree of a container: a leaf has a value, a branch its children."""

    label: str
    type: str
    value: str | None = field(default=None, metadata=OMIT)
    length: int | None = field(default=None, metadata=OMIT)
    children: list[TreeNode] | None = field(default=None, metadata=OMIT)
    more: int | None = field(default=None, metadata=OMIT)
    """Children left out."""


@dataclass(frozen=True, slots=True)
class ResultInfoResult(Record):
    name: str
    available: bool
    summary: ValueSummary | None = field(default=None, metadata=OMIT)
    kind: ResultKind | None = field(default=None, metadata=OMIT)
    table: TableInfo | None = field(default=None, metadata=OMIT)
    tree: TreeNode | None = field(default=None, metadata=OMIT)
    png: str | None = field(default=None, metadata=OMIT)
    """Base64."""
    text: str | None = field(default=None, metadata=OMIT)
    truncated: bool | None = field(default=None, metadata=OMIT)
    length: int | None = field(default=None, metadata=OMIT)
    has_previous: bool | None = field(default=None, metadata=OMIT)
    lazy: LazyInfo | None = field(default=None, metadata=OMIT)
    svg: str | None = field(default=None, metadata=OMIT)
    """An image as SVG text (drawn by the GUI), when the value has no PNG."""
    image_note: str | None = field(default=None, metadata=OMIT)
    """Why a chart shows as text: its library's image export is missing here."""


@dataclass(frozen=True, slots=True)
class ResultInfoParams(Params):
    method = Method.RESULT_INFO
    result_type = ResultInfoResult

    name: str
    rows: int = 0


@dataclass(frozen=True, slots=True)
class TableRowsParams(Params):
    method = Method.TABLE_ROWS
    result_type = TablePage

    view: int
    start: int
    stop: int


@dataclass(frozen=True, slots=True)
class TableSortResult(Record):
    view: int
    rows: int
    first: TablePage | None = field(default=None, metadata=OMIT)
    """The first rows in the new order (asked for with `first_rows`): painted at once."""


@dataclass(frozen=True, slots=True)
class TableSortParams(Params):
    method = Method.TABLE_SORT
    result_type = TableSortResult

    view: int
    column: int | None = None
    """None restores the original order."""
    ascending: bool = True
    first_rows: int = 0
    """How many of the first rows in the new order to send along with the reply."""


@dataclass(frozen=True, slots=True)
class TableFilterResult(Record):
    view: int
    rows: int
    mode: FilterMode = FilterMode.NONE
    first: TablePage | None = field(default=None, metadata=OMIT)
    """The first rows that pass (asked for with `first_rows`): painted at once."""


@dataclass(frozen=True, slots=True)
class TableFilterParams(Params):
    method = Method.TABLE_FILTER
    result_type = TableFilterResult

    view: int
    expression: str = ""
    first_rows: int = 0
    """How many of the first rows that pass to send along with the reply."""


@dataclass(frozen=True, slots=True)
class Histogram(Record):
    counts: list[int]
    edges: list[float]


@dataclass(frozen=True, slots=True)
class ColumnSummary(Record):
    name: str
    dtype: str
    nulls: int
    distinct: int | None = None
    min: str | None = field(default=None, metadata=OMIT)
    max: str | None = field(default=None, metadata=OMIT)
    mean: str | None = field(default=None, metadata=OMIT)
    top: list[list[Any]] | None = field(default=None, metadata=OMIT)
    """[value, count] pairs, the most frequent first."""
    histogram: Histogram | None = field(default=None, metadata=OMIT)


@dataclass(frozen=True, slots=True)
class TableSummariesResult(Record):
    view: int
    total: int
    columns: list[ColumnSummary] = field(default_factory=list)
    sampled: int | None = None
    """Rows the summaries were worked out from, when not all of them."""


@dataclass(frozen=True, slots=True)
class TableSummariesParams(Params):
    method = Method.TABLE_SUMMARIES
    result_type = TableSummariesResult

    view: int


@dataclass(frozen=True, slots=True)
class TableExportResult(Record):
    path: str
    rows: int


@dataclass(frozen=True, slots=True)
class TableExportParams(Params):
    method = Method.TABLE_EXPORT
    result_type = TableExportResult

    view: int
    path: str
    format: str
    """csv or parquet."""


@dataclass(frozen=True, slots=True)
class TableCloseParams(Params):
    method = Method.TABLE_CLOSE
    result_type = Empty

    view: int


@dataclass(frozen=True, slots=True)
class StopRunResult(Record):
    sent: bool
    """Whether a run was going on, and the interrupt was raised into it."""


@dataclass(frozen=True, slots=True)
class StopRunParams(Params):
    """Raise KeyboardInterrupt into the thread running the run, whatever the node did
    with SIGINT (Stop's second step: a node that ignores the interrupt)."""

    method = Method.STOP_RUN
    result_type = StopRunResult


@dataclass(frozen=True, slots=True)
class CompareResult(Record):
    name: str
    report: dict[str, Any]
    """`studio.kernel.results.value_diff.compare`'s report."""
    text: str


@dataclass(frozen=True, slots=True)
class CompareParams(Params):
    method = Method.COMPARE
    result_type = CompareResult

    name: str
