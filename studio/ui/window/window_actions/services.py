"""What the window's commands call, handed to the action declarations instead of the window."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from studio.ui.canvas.navigation import CanvasNavigation
from studio.ui.canvas.view import GraphView
from studio.ui.editing.graph_edits import GraphEdits
from studio.ui.kernel.session import KernelSession
from studio.ui.project.graph_controller import GraphController
from studio.ui.project.project_session import ProjectSession
from studio.ui.runs.cache_limit_setting import CacheLimit
from studio.ui.runs.executor_picker import ExecutorPicker
from studio.ui.runs.run_controller import RunController
from studio.ui.window.status_bar import StudioStatusBar
from studio.ui.window.view_commands import ViewCommands
from studio.ui.window.window_commands import WindowCommands
from studio.ui.window.window_panels import WindowPanels


@dataclass(frozen=True, slots=True)
class Services:
    """The commands and parts the actions run; `parent` only parents dialogs and menus."""

    parent: QWidget
    commands: WindowCommands
    looks: ViewCommands
    view: GraphView
    navigation: CanvasNavigation
    graph: GraphController
    run_controller: RunController
    session: KernelSession
    project_session: ProjectSession
    edits: GraphEdits
    executor: ExecutorPicker
    cache_limit: CacheLimit
    status: StudioStatusBar
    panels: WindowPanels
