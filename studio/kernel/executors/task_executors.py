"""Hamilton's task executors, made to stop when the user stops a run.

Each is Hamilton's own executor for its engine, with three changes:
- no more tasks are out than there are workers, so that a node shown as
  running is running, not queued on the far side;
- Hamilton polls its tasks in a loop without pause; here a look at a task
  not yet done waits for it a few milliseconds, which leaves the kernel's
  core to the workers (on two cores, a third of the speed-up otherwise);
- when the run ends early (a Stop, or a node that failed), work still out is
  cancelled: queued tasks are dropped, and after a Stop running ones are
  ended too, by ending the worker that runs them (processes, Ray, an owned
  Dask cluster). A thread cannot be ended; its node finishes unseen.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import sys
import time
import warnings
from concurrent.futures import Future, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Any

from hamilton.execution import executors

from studio.core.platform.start_method import forks_tasks, task_start_method
from studio.core.runs.executors import ExecutorChoice, ExecutorKind
from studio.kernel.executors import task_parcel
from studio.kernel.executors.clusters import Cluster, default_workers

_PAUSE_S = 0.005
"""How long a look at an unfinished task waits for it: long enough that Hamilton's
polling loop leaves the processor to the workers, and no longer, since a task that
ends meanwhile ends the wait."""


class _PatientFuture(executors.TaskFutureWrappingPythonFuture):
    def get_state(self) -> Any:
        future = self.future
        if not future.done():
            if isinstance(future, Future):
                wait([future], timeout=_PAUSE_S)
            else:  # a Dask future
                time.sleep(_PAUSE_S)
        return super().get_state()


def _plain_output() -> None:
    """A forked worker writes to the kernel's own output, not to its copy of the
    kernel's output stream (whose sending thread was not forked)."""
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__


def _stopped_by_user() -> bool:
    return isinstance(sys.exc_info()[1], KeyboardInterrupt)


class ThreadTasks(executors.MultiThreadingExecutor):
    def submit_task(self, task: Any) -> Any:
        return _PatientFuture(super().submit_task(task).future)

    def finalize(self) -> None:
        if self.initialized:
            self.pool.shutdown(wait=not _stopped_by_user(), cancel_futures=True)
            self.initialized = False


class ProcessTasks(executors.MultiProcessingExecutor):
    """Linux forks the kernel: the workers have the modules as the kernel loaded them, at
    no start-up cost. Elsewhere (`forkserver`, `spawn`) workers start empty, and each
    task goes as a parcel with the project's code inside, as to a cluster."""

    def __init__(self, max_tasks: int, folder: Path | None = None) -> None:
        super().__init__(max_tasks=max_tasks)
        self.forks = forks_tasks()
        self.folder = str(folder) if folder is not None else None

    def create_pool(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context(task_start_method())
        if self.forks:
            return ProcessPoolExecutor(self.max_tasks, context, initializer=_plain_output)
        return ProcessPoolExecutor(self.max_tasks, context)

    def submit_task(self, task: Any) -> Any:
        if not self.forks:
            pickler = task_parcel.pickler_for("processes")
            parcel = task_parcel.pack(pickler, task)
            future = self.pool.submit(task_parcel.run_parcel, parcel, self.folder)
            self.active_futures.append(future)
            return _PatientFuture(future)
        with warnings.catch_warnings():  # forking the kernel, which has threads, is deliberate
            warnings.simplefilter("ignore", DeprecationWarning)
            return _PatientFuture(super().submit_task(task).future)

    def finalize(self) -> None:
        if not self.initialized:
            return
        if _stopped_by_user() or any(not f.done() for f in self.active_futures):
            for process in list(getattr(self.pool, "_processes", {}).values()):
                with contextlib.suppress(OSError):
                    process.kill()
            self.pool.shutdown(wait=False, cancel_futures=True)
        else:
            self.pool.shutdown()
        self.initialized = False


class _ClusterTasks(executors.TaskExecutor):
    """Common to Dask and Ray: a bounded number of tasks out, cancelled on an early end."""

    def __init__(self, cluster: Cluster, folder: Path | None = None) -> None:
        self.cluster = cluster
        self.slots = 1
        self.out: list[Any] = []
        self.pickler = task_parcel.pickler_for(cluster.choice.kind.value)
        self.folder = str(folder) if folder is not None and cluster.choice.owns_cluster else None
        """Where tasks run on an owned cluster's workers; a cluster elsewhere has its own."""

    def parcel(self, task: Any) -> bytes:
        return task_parcel.pack(self.pickler, task)

    def init(self) -> None:
        self.slots = self.cluster.slots()
        self.out = []

    def can_submit_task(self) -> bool:
        self.out = [f for f in self.out if not self._done(f)]
        return len(self.out) < self.slots

    def finalize(self) -> None:
        left = [f for f in self.out if not self._done(f)]
        self.out = []
        if left:
            self._cancel(left, hard=_stopped_by_user())

    def _done(self, future: Any) -> bool:
        raise NotImplementedError

    def _cancel(self, futures: list[Any], hard: bool) -> None:
        raise NotImplementedError


class DaskTasks(_ClusterTasks):
    def submit_task(self, task: Any) -> Any:
        future = self.cluster.client.submit(
            task_parcel.run_parcel, self.parcel(task), self.folder, pure=False
        )
        self.out.append(future)
        return _PatientFuture(future)

    def _done(self, future: Any) -> bool:
        return bool(future.done())

    def _cancel(self, futures: list[Any], hard: bool) -> None:
        if hard:
            self.cluster.end_tasks(futures)
        with contextlib.suppress(Exception):
            self.cluster.client.cancel(futures, force=True)


class RayTasks(_ClusterTasks):
    def submit_task(self, task: Any) -> Any:
        import ray

        reference = ray.remote(task_parcel.run_parcel).remote(self.parcel(task), self.folder)
        future = reference.future()
        self.out.append((reference, future))
        return _PatientFuture(future)

    def _done(self, future: Any) -> bool:
        return bool(future[1].done())

    def _cancel(self, futures: list[Any], hard: bool) -> None:
        import ray

        for reference, _ in futures:
            with contextlib.suppress(Exception):
                ray.cancel(reference, force=hard)


def task_executor(
    choice: ExecutorChoice, cluster: Cluster | None, folder: Path | None = None
) -> executors.TaskExecutor:
    """The executor that runs each node of a task-based run for this choice."""
    if choice.kind is ExecutorKind.THREADS:
        return ThreadTasks(max_tasks=default_workers())
    if choice.kind is ExecutorKind.PROCESSES:
        return ProcessTasks(default_workers(), folder)
    if cluster is None:
        raise ValueError(f"{choice.text} needs a running cluster")
    if choice.kind is ExecutorKind.DASK:
        return DaskTasks(cluster, folder)
    if choice.kind is ExecutorKind.RAY:
        return RayTasks(cluster, folder)
    raise ValueError(f"{choice.text} is not a task executor")
