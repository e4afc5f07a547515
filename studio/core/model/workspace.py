"""Everything the window shows, owned here: one instance per window."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from studio.core.cache.cache_paths import durations_file
from studio.core.model.edit_history import EditHistory
from studio.core.model.graph_model import GraphModel
from studio.core.model.project_model import ProjectModel
from studio.core.model.runs_model import RunsModel
from studio.core.model.script_values_model import ScriptValuesModel
from studio.core.model.selection_model import SelectionModel


class Workspace:
    def __init__(self) -> None:
        self.project = ProjectModel()
        self.graph = GraphModel()
        self.selection = SelectionModel(self.graph)
        self.runs = RunsModel()
        self.edits = EditHistory()
        self.script_values = ScriptValuesModel()

    def open(self, root: Path, state: dict[str, Any], trusted: bool = True) -> None:
        """Another folder: nothing of the previous project stays (graph, runs, selection);
        its run durations are read from its cache folder."""
        self.graph.clear()
        self.runs.clear(durations_file(root))
        self.edits.clear()
        self.script_values.clear()
        self.project.open(root, state, trusted)
