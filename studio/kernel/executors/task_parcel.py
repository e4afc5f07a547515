"""A task sent to a Dask or Ray worker with the project's code inside it.

Dask pickles a task's arguments with plain pickle, which names functions
by module: a worker that imported a project module before a save runs
the old code. Ray's workers live on across runs the same way. A parcel is
the task pickled by the engine's cloudpickle with the project's modules
registered to travel by value; `run_parcel` unpacks it on the worker.

This module is itself sent by value, so a cluster elsewhere needs
Hamilton and the project's libraries, not the studio.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from types import ModuleType
from typing import Any


def run_parcel(parcel: bytes, folder: str | None) -> Any:
    """Run a packed task on a worker; in the project folder on a cluster of this machine,
    so that the project's relative paths mean what they mean in the kernel."""
    import os
    import pickle

    from hamilton.execution import executors

    if folder is not None and os.getcwd() != folder:  # noqa: PTH109 (sent by value: stdlib only)
        os.chdir(folder)
    return executors.base_execute_task(pickle.loads(parcel))


def pickler_for(engine: str) -> Any:
    """The cloudpickle the engine uses (Ray has its own copy, with its own registry)."""
    if engine == "ray":
        from ray import cloudpickle
    else:
        import cloudpickle
    return cloudpickle


def send_by_value(pickler: Any, modules: Iterable[ModuleType]) -> None:
    for module in [*modules, sys.modules[__name__]]:
        try:
            pickler.register_pickle_by_value(module)
        except ValueError:  # not in sys.modules under its name: sent by reference
            continue


def pack(pickler: Any, task: Any) -> bytes:
    return pickler.dumps(task)
