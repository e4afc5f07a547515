"""The window's state, in one place and without Qt: what is open, drawn, selected and run.

`Workspace` holds the parts: `ProjectModel` (the folder, its dataflows and
the user's choices for them), `GraphModel` (the last good graph and how
it is displayed), `SelectionModel` (what is selected and found) and
`RunsModel` (each node's run state and the run log), `EditHistory` (the
graph edits Undo and Redo step through), `ScriptValuesModel` (what the
kernel made of the values the driver script computes). Each part owns its
state and announces changes through `Event`s; views and controllers
listen and never keep copies.
"""

from studio.core.model.events import Event
from studio.core.model.graph_model import DisplayChange, GraphModel
from studio.core.model.project_model import ProjectModel
from studio.core.model.runs_model import RunsModel
from studio.core.model.script_values_model import ScriptValuesModel
from studio.core.model.selection_model import SelectionModel
from studio.core.model.workspace import Workspace

__all__ = [
    "DisplayChange",
    "Event",
    "GraphModel",
    "ProjectModel",
    "RunsModel",
    "ScriptValuesModel",
    "SelectionModel",
    "Workspace",
]
