"""The graph as the source reads, drawn while the kernel starts and builds Hamilton's.

A kernel needs about a second to start (IPython, ipykernel, Hamilton,
pandas) and then imports the project. For a project whose graph the source
already says exactly (plain functions, no decorators, nothing discovery
stumbled on), the canvas shows that graph at once; Hamilton's replaces it
when it comes, as a reload does, usually without moving a box, and without
marking anything changed. The read runs on a thread of its own; big projects
get none (`SOURCE_LIMIT`).

On a relaunch the same thread first looks for Hamilton's graph kept from the
last session (`studio.core.cache.kept_graph`): when everything that decided it
is unchanged, that graph is shown instead (`kept`), whatever the project's
size or decorators, since it is Hamilton's own.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from studio.core.cache.kept_graph import own_conditions, read_kept_graph
from studio.core.discovery.discover import ProjectFolderError, discover
from studio.core.discovery.scan import iter_python_files
from studio.core.discovery.static_graph import static_snapshot
from studio.ui.project.prefetch_launch import Prefetcher

SOURCE_LIMIT = 200 * 1024
"""Above this much Python in the folder (about 1,500 nodes), no preview: its trees,
made while the window lays out, cost the window a garbage collection longer than a
frame (186 ms at 5,000 nodes), and the kernel's graph takes seconds anyway. Such a
folder is read by a helper process instead, when its kernel runs in the studio's
Python (`prefetch_launch`): below the limit this thread's reading is the kernel's."""


def _source_bytes(root: Path) -> int:
    total = 0
    for path in iter_python_files(root):
        with contextlib.suppress(OSError):
            total += path.stat().st_size
        if total > SOURCE_LIMIT:
            break
    return total


def too_big_for_a_preview(root: Path) -> bool:
    """Whether `root` holds more Python than a preview reads (`SOURCE_LIMIT`)."""
    return _source_bytes(root) > SOURCE_LIMIT


class SourcePreview(QObject):
    ready = Signal(object, object, object)
    """(root, Project, GraphSnapshot): a preview of the folder opened last, on the GUI thread."""
    kept = Signal(object, object)
    """(root, KeptGraph): Hamilton's graph kept from the last session, still valid."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.prefetcher = Prefetcher()
        """Started on a folder too big for a preview, with no graph kept (see `_read`)."""

    def read(
        self,
        root: Path,
        dataflow: str | None,
        overrides: Mapping[str, Any] | None = None,
        own_python: bool = False,
    ) -> None:
        """Read on a thread; with `own_python` (the kernel will run in the studio's
        Python) a graph kept from the last session for `dataflow` and `overrides` is
        looked for first."""
        kept_for = dict(overrides or {}) if own_python else None
        threading.Thread(
            target=self._read,
            args=(root, dataflow, kept_for),
            name="studio-source-preview",
            daemon=True,
        ).start()

    def _read(self, root: Path, dataflow: str | None, kept_for: dict[str, Any] | None) -> None:
        """`kept_for`: the overrides a kept graph must have been built with (None: look
        for none, the kernel runs in another Python)."""
        if kept_for is not None:
            conditions = own_conditions(dataflow, kept_for)
            graph = read_kept_graph(root, conditions) if conditions is not None else None
            if graph is not None:
                self.kept.emit(root, graph)
                return
        try:
            if _source_bytes(root) > SOURCE_LIMIT:
                if kept_for is not None:  # the kernel's load will look for what it keeps
                    self.prefetcher.start(root)
                return
            project = discover(root)
            flow = project.dataflow(dataflow)
        except (ProjectFolderError, LookupError, OSError):
            return
        if project.problems:
            return
        snapshot = static_snapshot(project, flow)
        if any(node.decorators for node in snapshot.nodes) or not snapshot.nodes:
            return  # Hamilton's graph would differ: better none than one that changes
        self.ready.emit(root, project, replace(snapshot, warnings=()))
