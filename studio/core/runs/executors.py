"""Where a run's nodes execute: the user's choice of Hamilton executor.

Local is Hamilton's plain driver in the kernel, as always. The others run
the same subgraph through Hamilton's task-based execution, one node per
task, on threads, on processes, on a Dask cluster or on Ray. Dask and Ray
either run on a cluster the studio starts on this machine (and stops), or
on one the user names by its address.

The choice is written as text, the same in the window's settings and on
the command line: `local`, `threads`, `processes`, `dask`, `dask=ADDRESS`,
`ray`, `ray=ADDRESS`.
"""

from __future__ import annotations

import enum
import importlib.util
import sys
from dataclasses import dataclass


class ExecutorKind(enum.StrEnum):
    LOCAL = "local"
    THREADS = "threads"
    PROCESSES = "processes"
    DASK = "dask"
    RAY = "ray"


_TITLES = {
    ExecutorKind.LOCAL: "Local",
    ExecutorKind.THREADS: "Threads",
    ExecutorKind.PROCESSES: "Processes",
    ExecutorKind.DASK: "Dask",
    ExecutorKind.RAY: "Ray",
}

_PACKAGES = {ExecutorKind.DASK: "distributed", ExecutorKind.RAY: "ray"}
"""The module each engine needs, and the project extra that brings it."""


class ExecutorError(ValueError):
    """Executor text that names no executor; the message says what would."""


@dataclass(frozen=True, slots=True)
class ExecutorChoice:
    kind: ExecutorKind = ExecutorKind.LOCAL
    address: str | None = None
    """A running Dask scheduler or Ray cluster to attach to; None: the studio starts one."""

    @classmethod
    def parse(cls, text: str | None) -> ExecutorChoice:
        """`dask=tcp://10.0.0.5:8786` and the like; an empty text is Local."""
        name, _, address = (text or "local").strip().partition("=")
        try:
            kind = ExecutorKind(name.strip().lower())
        except ValueError:
            choices = ", ".join(k.value for k in ExecutorKind)
            raise ExecutorError(
                f"unknown executor {name!r}: choose one of {choices}, "
                "or dask=ADDRESS / ray=ADDRESS for a running cluster"
            ) from None
        address = address.strip() or None
        if address is not None and kind not in _PACKAGES:
            raise ExecutorError(f"{kind.value} takes no address: only dask and ray attach")
        return cls(kind, address)

    @property
    def text(self) -> str:
        return f"{self.kind.value}={self.address}" if self.address else self.kind.value

    @property
    def title(self) -> str:
        """What the window calls it: `Dask (local cluster)`, `Ray at ray://head:10001`."""
        title = _TITLES[self.kind]
        if self.kind in _PACKAGES:
            return f"{title} at {self.address}" if self.address else f"{title} (local cluster)"
        return title

    @property
    def is_local(self) -> bool:
        return self.kind is ExecutorKind.LOCAL

    @property
    def owns_cluster(self) -> bool:
        """The studio starts this cluster, and stops it with the project or the app."""
        return self.kind in _PACKAGES and self.address is None

    @property
    def package(self) -> str | None:
        return _PACKAGES.get(self.kind)

    @property
    def install_hint(self) -> str | None:
        """How to get the engine into the environment the project runs in."""
        if self.package is None:
            return None
        if getattr(sys, "frozen", False):
            return (
                f"the desktop app's own Python has no {_TITLES[self.kind]}: run the project in "
                f"an environment that has it (Kernel ▸ Project Interpreter…), after "
                f"`pip install {self.package}` there"
            )
        return (
            f'pip install "dataflow-studio[{self.kind.value}]"  (or, in the project\'s own '
            f"environment: pip install {self.package})"
        )

    def install_command(self, python: str) -> str | None:
        """The command that puts the engine into the environment of `python`."""
        return f"{python} -m pip install {self.package}" if self.package else None

    @property
    def keeps_disk_cache(self) -> bool:
        """Whether Hamilton's result cache (on this machine's disk) works with it.

        Workers on this machine read and write the project's cache folder; a
        cluster elsewhere cannot reach it, so runs there reuse only results
        still in the kernel's memory.
        """
        return self.address is None

    @property
    def reuse_note(self) -> str | None:
        """What to tell the user before a run about reuse, when it differs from Local."""
        if self.keeps_disk_cache:
            return None
        return (
            f"{self.title}: results are reused only from this session's memory; "
            "the cache on disk is not used, since the cluster's workers cannot reach it"
        )


LOCAL = ExecutorChoice()


def engine_installed(choice: ExecutorChoice) -> bool:
    """Whether this interpreter can import the engine the choice needs."""
    if choice.package is None:
        return True
    try:
        return importlib.util.find_spec(choice.package) is not None
    except (ImportError, ValueError):
        return False
