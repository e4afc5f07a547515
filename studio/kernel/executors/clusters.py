"""The Dask or Ray cluster a run goes to: started here and owned, or attached to.

An owned cluster runs on this machine only, is started on the first run that needs
it and stopped when the project closes, the kernel ends (`atexit`), or the
kernel is killed: its processes are the kernel's children, in the kernel's
process group, which the orphan guard and the window's shutdown end.
A cluster named by its address is the user's: it is only disconnected from.

Dask's scheduler and workers listen on the loopback interface. Ray will
not: it replaces a loopback node address with the machine's own
(`ray._private.services.resolve_ip_for_localhost`), so its local instance
listens on the machine's address, behind Ray's token authentication.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import logging
import os
import signal
import sys
import threading
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import studio
from studio.core.platform import process_ends
from studio.core.runs.executors import ExecutorChoice, ExecutorKind, engine_installed

_CONNECT_TIMEOUT_S = 10


class ClusterError(RuntimeError):
    """The cluster cannot be started or reached; the message says why, for the user."""

    def __init__(self, message: str, install_hint: str | None = None) -> None:
        super().__init__(message)
        self.install_hint = install_hint


@dataclass(slots=True)
class ClusterState:
    """What the window's status bar shows of the cluster."""

    executor: str
    title: str
    owned: bool
    workers: int
    dashboard: str | None = None
    address: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


class Cluster:
    """A running Dask or Ray cluster and how to stop (or leave) it."""

    def __init__(self, choice: ExecutorChoice, client: Any, cluster: Any = None) -> None:
        self.choice = choice
        self.client = client
        """The `distributed.Client` for Dask; None for Ray (its connection is global)."""
        self._cluster = cluster

    def state(self) -> ClusterState:
        if self.choice.kind is ExecutorKind.DASK:
            workers = sum(self.client.nthreads().values())
            dashboard = self.client.dashboard_link if _has_dask_dashboard() else None
            address = self.client.scheduler.address
        else:
            import ray

            workers = int(ray.cluster_resources().get("CPU", 0))
            context = ray.get_runtime_context()
            dashboard = None
            address = getattr(context, "gcs_address", None)
        choice = self.choice
        return ClusterState(
            choice.text, choice.title, choice.owns_cluster, workers, dashboard, address
        )

    def slots(self) -> int:
        """How many nodes can run at once: a node waits here rather than in a remote queue."""
        return max(1, self.state().workers)

    def stop(self) -> None:
        if self.choice.kind is ExecutorKind.DASK:
            with contextlib.suppress(Exception):
                self.client.close(timeout=5)
            if self._cluster is not None:
                with contextlib.suppress(Exception):
                    self._cluster.close(timeout=10)
        else:
            import ray

            with contextlib.suppress(Exception):
                ray.shutdown()

    def end_tasks(self, futures: list[Any]) -> None:
        """End Dask tasks already running: a running task cannot be cancelled, but the
        worker process that runs it can be ended (an owned cluster only; its nanny
        starts a fresh one). On a cluster elsewhere they are only cancelled."""
        if self.choice.kind is not ExecutorKind.DASK or self._cluster is None:
            return
        with contextlib.suppress(Exception):
            keys = {f.key for f in futures}
            processing = self.client.processing()
            for nanny in list(self._cluster.workers.values()):
                if keys & set(processing.get(nanny.worker_address, ())):
                    process_ends.kill(nanny.process.process.pid)


def start_cluster(choice: ExecutorChoice, import_paths: Iterable[Path] = ()) -> Cluster:
    """Start the cluster the choice names, or connect to its address."""
    if choice.package is None:
        raise ValueError(f"{choice.text} runs without a cluster")
    if not engine_installed(choice):
        raise ClusterError(
            f"{choice.title} needs the `{choice.package}` package, which the project's "
            f"environment ({sys.executable}) does not have",
            choice.install_hint,
        )
    paths = [str(p) for p in import_paths]
    if choice.kind is ExecutorKind.DASK:
        return _start_dask(choice)
    return _start_ray(choice, paths)


def _start_dask(choice: ExecutorChoice) -> Cluster:
    from distributed import Client, LocalCluster

    logging.getLogger("distributed").setLevel(logging.ERROR)
    if choice.address is not None:
        try:
            return Cluster(choice, Client(choice.address, timeout=_CONNECT_TIMEOUT_S))
        except (OSError, TimeoutError) as error:
            message = f"cannot reach the Dask scheduler at {choice.address}: {error}"
            raise ClusterError(message) from error
    dashboard = "127.0.0.1:0" if _has_dask_dashboard() else None
    with interrupts_ignored_by_children(), _dask_worker_environment():
        cluster = LocalCluster(
            n_workers=default_workers(),
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=dashboard,
            silence_logs=logging.ERROR,
        )
    return Cluster(choice, Client(cluster), cluster)


def _start_ray(choice: ExecutorChoice, paths: list[str]) -> Cluster:
    import ray

    logging.getLogger("ray").setLevel(logging.WARNING)
    if ray.is_initialized():
        ray.shutdown()
    options: dict[str, Any] = {"configure_logging": False, "log_to_driver": True}
    try:
        if choice.address is not None:
            with environment_kept():
                ray.init(address=choice.address, **options)
        else:
            # Workers import the studio's adapters and the project's helpers by name.
            studio_home = str(Path(studio.__file__).resolve().parent.parent)
            python_path = os.pathsep.join([*paths, studio_home, os.environ.get("PYTHONPATH", "")])
            with interrupts_ignored_by_children(), environment_kept():
                ray.init(
                    num_cpus=default_workers(),
                    include_dashboard=False,
                    runtime_env={"env_vars": {"PYTHONPATH": python_path.strip(os.pathsep)}},
                    **options,
                )
    except (ConnectionError, RuntimeError, ValueError) as error:
        where = f"at {choice.address}" if choice.address else "on this machine"
        raise ClusterError(f"cannot start Ray {where}: {error}") from error
    return Cluster(choice, None)


@contextlib.contextmanager
def interrupts_ignored_by_children() -> Iterator[None]:
    """Processes started meanwhile ignore SIGINT (the disposition survives exec).

    The window stops a run by interrupting the kernel's process group, which
    holds an owned cluster's processes too: the run is stopped by cancelling
    its tasks, the cluster must live on.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@contextlib.contextmanager
def _dask_worker_environment() -> Iterator[None]:
    """Dask's workers as the kernel runs, and the kernel's environment as it was.

    Dask's nanny gives its workers `MALLOC_TRIM_THRESHOLD_=65536` (memory goes
    back to the system sooner), which made numpy-heavy nodes 1.5 times slower
    than in the kernel (`bench/bench_executors.py`); an owned cluster lives only
    as long as the project. The nanny also sets its variables in the kernel's
    own environment, where every process started later would inherit them.
    """
    import dask

    wanted = dict(dask.config.get("distributed.nanny.pre-spawn-environ", {}) or {})
    wanted.pop("MALLOC_TRIM_THRESHOLD_", None)
    with environment_kept(), dask.config.set({"distributed.nanny.pre-spawn-environ": wanted}):
        yield


@contextlib.contextmanager
def environment_kept() -> Iterator[None]:
    """The kernel's environment afterwards as it was before.

    Starting a cluster sets variables in the starting process's own environment
    (Dask's nanny its pre-spawn variables; `ray.init` `RAY_AUTH_MODE`,
    `RAY_USAGE_STATS_ENABLED` and `PYTHONBREAKPOINT`, which sends a later
    `breakpoint()` to Ray's debugger): every process the kernel started afterwards
    would inherit them. The cluster's processes, started meanwhile, keep theirs.
    """
    environ = dict(os.environ)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(environ)


def _has_dask_dashboard() -> bool:
    return importlib.util.find_spec("bokeh") is not None


class Clusters:
    """The one cluster this kernel uses at a time: a new choice replaces the last."""

    def __init__(self) -> None:
        self.current: Cluster | None = None
        atexit.register(self.stop)

    def ensure(self, choice: ExecutorChoice, import_paths: Iterable[Path] = ()) -> Cluster | None:
        if choice.package is None:
            return None
        if self.current is not None and self.current.choice == choice and self._alive():
            return self.current
        self.stop()
        self.current = start_cluster(choice, import_paths)
        return self.current

    def _alive(self) -> bool:
        try:
            assert self.current is not None
            return self.current.state().workers > 0
        except Exception:
            return False

    def state(self) -> ClusterState | None:
        if self.current is None:
            return None
        try:
            return self.current.state()
        except Exception:
            return None

    def stop(self) -> None:
        if self.current is not None:
            current, self.current = self.current, None
            current.stop()
