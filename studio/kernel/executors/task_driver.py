"""Hamilton drivers that run a loaded dataflow on threads, processes, Dask or Ray.

The same modules and config as the local driver, built by Hamilton for
task-based execution with one node per task (`GroupNodesIndividually`),
so every node can go to a worker, and the chosen executor as Hamilton's
remote executor. Hamilton's result cache comes along where the workers can
reach its folder (see `ExecutorChoice.keeps_disk_cache`).

On Dask and Ray the project's modules travel by value with each task (see
`task_parcel`): a worker started before a save runs the saved code, and a
cluster elsewhere needs no copy of them.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from studio.core.platform.start_method import forks_tasks
from studio.core.runs.executors import ExecutorChoice, ExecutorKind
from studio.kernel.executors import task_parcel
from studio.kernel.executors.clusters import Clusters
from studio.kernel.executors.task_executors import task_executor
from studio.kernel.executors.task_progress import TaskProgress
from studio.kernel.loading.fresh_import import search_folders
from studio.kernel.loading.graph_builder import LoadedDataflow, build_driver
from studio.kernel.running.progress import ObservedCache


@dataclass(slots=True)
class TaskDriver:
    driver: Any
    hook: TaskProgress
    loaded: LoadedDataflow
    choice: ExecutorChoice


class TaskDrivers:
    """The task-based driver of the loaded dataflow for an executor, built once per load."""

    def __init__(self, clusters: Clusters | None = None) -> None:
        self.clusters = clusters if clusters is not None else Clusters()
        self._last: TaskDriver | None = None

    def driver_for(
        self,
        loaded: LoadedDataflow,
        choice: ExecutorChoice,
        cache_path: Path | None,
        root: Path | None,
        recompute: bool = False,
    ) -> tuple[Any, TaskProgress]:
        last = self._last
        if (
            not recompute
            and last is not None
            and last.loaded is loaded
            and last.choice == choice
            and self._cluster_still(choice)
        ):
            return last.driver, last.hook
        assert loaded.dataflow is not None
        folder = root.resolve() if root is not None else Path.cwd()
        paths = search_folders(folder, (folder / loaded.dataflow.search_path).resolve())
        cluster = self.clusters.ensure(choice, paths)
        if choice.kind in (ExecutorKind.DASK, ExecutorKind.RAY) or (
            choice.kind is ExecutorKind.PROCESSES and not forks_tasks()
        ):
            pickler = task_parcel.pickler_for(choice.kind.value)
            task_parcel.send_by_value(pickler, project_modules(folder, loaded.modules))
        cache = None
        if cache_path is not None and choice.keeps_disk_cache:
            cache = ObservedCache(path=str(cache_path), recompute=True if recompute else None)
        hook = TaskProgress(cache=cache)
        adapters = [a for a in (cache, hook) if a is not None]
        executor = task_executor(choice, cluster, folder)
        driver = build_driver(
            loaded.modules, loaded.dataflow, loaded.config or {}, adapters, tasks=executor
        )
        if not recompute:
            self._last = TaskDriver(driver, hook, loaded, choice)
        return driver, hook

    def _cluster_still(self, choice: ExecutorChoice) -> bool:
        if choice.package is None:
            return True
        current = self.clusters.current
        return current is not None and current.choice == choice

    def forget(self) -> None:
        self._last = None


def project_modules(root: Path, loaded: Iterable[ModuleType]) -> list[ModuleType]:
    """The dataflow's modules and every other module imported from the project folder."""
    found = {m.__name__: m for m in loaded}
    prefix = str(root)
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if file and file.startswith(prefix) and ".venv" not in file and "site-packages" not in file:
            found.setdefault(name, module)
    return list(found.values())
