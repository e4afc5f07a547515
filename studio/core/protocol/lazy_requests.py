"""The data comm's requests on lazy and distributed frames: fetch first rows, count, poll, stop.

Fetching and counting start a job in the kernel and are answered at once
(`LazyJob`); the GUI polls the job until it ends, and may stop it. Nothing
of a lazy frame is computed unless one of these is asked for.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from studio.core.protocol import Method
from studio.core.protocol.data_requests import TableInfo
from studio.core.protocol.requests import Params
from studio.core.protocol.wire import OMIT, Record

DEFAULT_FETCH_ROWS = 1_000


class LazyJobState(enum.StrEnum):
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    STOPPED = "stopped"


@dataclass(frozen=True, slots=True)
class LazyJob(Record):
    """A job's state; a fetch that is done carries its rows' table, a count its number."""

    job: int
    state: LazyJobState
    seconds: float = 0.0
    error: str = ""
    table: TableInfo | None = field(default=None, metadata=OMIT)
    count: int | None = field(default=None, metadata=OMIT)


@dataclass(frozen=True, slots=True)
class LazyFetchParams(Params):
    """Compute the first `rows` rows of the named lazy result."""

    method = Method.LAZY_FETCH
    result_type = LazyJob

    name: str
    rows: int = DEFAULT_FETCH_ROWS
    first_rows: int = 0
    """Rows of the fetched table sent with the reply that says it is done."""


@dataclass(frozen=True, slots=True)
class LazyCountParams(Params):
    """Count all rows of the named lazy result (runs its whole plan)."""

    method = Method.LAZY_COUNT
    result_type = LazyJob

    name: str


@dataclass(frozen=True, slots=True)
class LazyPollParams(Params):
    method = Method.LAZY_POLL
    result_type = LazyJob

    job: int
    wait: float = 0.0
    """Seconds the kernel may wait for the job to end before answering."""


@dataclass(frozen=True, slots=True)
class LazyStopParams(Params):
    method = Method.LAZY_STOP
    result_type = LazyJob

    job: int
