"""An untrusted folder's graph, read from its source on a thread of its own.

Nothing of the folder runs before it is trusted, so its graph is what discovery
and the static graph read from the files. At 5,000 nodes that read takes a
fifth of a second and more, on every open and every save: it runs here, and
only the newest read is delivered.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from studio.core.discovery.discover import ProjectFolderError, discover
from studio.core.discovery.project import Dataflow, Project
from studio.core.discovery.static_graph import static_snapshot
from studio.core.graph.snapshot import GraphSnapshot


@dataclass(frozen=True)
class SourceReading:
    root: Path
    project: Project | None = None
    flow: Dataflow | None = None
    snapshot: GraphSnapshot | None = None
    error: str = ""
    """Why the folder could not be read (then nothing else is set)."""


class SourceReader(QObject):
    read_done = Signal(object)
    """(SourceReading) of the newest `read`, on the GUI thread."""
    _finished = Signal(int, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._asked = 0
        self._finished.connect(self._deliver)

    def read(self, root: Path, dataflow: str | None) -> None:
        self._asked += 1
        threading.Thread(
            target=self._read,
            args=(self._asked, root, dataflow),
            name="studio-source-read",
            daemon=True,
        ).start()

    def forget(self) -> None:
        """A read still going on is not delivered (another folder, a trusted one)."""
        self._asked += 1

    def _read(self, number: int, root: Path, dataflow: str | None) -> None:
        try:
            project = discover(root)
            flow = project.dataflow(dataflow)
            reading = SourceReading(root, project, flow, static_snapshot(project, flow))
        except (ProjectFolderError, LookupError, OSError) as error:
            reading = SourceReading(root, error=str(error).strip("'"))
        self._finished.emit(number, reading)

    def _deliver(self, number: int, reading: SourceReading) -> None:
        if number == self._asked:
            self.read_done.emit(reading)
