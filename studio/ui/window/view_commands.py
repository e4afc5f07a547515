"""How the graph looks and leaves the window: direction, layout engine, legend, theme, export.

These commands change the view, not the project; the direction button's
text follows through `direction_shown`, so the commands need no action.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QApplication, QWidget

from studio.core.layout import Direction
from studio.core.model import Workspace
from studio.ui.app_settings import AppSettings
from studio.ui.canvas.export import export_png, export_svg
from studio.ui.canvas.legend import Legend
from studio.ui.canvas.scene import GraphScene
from studio.ui.canvas.view import GraphView
from studio.ui.project.graph_controller import GraphController
from studio.ui.theme import Theme, apply_to_application
from studio.ui.window.export_dialog import export_graph
from studio.ui.window.status_bar import StudioStatusBar

DIRECTIONS = (Direction.AUTO, Direction.LEFT_RIGHT, Direction.TOP_BOTTOM)


class Themed(Protocol):
    def set_theme(self, theme: Theme) -> None: ...


def direction_label(direction: Direction, drawn: Direction | None = None) -> str:
    """The direction button's text: the choice, and what Auto chose for this graph."""
    names = {Direction.LEFT_RIGHT: "Left to right", Direction.TOP_BOTTOM: "Top to bottom"}
    if direction is not Direction.AUTO:
        return names[direction]
    return f"Auto: {names[drawn].lower()}" if drawn in names else "Auto direction"


class ViewCommands(QObject):
    direction_shown = Signal(str)
    """The direction button's new text."""

    def __init__(
        self,
        parent: QWidget,
        settings: AppSettings,
        theme: Theme,
        workspace: Workspace,
        controller: GraphController,
        scene: GraphScene,
        view: GraphView,
        legend: Legend,
        status: StudioStatusBar,
        themed: Sequence[Themed],
    ) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.settings = settings
        self.theme = theme
        self.workspace = workspace
        self.controller = controller
        self.scene = scene
        self.view = view
        self.legend = legend
        self.status = status
        self.themed = list(themed)
        """Parts that repaint in a new theme, besides the application's palette."""

    def toggle_direction(self) -> None:
        """Auto, then left to right, then top to bottom, then auto again."""
        now = DIRECTIONS.index(self.workspace.graph.direction)
        direction = DIRECTIONS[(now + 1) % len(DIRECTIONS)]
        self.settings.set("direction", direction.value)
        self.controller.set_direction(direction)

    def show_direction(self, direction: Direction) -> None:
        drawn = self.scene.direction if self.scene.drawn is not None else None
        self.direction_shown.emit(direction_label(direction, drawn))

    def set_engine(self, engine: str) -> None:
        self.controller.set_engine(engine)

    def set_legend(self, visible: bool) -> None:
        self.legend.setVisible(visible)

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_to_application(app, theme)
        for part in self.themed:
            part.set_theme(theme)
        # The palette reaches widgets through posted events: deliver them now, so that the
        # next paint (or a grab) is in the new theme whatever the platform plugin.
        QCoreApplication.sendPostedEvents()
        self.view.viewport().update()
        self.settings.set("theme", theme.name)

    def export_png(self) -> None:
        self._export(".png", export_png)

    def export_svg(self) -> None:
        self._export(".svg", export_svg)

    def _export(self, suffix: str, exporter: Callable[[GraphScene, Path], None]) -> None:
        target = export_graph(
            self.parent_widget, self.scene, self.workspace.project, suffix, exporter
        )
        if target is not None:
            self.status.message(f"Exported to {target}", 5000)
