"""The studio's main window: the canvas in the middle, panels in docks, commands around.

The window is the composition root: it builds the parts, hands them to
what wires them (the action declarations in `window_actions`, the panels'
`PanelSync`, the commands of `window_commands` and `view_commands`), and
keeps the window's own events. The graph controller and run controller
write into the workspace (the models of `studio.core.model`); the canvas
and panels follow it. A project's opening lives in `project_session`,
the status bar in `status_bar`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QIcon
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QVBoxLayout, QWidget

from studio.core.graph.snapshot import GraphSnapshot
from studio.core.layout import Direction
from studio.core.model import Workspace
from studio.core.notices import Cause, Notice
from studio.core.resources import resources_root
from studio.ui import heap
from studio.ui.actions import ActionRegistry
from studio.ui.app_settings import AppSettings
from studio.ui.canvas.canvas_message import CanvasMessage
from studio.ui.canvas.legend import Legend
from studio.ui.canvas.navigation import CanvasNavigation
from studio.ui.canvas.scene import GraphScene
from studio.ui.canvas.sliced_work import SlicedWork
from studio.ui.canvas.view import GraphView
from studio.ui.editing.graph_edits import GraphEdits
from studio.ui.kernel.session import KernelSession
from studio.ui.panels.banner import Banner, BannerKind
from studio.ui.panels.config_editor import ConfigEditor
from studio.ui.panels.console_panel import ConsolePanel
from studio.ui.panels.inputs_panel import InputsPanel
from studio.ui.panels.inspector import InspectorPanel
from studio.ui.panels.run_log import RunLogPanel
from studio.ui.project.graph_controller import GraphController
from studio.ui.project.load_watch import LoadWatch
from studio.ui.project.loading_state import LoadingState
from studio.ui.project.project_session import Offer, ProjectSession
from studio.ui.results.results_panel import ResultsPanel
from studio.ui.runs.cache_limit_setting import CacheLimit
from studio.ui.runs.executor_picker import ExecutorPicker
from studio.ui.runs.run_controller import RunController
from studio.ui.theme import Theme
from studio.ui.window import window_actions
from studio.ui.window.panel_sync import RUN_PROBLEM, PanelSync
from studio.ui.window.status_bar import StudioStatusBar
from studio.ui.window.view_commands import ViewCommands
from studio.ui.window.window_actions import Services
from studio.ui.window.window_actions.context_menus import ContextMenus
from studio.ui.window.window_commands import WindowCommands
from studio.ui.window.window_docks import WindowDocks
from studio.ui.window.window_panels import WindowPanels

FIRST_SHARE = 0.92
"""The share of the screen's free area a first window takes (no size saved yet)."""
FIRST_SIZE = (1400, 860)
"""...at least this, where the screen has room for it."""


class MainWindow(QMainWindow):
    def __init__(
        self, settings: AppSettings, theme: Theme, session: KernelSession | None = None
    ) -> None:
        super().__init__()
        self.settings = settings
        self.setAcceptDrops(True)
        icon = resources_root() / "icons" / "dataflow-studio.svg"
        if icon.exists():
            self.setWindowIcon(QIcon(str(icon)))
        self.workspace = Workspace()
        self.session = session or KernelSession()
        self.session.setParent(self)
        self.scene = GraphScene(theme, self.workspace)
        self.scene.setParent(self)
        self.view = GraphView(self.scene)
        self.legend = Legend(theme, self.view)
        self.legend.resized.connect(self._place_legend)
        self.view.resized.connect(self._place_legend)
        self.canvas_message = CanvasMessage(theme, self.view)
        self.view.resized.connect(self.canvas_message.place)
        self.view.add_overlay(self.legend, Qt.Edge.BottomEdge)
        self.banner = Banner(theme)
        self.inspector = InspectorPanel(theme)
        self.config_editor = ConfigEditor()
        self.inputs_panel = InputsPanel()
        self.run_log = RunLogPanel()
        self.results_panel = ResultsPanel(self.session)
        self.console = ConsolePanel(self.session, theme)
        self.controller = GraphController(
            self.session, self.workspace, self.scene, self._anchor, frame=self.view.free_frame
        )
        heap.DrawingHold(self.controller, self.scene)
        self.run_controller = RunController(self.session, self.workspace, self.controller, self)
        self.project_session = ProjectSession(
            settings, self.workspace, self.session, self.controller
        )
        self._later = SlicedWork(self)
        """Follow-up work after a redraw, in turns of its own."""
        self._shut_down = False
        self._build_central()
        self.panels = self._build_panels()
        self.navigation = CanvasNavigation(
            self.view,
            self.workspace,
            self.controller,
            self.panels.search_field,
            self.panels.search_count,
            theme,
            self,
        )
        self.executor = ExecutorPicker(self.workspace, self.session, self.run_controller, self)
        self.status = StudioStatusBar(
            self.statusBar(), self.session, self.workspace, self.controller, self.run_controller
        )
        self.load_watch = LoadWatch(self.controller, self.session)
        self.graph_edits = GraphEdits(self.workspace, self.status, self)
        self.commands = WindowCommands(
            self, settings, self.workspace, self.session, self.project_session, self.run_controller,
            self.load_watch, self.status, self.panels, self.navigation,
        )  # fmt: skip
        self.looks = ViewCommands(
            self, settings, theme, self.workspace, self.controller, self.scene, self.view,
            self.legend, self.status,
            [self.scene, self.legend, self.canvas_message, self.banner, self.inspector,
             self.console, self.navigation],
        )  # fmt: skip
        self.actions = ActionRegistry(self.view, self)
        self.cache_limit = CacheLimit(self, settings, self.run_controller, self.actions)
        services = Services(
            self, self.commands, self.looks, self.view, self.navigation, self.controller,
            self.run_controller, self.session, self.project_session, self.graph_edits,
            self.executor, self.cache_limit, self.status, self.panels,
        )  # fmt: skip
        window_actions.declare(self.actions, self.workspace, services)
        for menu in window_actions.menus(self.actions, services):
            self.menuBar().addMenu(menu)
        self.toolbar = window_actions.toolbar(self.actions, services)
        self.addToolBar(self.toolbar)
        self.context_menus = ContextMenus(self.actions, self.workspace, services)
        self.navigation.bind(self.actions)
        self.navigation.above_focus_bar = self.banner
        self.banner.placed.connect(self.navigation.place_overlays)
        self.panels.dataflows.set_visible(False)
        self.loading = LoadingState(
            self.canvas_message, self.workspace, self.session, self.controller
        )
        self.status.bar.addPermanentWidget(self.executor.label)
        self._connect()
        self._restore_window()

    # -- construction ---------------------------------------------------------------

    def _build_central(self) -> None:
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.view, 1)
        self.banner.float_over(self.view)
        self.view.add_overlay(self.banner, Qt.Edge.TopEdge)
        self.setCentralWidget(central)

    def _build_panels(self) -> WindowPanels:
        self.docks = WindowDocks(
            self,
            {
                "inspector": ("Inspector", self.inspector),
                "inputs": ("Inputs", self.inputs_panel),
                "config": ("Config", self.config_editor),
                "results": ("Results", self.results_panel),
                "run-log": ("Run Log", self.run_log),
                "console": ("Console", self.console),
            },
        )
        self.inputs_dock = self.docks["inputs"]
        self.console.build_when_seen(self.docks["console"])
        return WindowPanels(
            self.banner,
            self.inspector,
            self.config_editor,
            self.inputs_panel,
            self.results_panel,
            self.run_log,
            self.console,
            self.docks,
        )

    def _connect(self) -> None:
        commands, menus, status = self.commands, self.context_menus, self.status
        self.panel_sync = PanelSync(
            self.workspace, self.panels, self.controller, self.run_controller, self
        )
        self.workspace.project.opened.connect(self._on_project_opened)
        self.workspace.project.opened.connect(lambda _root: self._show_title())
        self.workspace.project.dataflows_changed.connect(self._show_title)
        self._show_title()
        self.workspace.graph.direction_changed.connect(self.looks.show_direction)
        self.controller.graph_shown.connect(self._on_graph_shown)
        self.controller.preview_shown.connect(self._on_preview_shown)
        self.controller.notice.connect(self._on_notice)
        self.load_watch.notice.connect(self._on_notice)
        self.controller.notice_cleared.connect(self.banner.hide)
        self.project_session.notice.connect(
            lambda notice, offer: self.banner.show_notice(notice, offer)
        )
        self.executor.notice.connect(lambda notice, offer: self.banner.show_notice(notice, offer))
        self.project_session.status.connect(status.message)
        self.project_session.interpreter_refused.connect(
            lambda text: QMessageBox.warning(self, "Project Interpreter", text)
        )
        self.inspector.node_link_activated.connect(commands.go_to_node)
        self.results_panel.node_link_activated.connect(commands.go_to_node)
        self.banner.location_requested.connect(commands.show_location)
        self.config_editor.applied.connect(self.controller.set_config_overrides)
        combo = self.dataflow_combo
        combo.activated.connect(
            lambda index: self.controller.choose_dataflow(combo.itemText(index))
        )
        self.view.escape_pressed.connect(commands.escape)
        self.view.node_menu_requested.connect(lambda name, at: menus.node(name).popup(at))
        self.view.module_menu_requested.connect(lambda module, at: menus.module(module).popup(at))
        self.view.canvas_menu_requested.connect(lambda at: menus.canvas().popup(at))
        self.view.edge_menu_requested.connect(
            lambda source, target, at: menus.edge(source, target).popup(at)
        )
        self.view.connect_requested.connect(self.graph_edits.connect_nodes)
        self.inspector.save_requested.connect(
            lambda excerpt, text: self.graph_edits.save_source(excerpt, text, self.inspector)
        )
        self.navigation.message.connect(lambda text: status.message(text, 4000))
        self.navigation.went_to_node.connect(lambda _name: self.panel_sync.refresh_inspector())
        self.scene.node_activated.connect(
            lambda key: self.run_controller.run(list(self.scene.members(key)))
        )
        self.run_controller.problem.connect(
            lambda text: self.banner.show_message(BannerKind.ERROR, text, cause=RUN_PROBLEM)
        )
        self.run_controller.output_outside_run.connect(self.run_log.add_kernel_output)
        self.run_log.location_requested.connect(commands.show_location)
        self.results_panel.content_shown.connect(lambda _kind: self.docks.grow_bottom())
        self.results_panel.status.connect(lambda text: status.message(text, 5000))
        self.session.ready.connect(lambda _info: self.results_panel.clear())

    def _first_geometry(self) -> None:
        """A first window takes most of the screen, centred: the graph is what the user
        came to see, and a 150-function graph needs the room to be read."""
        screen = self.screen() or QApplication.primaryScreen()
        if screen is None:
            self.resize(*FIRST_SIZE)
            return
        room = screen.availableGeometry()
        width = min(max(round(room.width() * FIRST_SHARE), FIRST_SIZE[0]), room.width())
        height = min(max(round(room.height() * FIRST_SHARE), FIRST_SIZE[1]), room.height())
        self.resize(width, height)
        frame = self.frameGeometry()
        frame.moveCenter(room.center())
        self.move(frame.topLeft())

    def _restore_window(self) -> None:
        geometry = self.settings.window_geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self._first_geometry()
        state = self.settings.window_state()
        if state is not None:
            self.restoreState(state)
        else:
            QTimer.singleShot(0, self.docks.first_sizes)
        self.workspace.graph.direction = Direction(
            self.settings.get("direction", Direction.AUTO.value)
        )
        self.looks.show_direction(self.workspace.graph.direction)
        graph = self.workspace.graph
        graph.function_view = self.settings.get("function-view", "1") == "1"
        graph.function_view_changed.connect(
            lambda on: self.settings.set("function-view", "1" if on else "0")
        )
        legend = self.settings.get("legend", "1") == "1"
        self.legend.setVisible(legend)
        self.actions["legend"].setChecked(legend)

    # -- parts the tests and tools reach ----------------------------------------------

    @property
    def theme(self) -> Theme:
        return self.looks.theme

    @property
    def search_field(self) -> Any:
        return self.panels.search_field

    @property
    def search_count(self) -> Any:
        return self.panels.search_count

    @property
    def dataflow_combo(self) -> Any:
        return self.panels.dataflows.combo

    @property
    def dataflow_combo_action(self) -> Any:
        return self.panels.dataflows.combo_action

    @property
    def last_interpreter_check(self) -> Any:
        return self.project_session.last_check

    # -- commands kept on the window ----------------------------------------------------

    def open_folder(self, folder: Path) -> bool:
        return self.commands.open_folder(folder)

    def use_interpreter(self, python: Path | None) -> None:
        self.project_session.use_interpreter(python)

    def restart_kernel(self) -> None:
        self.project_session.restart_kernel()

    def go_to_node(self, name: str) -> None:
        self.commands.go_to_node(name)

    def send_to_console(self, name: str) -> None:
        self.commands.send_to_console(name)

    def set_theme(self, theme: Theme) -> None:
        self.looks.set_theme(theme)

    def _on_escape(self) -> None:
        self.commands.escape()

    # -- what the controllers report -----------------------------------------------------

    def _on_project_opened(self, root: Path) -> None:
        self.inspector.root = root
        self.inspector.show_node(None)

    def _show_title(self) -> None:
        """The window's title, from the project model alone: folder and dataflow."""
        project = self.workspace.project
        flow = project.current()
        parts = [project.root.name if project.root else "", flow.name if flow else ""]
        shown = " · ".join(part for part in parts if part)
        self.setWindowTitle(f"{shown} — Dataflow Studio" if shown else "Dataflow Studio")

    def _on_preview_shown(self, _snapshot: GraphSnapshot) -> None:
        """The source's graph or the one kept from the last session: fitted, and the
        direction Auto chose for it named (not "Auto direction" until the kernel's)."""
        self.view.fit_all()
        self.looks.show_direction(self.workspace.graph.direction)

    def _on_graph_shown(self, snapshot: GraphSnapshot, first: bool) -> None:
        if first:
            self.view.fit_all()
            QTimer.singleShot(0, self.view.fit_all)
            self.looks.show_direction(self.workspace.graph.direction)
        elif self.view.fitted and not self.view.visible_scene_rect().contains(
            self.scene.graph_rect()
        ):
            self.view.fit_all()  # a view the user never moved keeps showing the whole graph
        self._later.add(
            self.run_controller.signing.refresh
        )  # a turn of its own: 30 ms at 5,000 nodes

    def _on_notice(self, notice: Notice) -> None:
        offer: Offer | None = None
        if notice.cause is Cause.SLOW_LOAD:
            offer = ("Interrupt", self.commands.interrupt_load)
        if notice.cause is Cause.MISSING_PACKAGE:
            offer = self.project_session.environment_offer()
            if offer is not None:
                notice = replace(
                    notice,
                    text=notice.text + " The project has its own environment, which may have it.",
                )
        self.banner.show_notice(notice, offer)

    def _anchor(self) -> str | None:
        selected = self.scene.selected_keys()
        return selected[0] if selected else self.view.node_nearest_centre()

    # -- window events --------------------------------------------------------------

    def keyPressEvent(self, event: Any) -> None:
        if event.key() == Qt.Key.Key_Escape and self.search_field.hasFocus():
            self.search_field.clear()
            self.view.setFocus()
            return
        super().keyPressEvent(event)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self._place_legend)

    def _place_legend(self) -> None:
        viewport = self.view.viewport()
        self.legend.move(12, viewport.height() - self.legend.height() - 12)
        self.navigation.place_overlays()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _dropped_folder(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        folder = _dropped_folder(event)
        if folder is not None:
            event.acceptProposedAction()
            self.open_folder(folder)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.save_window(self.saveGeometry(), self.saveState())
        self.settings.set("legend", "1" if self.actions["legend"].isChecked() else "0")
        self.project_session.save()
        self.settings.sync()
        self.shutdown(wait=False)
        super().closeEvent(event)

    def shutdown(self, wait: bool = True) -> None:
        """Stop the kernel and the watcher; safe to call more than once. Without `wait`
        (a window closing) the kernel ends on a thread, the window goes at once."""
        if self._shut_down:
            return
        self._shut_down = True
        self.workspace.selection.changed.disconnect(self.panel_sync.selection_changed)
        self.console.detach()
        self.controller.shutdown()
        self.run_controller.shutdown()
        self.session.shutdown(wait)
        heap.settle()  # a hold for a drawing this window no longer makes


def _dropped_folder(event: QDragEnterEvent | QDropEvent) -> Path | None:
    for url in event.mimeData().urls():
        if url.isLocalFile() and Path(url.toLocalFile()).is_dir():
            return Path(url.toLocalFile())
    return None
