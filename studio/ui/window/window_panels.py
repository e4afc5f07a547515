"""The window's panels and toolbar fields, as one typed bundle.

Panel sync, the window's commands and the action declarations receive
this bundle (and the workspace) instead of the window, so what each of
them touches is spelled out in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QToolBar

from studio.ui.panels.banner import Banner
from studio.ui.panels.config_editor import ConfigEditor
from studio.ui.panels.console_panel import ConsolePanel
from studio.ui.panels.inputs_panel import InputsPanel
from studio.ui.panels.inspector import InspectorPanel
from studio.ui.panels.run_log import RunLogPanel
from studio.ui.results.results_panel import ResultsPanel
from studio.ui.window.window_docks import WindowDocks


class DataflowSelector:
    """The toolbar's dataflow choice, shown only when a folder has several dataflows."""

    def __init__(self) -> None:
        self.label = QLabel(" Dataflow ")
        self.combo = QComboBox()
        self.combo.setMinimumContentsLength(12)
        self.combo.setToolTip("This folder has several dataflows (drivers): pick one")
        self.label_action: QAction | None = None
        self.combo_action: QAction | None = None

    def place(self, bar: QToolBar) -> None:
        self.label_action = bar.addWidget(self.label)
        self.combo_action = bar.addWidget(self.combo)

    def set_visible(self, visible: bool) -> None:
        for action in (self.label_action, self.combo_action):
            if action is not None:
                action.setVisible(visible)


def _new_search_field() -> QLineEdit:
    line = QLineEdit()
    line.setPlaceholderText("Search nodes (Ctrl+F)")
    line.setClearButtonEnabled(True)
    line.setFixedWidth(240)
    return line


def _new_search_count() -> QLabel:
    label = QLabel("")
    label.setMinimumWidth(60)
    return label


@dataclass(frozen=True, slots=True)
class WindowPanels:
    """The panels around the canvas, their docks, and the toolbar's fields."""

    banner: Banner
    inspector: InspectorPanel
    config_editor: ConfigEditor
    inputs: InputsPanel
    results: ResultsPanel
    run_log: RunLogPanel
    console: ConsolePanel
    docks: WindowDocks
    dataflows: DataflowSelector = field(default_factory=DataflowSelector)
    search_field: QLineEdit = field(default_factory=_new_search_field)
    search_count: QLabel = field(default_factory=_new_search_count)
