"""The lazy-frame requests the agent serves: jobs that fetch first rows or count, as wire data.

A fetch's rows, once computed, become an eager table view like any other
result (`TableViews.open_table`), so they page, sort, filter, summarise and
export the same way; the lazy frame itself stays uncomputed.
"""

from __future__ import annotations

from typing import Any

from studio.kernel.results.eager_table import EagerTable
from studio.kernel.results.frame_kinds import lazy_frame
from studio.kernel.results.lazy_jobs import JobState, LazyJobs
from studio.kernel.results.lazy_table import LazyTable
from studio.kernel.results.tables import TableError, TableViews

MAX_FETCH_ROWS = 1_000_000


class LazyResults:
    def __init__(self, tables: TableViews) -> None:
        self.tables = tables
        self.jobs = LazyJobs()
        self._fetches: dict[int, tuple[str, int]] = {}
        """A fetch job's result name and the rows to send with its table."""
        self._opened: dict[int, dict[str, Any]] = {}

    @staticmethod
    def table_of(name: str, value: Any) -> LazyTable:
        frame = lazy_frame(value)
        if frame is None:
            raise TableError(f"{name} is a {type(value).__name__}, not a lazy frame")
        return LazyTable(frame)

    def fetch(self, name: str, value: Any, rows: int, first_rows: int) -> dict[str, Any]:
        """Start computing the first `rows` rows (at most `MAX_FETCH_ROWS`)."""
        table = self.table_of(name, value)
        limit = max(0, min(rows, MAX_FETCH_ROWS))
        job = self.jobs.start("fetch", lambda: table.head(limit), table.cancel)
        self._fetches[job] = (name, first_rows)
        for old in [j for j in self._opened if not self.jobs.known(j)]:
            del self._opened[old]  # jobs forgotten: their replies too
        return self.state(job)

    def count(self, name: str, value: Any) -> dict[str, Any]:
        """Start counting all rows."""
        table = self.table_of(name, value)
        return self.state(self.jobs.start("count", table.count, table.cancel))

    def poll(self, job_id: int, wait: float) -> dict[str, Any]:
        self.jobs.wait(job_id, max(0.0, min(wait, 5.0)))
        return self.state(job_id)

    def stop(self, job_id: int) -> dict[str, Any]:
        self.jobs.stop(job_id)
        return self.state(job_id)

    def state(self, job_id: int) -> dict[str, Any]:
        try:
            job = self.jobs.get(job_id)
        except KeyError as error:
            raise TableError(str(error)) from None
        reply: dict[str, Any] = {
            "job": job_id,
            "state": str(job.state),
            "seconds": round(job.seconds, 3),
            "error": job.error,
        }
        if job.state is JobState.DONE and job.kind == "fetch":
            if job_id not in self._opened:
                name, first_rows = self._fetches.pop(job_id)
                table = EagerTable(job.result)
                self._opened[job_id] = self.tables.open_table(name, table, first_rows)
                job.result = None  # the view holds the rows now
            reply["table"] = self._opened[job_id]
        elif job.state is JobState.DONE:
            reply["count"] = int(job.result)
        return reply
