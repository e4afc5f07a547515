"""Work on a lazy frame asked for by the user (first rows, a row count), in a thread of its own.

The data comm serves one request at a time, so a fetch that took a minute
would hold every other request (and the Stop that should end it) behind it.
Instead a request starts a job and is answered at once; the GUI polls the
job for its state and elapsed time, and Stop asks the library to cancel its
query (`LazyTable.cancel`) and raises KeyboardInterrupt into the thread for
libraries that run Python between steps (Dask). A job whose library cannot
be stopped is dropped: its answer is thrown away when it comes.
"""

from __future__ import annotations

import enum
import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from studio.kernel.running.run_interrupt import raise_in

MAX_JOBS = 8


class JobState(enum.StrEnum):
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    STOPPED = "stopped"


@dataclass
class Job:
    kind: str
    started: float
    state: JobState = JobState.RUNNING
    result: Any = None
    error: str = ""
    ended: float | None = None
    thread: int | None = None
    cancel: Callable[[], None] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def seconds(self) -> float:
        return (self.ended or time.monotonic()) - self.started


class LazyJobs:
    """Jobs by id; the oldest finished ones are forgotten past `MAX_JOBS`."""

    def __init__(self) -> None:
        self._ids = itertools.count(1)
        self._jobs: dict[int, Job] = {}

    def start(
        self, kind: str, work: Callable[[], Any], cancel: Callable[[], None] | None = None
    ) -> int:
        job_id = next(self._ids)
        job = Job(kind, time.monotonic(), cancel=cancel)
        self._jobs[job_id] = job
        self._forget_old()
        thread = threading.Thread(
            target=self._run, args=(job, work), name=f"studio-lazy-{kind}", daemon=True
        )
        thread.start()
        return job_id

    def get(self, job_id: int) -> Job:
        job = self._jobs.get(job_id)
        if job is None:
            raise KeyError(f"no job {job_id} (finished long ago?)")
        return job

    def known(self, job_id: int) -> bool:
        return job_id in self._jobs

    def wait(self, job_id: int, timeout: float) -> Job:
        """The job once it ended, or as it is after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        job = self.get(job_id)
        while job.state is JobState.RUNNING and time.monotonic() < deadline:
            time.sleep(0.01)
        return job

    def stop(self, job_id: int) -> Job:
        """Ask the job's library to stop, interrupt its thread, and mark it stopped."""
        job = self.get(job_id)
        with job.lock:
            if job.state is not JobState.RUNNING:
                return job
            job.state = JobState.STOPPED
            job.ended = time.monotonic()
            thread = job.thread
        if job.cancel is not None:
            job.cancel()
        if thread is not None:
            raise_in(thread, KeyboardInterrupt)
        return job

    def _run(self, job: Job, work: Callable[[], Any]) -> None:
        job.thread = threading.get_ident()
        try:
            result = work()
        except BaseException as error:  # a stop raises KeyboardInterrupt here
            with job.lock:
                job.thread = None
                if job.state is JobState.RUNNING:
                    job.state = JobState.FAILED
                    job.error = f"{type(error).__name__}: {error}"
                    job.ended = time.monotonic()
            return
        with job.lock:
            job.thread = None
            if job.state is JobState.RUNNING:
                job.result = result
                job.state = JobState.DONE
                job.ended = time.monotonic()

    def _forget_old(self) -> None:
        finished = [i for i, j in self._jobs.items() if j.state is not JobState.RUNNING]
        while len(self._jobs) > MAX_JOBS and finished:
            self._jobs.pop(finished.pop(0), None)
