"""The studio's main window: the canvas in the middle, panels in docks, commands around.

The window builds the parts and wires them to the workspace (the models
of `studio.core.model`): the graph controller and run controller write
into it, the canvas and panels follow it. Commands are declared in
`window_actions`, a project's opening lives in `project_session`, the
status bar in `status_bar`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QIcon
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from studio import __version__
from studio.core.graph.snapshot import GraphSnapshot
from studio.core.interpreters.environments import project_environments
from studio.core.layout import Direction
from studio.core.model import Workspace
from studio.core.notices import Cause, Notice
from studio.core.resources import resources_root
from studio.core.runs.run_plan import RunMode
from studio.ui import heap
from studio.ui.actions import ActionRegistry
from studio.ui.app_settings import AppSettings
from studio.ui.canvas.canvas_message import CanvasMessage
from studio.ui.canvas.export import export_png, export_svg
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
from studio.ui.panels.interpreter_dialog import InterpreterDialog
from studio.ui.panels.run_log import RunLogPanel
from studio.ui.project.graph_controller import GraphController
from studio.ui.project.load_watch import LoadWatch
from studio.ui.project.loading_state import LoadingState
from studio.ui.project.project_session import Offer, ProjectSession
from studio.ui.results.results_panel import ResultsPanel
from studio.ui.runs.cache_limit_setting import CacheLimit
from studio.ui.runs.executor_picker import ExecutorPicker
from studio.ui.runs.run_controller import RunController
from studio.ui.theme import Theme, apply_to_application
from studio.ui.window import window_actions
from studio.ui.window.export_dialog import export_graph
from studio.ui.window.panel_sync import RUN_PROBLEM, PanelSync
from studio.ui.window.status_bar import StudioStatusBar
from studio.ui.window.window_docks import WindowDocks


class MainWindow(QMainWindow):
    def __init__(
        self, settings: AppSettings, theme: Theme, session: KernelSession | None = None
    ) -> None:
        super().__init__()
        self.settings = settings
        self.theme = theme
        self.setAcceptDrops(True)
        icon = resources_root() / "icons" / "dataflow-studio.svg"
        if icon.exists():
            self.setWindowIcon(QIcon(str(icon)))
        self.workspace = Workspace()
        self.session = session or KernelSession()
        self.session.setParent(self)
        self.scene = GraphScene(theme, self.workspace)
        self.scene.filled.connect(heap.settle)
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
        self.runs = RunController(self.session, self.workspace, self.controller, self)
        self.project = ProjectSession(settings, self.workspace, self.session, self.controller)
        self._later = SlicedWork(self)
        """Follow-up work after a redraw, in turns of its own."""
        self._shut_down = False
        self._build_central()
        self._build_docks()
        self.dataflow_label = QLabel(" Dataflow ")
        self.dataflow_combo = QComboBox()
        self.dataflow_combo.setMinimumContentsLength(12)
        self.dataflow_combo.setToolTip("This folder has several dataflows (drivers): pick one")
        self.search_field = QLineEdit()
        self.search_field.setPlaceholderText("Search nodes (Ctrl+F)")
        self.search_field.setClearButtonEnabled(True)
        self.search_field.setFixedWidth(240)
        self.search_count = QLabel("")
        self.search_count.setMinimumWidth(60)
        self.navigation = CanvasNavigation(
            self.view,
            self.workspace,
            self.controller,
            self.search_field,
            self.search_count,
            theme,
            self,
        )
        self.executor = ExecutorPicker(self.workspace, self.session, self.runs, self)
        self.actions = ActionRegistry(self.view, self)
        window_actions.declare(self, self.actions)
        window_actions.place(self, self.actions)
        self.navigation.bind(self.actions)
        self._show_dataflow_selector(False)
        self.loading = LoadingState(
            self.canvas_message, self.workspace, self.session, self.controller
        )
        self.load_watch = LoadWatch(self.controller, self.session)
        self.cache_limit = CacheLimit(self, settings, self.runs, self.actions)
        self.status = StudioStatusBar(
            self.statusBar(), self.session, self.workspace, self.controller, self.runs
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
        layout.addWidget(self.banner)
        layout.addWidget(self.view, 1)
        self.setCentralWidget(central)

    def _build_docks(self) -> None:
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

    def _connect(self) -> None:
        self.panels = PanelSync(self)
        self.workspace.project.opened.connect(self._on_project_opened)
        self.workspace.project.opened.connect(lambda _root: self._show_title())
        self.workspace.project.dataflows_changed.connect(self._show_title)
        self._show_title()
        self.workspace.graph.direction_changed.connect(self._show_direction)
        self.controller.graph_shown.connect(self._on_graph_shown)
        self.controller.preview_shown.connect(lambda _snapshot: self.view.fit_all())
        self.controller.notice.connect(self._on_notice)
        self.load_watch.notice.connect(self._on_notice)
        self.controller.notice_cleared.connect(self.banner.hide)
        self.project.notice.connect(lambda notice, offer: self.banner.show_notice(notice, offer))
        self.executor.notice.connect(lambda notice, offer: self.banner.show_notice(notice, offer))
        self.project.status.connect(self.status.message)
        self.project.interpreter_refused.connect(
            lambda text: QMessageBox.warning(self, "Project Interpreter", text)
        )
        self.inspector.node_link_activated.connect(self.go_to_node)
        self.results_panel.node_link_activated.connect(self.go_to_node)
        self.banner.location_requested.connect(self._show_location)
        self.config_editor.applied.connect(self.controller.set_config_overrides)
        self.dataflow_combo.activated.connect(
            lambda index: self.controller.choose_dataflow(self.dataflow_combo.itemText(index))
        )
        self.view.escape_pressed.connect(self._on_escape)
        self.view.node_menu_requested.connect(
            lambda name, at: window_actions.node_menu(self, name).popup(at)
        )
        self.view.module_menu_requested.connect(
            lambda module, at: window_actions.module_menu(self, module).popup(at)
        )
        self.view.canvas_menu_requested.connect(
            lambda at: window_actions.canvas_menu(self).popup(at)
        )
        self.view.edge_menu_requested.connect(
            lambda source, target, at: window_actions.edge_menu(self, source, target).popup(at)
        )
        self.graph_edits = GraphEdits(self.workspace, self.status, self)
        self.view.connect_requested.connect(self.graph_edits.connect_nodes)
        self.inspector.save_requested.connect(
            lambda excerpt, text: self.graph_edits.save_source(excerpt, text, self.inspector)
        )
        self.navigation.message.connect(lambda text: self.status.message(text, 4000))
        self.navigation.went_to_node.connect(lambda _name: self.panels.refresh_inspector())
        self.scene.node_activated.connect(lambda name: self.runs.run([name]))
        self.runs.problem.connect(
            lambda text: self.banner.show_message(BannerKind.ERROR, text, cause=RUN_PROBLEM)
        )
        self.runs.output_outside_run.connect(self.run_log.add_kernel_output)
        self.run_log.location_requested.connect(self._show_location)
        self.results_panel.content_shown.connect(lambda _kind: self.docks.grow_bottom())
        self.results_panel.status.connect(lambda text: self.status.message(text, 5000))
        self.session.ready.connect(lambda _info: self.results_panel.clear())

    def _restore_window(self) -> None:
        geometry = self.settings.window_geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 860)
        state = self.settings.window_state()
        if state is not None:
            self.restoreState(state)
        else:
            QTimer.singleShot(0, self.docks.first_sizes)
        self.workspace.graph.direction = Direction(
            self.settings.get("direction", Direction.AUTO.value)
        )
        self._show_direction(self.workspace.graph.direction)
        legend = self.settings.get("legend", "1") == "1"
        self.legend.setVisible(legend)
        self.actions["legend"].setChecked(legend)

    # -- projects -------------------------------------------------------------------

    def open_folder(self, folder: Path) -> bool:
        folder = Path(folder).expanduser()
        if not folder.is_dir():
            QMessageBox.warning(self, "Open Folder", f"{folder} is not a folder that exists.")
            return False
        self.project.open(folder)
        return True

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

    def choose_folder(self) -> None:
        root = self.workspace.project.root
        start = str(root.parent) if root else str(Path.home())
        folder = QFileDialog.getExistingDirectory(self, "Open Project Folder", start)
        if folder:
            self.open_folder(Path(folder))

    def choose_interpreter(self) -> None:
        root = self.workspace.project.root
        if root is None:
            return
        dialog = InterpreterDialog(
            project_environments(root), self.workspace.project.interpreter, self
        )
        if dialog.exec() == InterpreterDialog.DialogCode.Accepted:
            self.project.use_interpreter(dialog.chosen())

    def use_interpreter(self, python: Path | None) -> None:
        self.project.use_interpreter(python)

    def restart_kernel(self) -> None:
        self.project.restart_kernel()

    @property
    def last_interpreter_check(self) -> Any:
        return self.project.last_check

    def fill_recent_menu(self, menu: Any) -> None:
        folders = self.settings.recent_folders()
        for folder in folders:
            menu.addAction(folder, lambda f=folder: self.open_folder(Path(f)))
        if not folders:
            menu.addAction("No recent folders").setEnabled(False)
        else:
            menu.addSeparator()
            menu.addAction("Clear Recent", self.settings.clear_recent_folders)

    def _show_dataflow_selector(self, visible: bool) -> None:
        self.dataflow_label_action.setVisible(visible)
        self.dataflow_combo_action.setVisible(visible)

    # -- what the controllers report -----------------------------------------------------

    def _on_graph_shown(self, snapshot: GraphSnapshot, first: bool) -> None:
        QTimer.singleShot(0, heap.settle)
        if first:
            self.view.fit_all()
            QTimer.singleShot(0, self.view.fit_all)
            self._show_direction(self.workspace.graph.direction)
        elif self.view.fitted and not self.view.visible_scene_rect().contains(
            self.scene.graph_rect()
        ):
            self.view.fit_all()  # a view the user never moved keeps showing the whole graph
        self._later.add(self.runs.refresh_staleness)  # a turn of its own: 30 ms at 5,000 nodes

    def _on_notice(self, notice: Notice) -> None:
        offer: Offer | None = None
        if notice.cause is Cause.SLOW_LOAD:
            offer = ("Interrupt", self.interrupt_load)
        if notice.cause is Cause.MISSING_PACKAGE:
            offer = self.project.environment_offer()
            if offer is not None:
                notice = replace(
                    notice,
                    text=notice.text + " The project has its own environment, which may have it.",
                )
        self.banner.show_notice(notice, offer)

    # -- runs -----------------------------------------------------------------------

    def run_selected(self, mode: RunMode, recompute: bool = False) -> None:
        self.runs.run(self.workspace.selection.names(), mode, recompute)

    def stop_run(self) -> None:
        if self.runs.stop():
            self.status.message("Stopping the run…", 3000)

    def clear_results(self) -> None:
        self.runs.clear_results()
        self.status.message("Results cleared (memory and on-disk cache)", 4000)

    def interrupt_load(self) -> None:
        if self.load_watch.interrupt():
            self.status.message("Interrupting the load…", 3000)

    def _on_escape(self) -> None:
        if self.runs.running:
            self.stop_run()
        elif self.load_watch.interrupt():
            self.status.message("Interrupting the load…", 3000)
        elif not self.navigation.show_whole_graph():
            self.clear_selection()

    def send_to_console(self, name: str) -> None:
        self.docks.show("console")
        self.console.insert(f'results["{name}"]')

    def show_in_inspector(self, name: str) -> None:
        self.docks.show("inspector")
        self.go_to_node(name)

    # -- selection, inspector, search ----------------------------------------------------

    def go_to_node(self, name: str) -> None:
        self.navigation.go_to_node(name)

    def clear_selection(self) -> None:
        if self.search_field.text():
            self.search_field.clear()
        self.workspace.selection.set_keys(())

    def _show_location(self, file: str, line: int) -> None:
        self.docks.show("inspector")
        self.inspector.show_location(file, line)

    def focus_search(self) -> None:
        self.navigation.focus_search()

    def keyPressEvent(self, event: Any) -> None:
        if event.key() == Qt.Key.Key_Escape and self.search_field.hasFocus():
            self.search_field.clear()
            self.view.setFocus()
            return
        super().keyPressEvent(event)

    # -- view -----------------------------------------------------------------------

    def _anchor(self) -> str | None:
        selected = self.scene.selected_keys()
        return selected[0] if selected else self.view.node_nearest_centre()

    def toggle_direction(self) -> None:
        """Auto, then left to right, then top to bottom, then auto again."""
        order = [Direction.AUTO, Direction.LEFT_RIGHT, Direction.TOP_BOTTOM]
        direction = order[(order.index(self.workspace.graph.direction) + 1) % len(order)]
        self.settings.set("direction", direction.value)
        self.controller.set_direction(direction)

    def _show_direction(self, direction: Direction) -> None:
        drawn = self.scene.direction if self.scene.drawn is not None else None
        self.actions["direction"].setText(window_actions.direction_label(direction, drawn))

    def set_engine(self, engine: str) -> None:
        self.controller.set_engine(engine)

    def toggle_legend(self) -> None:
        self.legend.setVisible(self.actions["legend"].isChecked())

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_to_application(app, theme)
        for part in (
            self.scene,
            self.legend,
            self.canvas_message,
            self.banner,
            self.inspector,
            self.console,
            self.navigation,
        ):
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

    def _export(self, suffix: str, exporter: Any) -> None:
        target = export_graph(self, self.scene, self.workspace.project, suffix, exporter)
        if target is not None:
            self.status.message(f"Exported to {target}", 5000)

    def show_shortcuts(self) -> None:
        rows = self.actions.shortcuts()
        text = "".join(f"<tr><td><b>{k}</b>&nbsp;&nbsp;</td><td>{v}</td></tr>" for k, v in rows)
        QMessageBox.information(self, "Keyboard Shortcuts", f"<table>{text}</table>")

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About Dataflow Studio",
            f"<b>Dataflow Studio</b> {__version__}<br>"
            "A visual editor for Apache Hamilton dataflows.",
        )

    # -- window events --------------------------------------------------------------

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
        self.project.save()
        self.settings.sync()
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop the kernel and the watcher; safe to call more than once."""
        if self._shut_down:
            return
        self._shut_down = True
        self.workspace.selection.changed.disconnect(self.panels.selection_changed)
        self.console.detach()
        self.controller.shutdown()
        self.session.shutdown()


def _dropped_folder(event: QDragEnterEvent | QDropEvent) -> Path | None:
    for url in event.mimeData().urls():
        if url.isLocalFile() and Path(url.toLocalFile()).is_dir():
            return Path(url.toLocalFile())
    return None
