"""The studio's main window: canvas in the middle, inspector and config docks, menus."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QSize, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QIcon,
    QKeySequence,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDockWidget,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from studio import __version__
from studio.core.environments import project_environments
from studio.core.layout import Direction
from studio.core.notices import Cause, Notice
from studio.core.project import Dataflow
from studio.core.protocol import RunStatus
from studio.core.resources import example_path, resources_root
from studio.core.run_plan import RunMode
from studio.core.snapshot import GraphSnapshot, NodeRole
from studio.ui import heap
from studio.ui.app_settings import AppSettings, cache_dir_for
from studio.ui.canvas.export import export_png, export_svg
from studio.ui.canvas.legend import Legend
from studio.ui.canvas.scene import GraphScene
from studio.ui.canvas.sliced_work import SlicedWork
from studio.ui.canvas.view import GraphView
from studio.ui.console_panel import ConsolePanel
from studio.ui.graph_controller import GraphController
from studio.ui.kernel.interpreter import InterpreterCheck, InterpreterChecker
from studio.ui.kernel.session import KernelSession, KernelState
from studio.ui.navigation import CanvasNavigation
from studio.ui.panels.banner import Banner, BannerKind
from studio.ui.panels.config_editor import ConfigEditor
from studio.ui.panels.inputs_panel import InputsPanel
from studio.ui.panels.inspector import InspectorPanel
from studio.ui.panels.interpreter_dialog import InterpreterDialog
from studio.ui.panels.run_log import RunLogPanel
from studio.ui.results.results_panel import ResultsPanel
from studio.ui.run_controller import RunController
from studio.ui.theme import THEMES, Theme, apply_to_application

EXAMPLES = ("spaceflights", "decorators")
_STATE_COLOURS = {
    KernelState.STOPPED: "#8a94a3",
    KernelState.STARTING: "#d9a21b",
    KernelState.IDLE: "#2fa84f",
    KernelState.BUSY: "#2f6fdf",
    KernelState.DEAD: "#d62d2d",
}


class MainWindow(QMainWindow):
    def __init__(self, settings: AppSettings, theme: Theme) -> None:
        super().__init__()
        self.settings = settings
        self.theme = theme
        self.setWindowTitle("Dataflow Studio")
        self.setAcceptDrops(True)
        icon = resources_root() / "icons" / "dataflow-studio.svg"
        if icon.exists():
            self.setWindowIcon(QIcon(str(icon)))
        self.session = KernelSession(self)
        self.scene = GraphScene(theme)
        self.scene.filled.connect(heap.settle)
        self.scene.setParent(self)
        self.view = GraphView(self.scene)
        self.legend = Legend(theme, self.view)
        self.legend.resized.connect(self._place_legend)
        self.banner = Banner(theme)
        self.inspector = InspectorPanel(theme)
        self.config_editor = ConfigEditor()
        self.inputs_panel = InputsPanel()
        self.run_log = RunLogPanel()
        self.results_panel = ResultsPanel(self.session)
        self.console = ConsolePanel(self.session, theme)
        self.controller = GraphController(self.session, self.scene, self._anchor, self)
        self._later = SlicedWork(self)
        """Follow-up work after a redraw, in turns of its own."""
        self.runs = RunController(
            self.session, self.controller, self.inputs_panel.expressions, self
        )
        self._input_values: dict[str, dict[str, str]] = {}
        self.interpreter_checker = InterpreterChecker(self)
        self.interpreter_checker.checked.connect(self._on_interpreter_checked)
        self._pending_interpreter: tuple[Path, bool] | None = None
        self._opening = Path()
        self.last_interpreter_check: InterpreterCheck | None = None
        self._project_state: dict[str, Any] = {}
        self._shut_down = False
        self._build_central()
        self._build_docks()
        self._build_toolbar()
        self.navigation = CanvasNavigation(
            self.view, self.controller, self.search_field, self.search_count, theme, self
        )
        self._build_status_bar()
        self._build_menus()
        self._connect()
        self._restore_window()

    # -- construction ---------------------------------------------------------

    def _build_central(self) -> None:
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.view, 1)
        self.setCentralWidget(central)

    def _build_docks(self) -> None:
        self.inspector_dock = QDockWidget("Inspector", self)
        self.inspector_dock.setObjectName("inspector")
        self.inspector_dock.setWidget(self.inspector)
        self.config_dock = QDockWidget("Config", self)
        self.config_dock.setObjectName("config")
        self.config_dock.setWidget(self.config_editor)
        self.inputs_dock = QDockWidget("Inputs", self)
        self.inputs_dock.setObjectName("inputs")
        self.inputs_dock.setWidget(self.inputs_panel)
        self.run_log_dock = QDockWidget("Run Log", self)
        self.run_log_dock.setObjectName("run-log")
        self.run_log_dock.setWidget(self.run_log)
        self.results_dock = QDockWidget("Results", self)
        self.results_dock.setObjectName("results")
        self.results_dock.setWidget(self.results_panel)
        self.console_dock = QDockWidget("Console", self)
        self.console_dock.setObjectName("console")
        self.console_dock.setWidget(self.console)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.inspector_dock)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.inputs_dock)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.config_dock)
        self.tabifyDockWidget(self.inspector_dock, self.inputs_dock)
        self.tabifyDockWidget(self.inputs_dock, self.config_dock)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.results_dock)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.run_log_dock)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.console_dock)
        self.tabifyDockWidget(self.results_dock, self.run_log_dock)
        self.tabifyDockWidget(self.run_log_dock, self.console_dock)
        self.results_dock.raise_()
        self.inspector_dock.raise_()

    def _build_toolbar(self) -> None:
        bar = QToolBar("Main", self)
        bar.setObjectName("main-toolbar")
        bar.setMovable(False)
        bar.setIconSize(QSize(16, 16))
        self.addToolBar(bar)
        self.toolbar = bar
        self.open_action = QAction("Open…", self)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_action.setToolTip("Open a project folder (Ctrl+O)")
        self.open_action.triggered.connect(self.choose_folder)
        bar.addAction(self.open_action)
        bar.addSeparator()
        self.run_action = QAction("▶ Run", self)
        self.run_action.setShortcut(QKeySequence("Ctrl+Return"))
        self.run_action.setToolTip("Run the selected nodes and what they need (Ctrl+Enter)")
        self.run_action.triggered.connect(lambda: self.run_selected(RunMode.UPSTREAM))
        self.run_all_action = QAction("Run All", self)
        self.run_all_action.setShortcut(QKeySequence("Ctrl+Shift+Return"))
        self.run_all_action.setToolTip("Compute every sink of the graph (Ctrl+Shift+Enter)")
        self.run_all_action.triggered.connect(lambda: self.runs.run([], RunMode.ALL))
        self.stop_action = QAction("■ Stop", self)
        self.stop_action.setToolTip("Interrupt the running node (Esc)")
        self.stop_action.setEnabled(False)
        self.stop_action.triggered.connect(self.stop_run)
        self.run_downstream_action = QAction("Run Downstream", self)
        self.run_downstream_action.setToolTip(
            "Run the selected nodes and everything that uses them"
        )
        self.run_downstream_action.triggered.connect(lambda: self.run_selected(RunMode.DOWNSTREAM))
        self.recompute_action = QAction("Recompute", self)
        self.recompute_action.setShortcut(QKeySequence("Ctrl+Alt+Return"))
        self.recompute_action.setToolTip("Run the selected nodes without reusing any result")
        self.recompute_action.triggered.connect(
            lambda: self.run_selected(RunMode.UPSTREAM, recompute=True)
        )
        self.clear_results_action = QAction("Clear Results", self)
        self.clear_results_action.setToolTip("Forget results in the kernel and on disk")
        self.clear_results_action.triggered.connect(self.clear_results)
        for action in (self.run_action, self.run_all_action, self.stop_action):
            bar.addAction(action)
        bar.addSeparator()
        self.dataflow_label = QLabel(" Dataflow ")
        self.dataflow_combo = QComboBox()
        self.dataflow_combo.setMinimumContentsLength(12)
        self.dataflow_combo.setToolTip("This folder has several dataflows (drivers): pick one")
        self.dataflow_label_action = bar.addWidget(self.dataflow_label)
        self.dataflow_combo_action = bar.addWidget(self.dataflow_combo)
        self._show_dataflow_selector(False)
        self.fit_action = QAction("Fit", self)
        self.fit_action.setShortcut(QKeySequence("F"))
        self.fit_action.setToolTip("Fit the whole graph in view (F)")
        self.fit_action.triggered.connect(self.view.fit_all)
        self.direction_action = QAction("Left to right", self)
        self.direction_action.setCheckable(True)
        self.direction_action.setChecked(True)
        self.direction_action.setShortcut(QKeySequence("Ctrl+L"))
        self.direction_action.setToolTip("Lay out left to right or top to bottom (Ctrl+L)")
        self.direction_action.toggled.connect(self._on_direction_toggled)
        bar.addAction(self.fit_action)
        bar.addAction(self.direction_action)
        spacer = QWidget()
        spacer.setSizePolicy(
            spacer.sizePolicy().horizontalPolicy().Expanding, spacer.sizePolicy().verticalPolicy()
        )
        bar.addWidget(spacer)
        self.search_field = QLineEdit()
        self.search_field.setPlaceholderText("Search nodes (Ctrl+F)")
        self.search_field.setClearButtonEnabled(True)
        self.search_field.setFixedWidth(240)
        self.search_count = QLabel("")
        self.search_count.setMinimumWidth(60)
        bar.addWidget(self.search_field)
        bar.addWidget(self.search_count)

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.kernel_label = QLabel()
        self.graph_label = QLabel("no graph")
        self.timing_label = QLabel("")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setFixedWidth(120)
        self.progress.setMaximumHeight(14)
        self.progress.hide()
        self.run_progress = QProgressBar()
        self.run_progress.setFixedWidth(160)
        self.run_progress.setMaximumHeight(14)
        self.run_progress.setFormat("%v of %m nodes")
        self.run_progress.hide()
        status.addWidget(self.kernel_label)
        status.addWidget(self.graph_label)
        status.addPermanentWidget(self.run_progress)
        status.addPermanentWidget(self.progress)
        status.addPermanentWidget(self.timing_label)
        self._update_kernel_label(KernelState.STOPPED.value)

    def _build_menus(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        file_menu.addAction(self.open_action)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        examples = file_menu.addMenu("Open &Example")
        for name in EXAMPLES:
            examples.addAction(name, lambda n=name: self.open_folder(example_path(n)))
        file_menu.addSeparator()
        file_menu.addAction("Export as &PNG…", self.export_png, QKeySequence("Ctrl+E"))
        file_menu.addAction("Export as &SVG…", self.export_svg, QKeySequence("Ctrl+Shift+E"))
        file_menu.addSeparator()
        quit_action = file_menu.addAction("&Quit", self.close)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)

        view_menu = menu.addMenu("&View")
        self.find_action = view_menu.addAction(
            "&Find Node…", self.focus_search, QKeySequence.StandardKey.Find
        )
        view_menu.addSeparator()
        self._add_view_action(view_menu, self.fit_action)
        self._add_view_action(
            view_menu,
            QAction("Zoom &In", self, shortcut=QKeySequence("+"), triggered=self.view.zoom_in),
        )
        self._add_view_action(
            view_menu,
            QAction("Zoom &Out", self, shortcut=QKeySequence("-"), triggered=self.view.zoom_out),
        )
        self._add_view_action(
            view_menu,
            QAction(
                "&Actual Size",
                self,
                shortcut=QKeySequence("Ctrl+0"),
                triggered=self.view.reset_zoom,
            ),
        )
        view_menu.addAction("&Clear Selection", self.clear_selection)
        view_menu.addSeparator()
        view_menu.addAction(self.direction_action)
        engines = view_menu.addMenu("Layout &Engine")
        self.engine_group = QActionGroup(self)
        for key, label in (
            ("auto", "Automatic (by size)"),
            ("dot", "Graphviz dot"),
            ("grouped", "Modules as boxes (fast)"),
            ("layered", "Flat layered (fast)"),
        ):
            action = engines.addAction(label, lambda k=key: self._set_engine(k))
            action.setCheckable(True)
            action.setChecked(key == "auto")
            self.engine_group.addAction(action)
        themes = view_menu.addMenu("&Theme")
        self.theme_group = QActionGroup(self)
        for name in THEMES:
            action = themes.addAction(name.capitalize(), lambda n=name: self.set_theme(THEMES[n]))
            action.setCheckable(True)
            action.setChecked(name == self.theme.name)
            self.theme_group.addAction(action)
        self.legend_action = view_menu.addAction("Show &Legend")
        self.legend_action.setCheckable(True)
        self.legend_action.setChecked(True)
        self.legend_action.toggled.connect(self.legend.setVisible)
        view_menu.addSeparator()
        for dock in (
            self.inspector_dock,
            self.inputs_dock,
            self.config_dock,
            self.results_dock,
            self.run_log_dock,
            self.console_dock,
        ):
            view_menu.addAction(dock.toggleViewAction())
        view_menu.addSeparator()
        reload_action = view_menu.addAction("&Reload Graph", self.controller.reload)
        reload_action.setShortcut(QKeySequence("F5"))

        graph_menu = menu.addMenu("&Graph")
        self.navigation.fill_menu(graph_menu)

        run_menu = menu.addMenu("&Run")
        for action in (
            self.run_action,
            self.run_downstream_action,
            self.recompute_action,
            self.run_all_action,
        ):
            run_menu.addAction(action)
        run_menu.addSeparator()
        run_menu.addAction(self.stop_action)
        run_menu.addSeparator()
        run_menu.addAction(self.clear_results_action)

        kernel_menu = menu.addMenu("&Kernel")
        restart = kernel_menu.addAction("&Restart Kernel", self.restart_kernel)
        restart.setShortcut(QKeySequence("Ctrl+Shift+R"))
        kernel_menu.addAction("Project &Interpreter…", self.choose_interpreter)

        help_menu = menu.addMenu("&Help")
        help_menu.addAction("&Keyboard Shortcuts", self._show_shortcuts)
        help_menu.addAction("&About Dataflow Studio", self._show_about)

    def _add_view_action(self, menu: Any, action: QAction) -> None:
        """Single-key shortcuts act on the canvas only, so typing elsewhere is not hijacked."""
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.view.addAction(action)
        menu.addAction(action)

    def _connect(self) -> None:
        self.session.state_changed.connect(self._update_kernel_label)
        self.session.ready.connect(
            lambda _info: self._update_kernel_label(self.session.state.value)
        )
        self.controller.project_loaded.connect(self._on_project_loaded)
        self.controller.graph_shown.connect(self._on_graph_shown)
        self.controller.banner.connect(self._on_banner)
        self.controller.banner_cleared.connect(self.banner.hide)
        self.controller.busy_changed.connect(self._on_busy)
        self.scene.selectionChanged.connect(self._on_selection)
        self.inspector.node_link_activated.connect(self.go_to_node)
        self.banner.location_requested.connect(self._show_location)
        self.config_editor.applied.connect(self.controller.set_config_overrides)
        self.dataflow_combo.activated.connect(
            lambda index: self.controller.choose_dataflow(self.dataflow_combo.itemText(index))
        )
        self.view.escape_pressed.connect(self._on_escape)
        self.view.node_menu_requested.connect(self._show_node_menu)
        self.view.module_menu_requested.connect(self._show_module_menu)
        self.navigation.message.connect(lambda text: self.statusBar().showMessage(text, 4000))
        self.navigation.went_to_node.connect(lambda _name: self._refresh_inspector())
        self.scene.node_activated.connect(lambda name: self.runs.run([name]))
        self.runs.running_changed.connect(self._on_running_changed)
        self.runs.progress.connect(self._on_run_progress)
        self.runs.run_added.connect(self._on_run_added)
        self.runs.run_updated.connect(self.run_log.update_run)
        self.runs.missing_inputs.connect(self._on_missing_inputs)
        self.runs.problem.connect(lambda text: self.banner.show_message(BannerKind.ERROR, text))
        self.runs.output_outside_run.connect(self.run_log.add_kernel_output)
        self.run_log.location_requested.connect(self._show_location)
        self.inputs_panel.changed.connect(self._on_inputs_changed)
        self.results_panel.status.connect(lambda text: self.statusBar().showMessage(text, 5000))
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
            QTimer.singleShot(
                0,
                lambda: self.resizeDocks([self.inspector_dock], [440], Qt.Orientation.Horizontal),
            )
        direction = self.settings.get("direction", Direction.LEFT_RIGHT.value)
        self.direction_action.setChecked(direction == Direction.LEFT_RIGHT.value)
        self.controller.direction = Direction(direction)
        self.legend.setVisible(self.settings.get("legend", "1") == "1")
        self.legend_action.setChecked(
            self.legend.isVisible() or self.settings.get("legend", "1") == "1"
        )

    # -- projects -------------------------------------------------------------

    def open_folder(self, folder: Path) -> bool:
        folder = Path(folder).expanduser()
        if not folder.is_dir():
            QMessageBox.warning(self, "Open Folder", f"{folder} is not a folder that exists.")
            return False
        self._save_project_state()
        heap.thaw()
        root = folder.resolve()
        state = self.settings.project_state(root)
        self.inspector.root = root
        self.inspector.show_node(None)
        self.settings.add_recent_folder(root)
        self.setWindowTitle(f"{root.name} — Dataflow Studio")
        self.graph_label.setText("loading…")
        self._input_values = dict(state.get("inputs", {}))
        self._project_state = state
        self.controller.cache_dir = cache_dir_for(root)
        interpreter = state.get("interpreter")
        self._pending_interpreter = None
        if interpreter:
            # The project runs in its own Python: check it before the kernel starts there.
            self.statusBar().showMessage(f"Checking {interpreter}…")
            self._opening = root
            self._pending_interpreter = (Path(interpreter), True)
            self.interpreter_checker.check(Path(interpreter))
        else:
            self._start_project(root, None)
            self._offer_project_environment(root)
        return True

    def _start_project(self, root: Path, interpreter: Path | None) -> None:
        state = self._project_state
        self.session.interpreter = interpreter
        self.controller.open_project(root, state.get("dataflow"), state.get("config", {}))

    def _offer_project_environment(self, root: Path) -> None:
        environments = project_environments(root)
        if not environments or self._project_state.get("interpreter") == "":
            return
        environment = environments[0]
        self.banner.show_message(
            BannerKind.INFO,
            f"This project has its own Python environment ({environment.label}). Run its "
            "code there, with its libraries?",
            action=(f"Use {environment.label}", lambda: self.use_interpreter(environment.python)),
        )

    def choose_interpreter(self) -> None:
        root = self.controller.root
        if root is None:
            return
        dialog = InterpreterDialog(project_environments(root), self.session.interpreter, self)
        if dialog.exec() == InterpreterDialog.DialogCode.Accepted:
            self.use_interpreter(dialog.chosen())

    def use_interpreter(self, python: Path | None) -> None:
        """Switch the kernel to `python` (None: the studio's own) once it checks out."""
        if python is None:
            self._project_state["interpreter"] = ""
            self.session.interpreter = None
            self.statusBar().showMessage("Restarting the kernel in the studio's Python…", 4000)
            self.session.restart()
            return
        self.statusBar().showMessage(f"Checking {python}…")
        self._pending_interpreter = (python, False)
        self.interpreter_checker.check(python)

    def _on_interpreter_checked(self, check: InterpreterCheck) -> None:
        self.last_interpreter_check = check
        pending, self._pending_interpreter = self._pending_interpreter, None
        if pending is None or pending[0] != check.python:
            return
        python, opening = pending
        self.statusBar().clearMessage()
        if opening:
            root = self._opening
            if check.ok:
                self._start_project(root, python)
            else:
                self._start_project(root, None)
                self.banner.show_message(
                    BannerKind.ERROR,
                    f"{check.describe()}\nThe studio's own Python runs the project meanwhile.",
                )
            return
        if not check.ok:
            QMessageBox.warning(self, "Project Interpreter", check.describe())
            return
        self._project_state["interpreter"] = str(python)
        self.session.interpreter = python
        self.statusBar().showMessage(f"Restarting the kernel in {check.describe()}…", 5000)
        self.session.restart()

    def choose_folder(self) -> None:
        start = str(self.controller.root.parent) if self.controller.root else str(Path.home())
        folder = QFileDialog.getExistingDirectory(self, "Open Project Folder", start)
        if folder:
            self.open_folder(Path(folder))

    def restart_kernel(self) -> None:
        self.statusBar().showMessage("Restarting the kernel…", 3000)
        self.session.restart()

    def _save_project_state(self) -> None:
        root = self.controller.root
        if root is not None:
            self.settings.save_project_state(
                root,
                {
                    "dataflow": self.controller.dataflow,
                    "config": self.controller.config_overrides,
                    "inputs": self._input_values,
                    "interpreter": self._project_state.get("interpreter"),
                },
            )

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        folders = self.settings.recent_folders()
        for folder in folders:
            self.recent_menu.addAction(folder, lambda f=folder: self.open_folder(Path(f)))
        if not folders:
            self.recent_menu.addAction("No recent folders").setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction("Clear Recent", self.settings.clear_recent_folders)

    # -- controller signals ---------------------------------------------------

    def _on_project_loaded(self, project: dict[str, Any]) -> None:
        names = [d["name"] for d in project["dataflows"]]
        self.dataflow_combo.blockSignals(True)
        self.dataflow_combo.clear()
        self.dataflow_combo.addItems(names)
        for index, details in enumerate(project["dataflows"]):
            self.dataflow_combo.setItemData(
                index, Dataflow.from_dict(details).describe(), Qt.ItemDataRole.ToolTipRole
            )
        if self.controller.dataflow in names:
            self.dataflow_combo.setCurrentText(self.controller.dataflow)
        self.dataflow_combo.blockSignals(False)
        self._show_dataflow_selector(len(names) > 1)
        flow = self.controller.current_dataflow()
        if flow is not None:
            overrides = self.controller.config_overrides.get(flow.name, {})
            self.config_editor.set_config(flow.config, overrides, flow.config_hints)
            root = self.controller.root
            title = root.name if root else ""
            self.setWindowTitle(f"{title} · {flow.name} — Dataflow Studio")

    def _on_graph_shown(self, snapshot: GraphSnapshot, first: bool) -> None:
        QTimer.singleShot(0, heap.settle)
        edges = len(snapshot.edges())
        modules = len({n.group for n in snapshot.nodes if n.group})
        collapsed = len(self.controller.collapsed)
        folded = f" ({collapsed} collapsed)" if collapsed else ""
        self.graph_label.setText(
            f"{len(snapshot.nodes):,} nodes · {edges:,} edges · {modules} modules{folded}"
        )
        timings = self.controller.timings
        parts = []
        if "load" in timings:
            parts.append(f"load {timings['load'] * 1000:.0f} ms")
        if "layout" in timings:
            parts.append(
                f"{timings.get('layout_engine', '')} layout {timings['layout'] * 1000:.0f} ms"
            )
        self.timing_label.setText(" · ".join(parts))
        if first:
            self.view.fit_all()
            QTimer.singleShot(0, self.view.fit_all)
        self._refresh_inputs(snapshot)
        self._later.add(self.runs.refresh_staleness)  # a turn of its own: 30 ms at 5,000 nodes
        self._refresh_inspector()

    def _on_banner(self, notice: Notice) -> None:
        action = None
        root = self.controller.root
        missing = notice.cause is Cause.MISSING_PACKAGE
        if missing and self.session.interpreter is None and root is not None:
            environments = project_environments(root)
            if environments:
                environment = environments[0]
                notice = replace(
                    notice,
                    text=notice.text
                    + f" The project has its own environment ({environment.label}), which "
                    "may have it.",
                )
                action = (
                    f"Use {environment.label}",
                    lambda: self.use_interpreter(environment.python),
                )
        self.banner.show_notice(notice, action)

    def _on_busy(self, busy: bool, what: str) -> None:
        self.progress.setVisible(busy)
        if busy and what:
            self.statusBar().showMessage(what)
        elif not busy:
            self.statusBar().clearMessage()

    def _update_kernel_label(self, state: str) -> None:
        kernel_state = KernelState(state)
        colour = _STATE_COLOURS[kernel_state]
        info = self.session.info
        details = ""
        if info and kernel_state in (KernelState.IDLE, KernelState.BUSY):
            where = f" ({self.session.interpreter})" if self.session.interpreter else ""
            details = (
                f" · Python {info.get('python', '?')}{where} · Hamilton {info.get('hamilton', '?')}"
            )
        self.kernel_label.setText(f"<span style='color:{colour}'>●</span> Kernel {state}{details}")
        self.kernel_label.setToolTip(f"kernel process {info.get('pid', '–')}" if info else "")

    # -- runs -----------------------------------------------------------------

    def run_selected(self, mode: RunMode, recompute: bool = False) -> None:
        self.runs.run(self.scene.selected_names(), mode, recompute)

    def stop_run(self) -> None:
        if self.runs.stop():
            self.statusBar().showMessage("Stopping the run…", 3000)

    def clear_results(self) -> None:
        self.runs.clear_results()
        self.statusBar().showMessage("Results cleared (memory and on-disk cache)", 4000)

    def _on_escape(self) -> None:
        if self.runs.running:
            self.stop_run()
        elif not self.navigation.show_whole_graph():
            self.clear_selection()

    def _on_running_changed(self, running: bool) -> None:
        if not running:
            record = self.runs.records[-1] if self.runs.records else None
            selected = self.scene.selected_names()
            done = record is not None and record.status is RunStatus.DONE
            if done and len(selected) == 1 and selected[0] in record.targets:
                self.results_dock.show()
                self.results_dock.raise_()
            self._refresh_results()
        self.stop_action.setEnabled(running)
        for action in (self.run_action, self.run_all_action, self.run_downstream_action):
            action.setEnabled(not running)
        self.recompute_action.setEnabled(not running)
        self.run_progress.setVisible(running)
        if running:
            self.run_progress.setRange(0, 0)

    def _on_run_progress(self, finished: int, planned: int) -> None:
        self.run_progress.setRange(0, max(planned, 1))
        self.run_progress.setValue(finished)

    def _on_run_added(self, record: Any) -> None:
        self.run_log.add_run(record)
        self.run_log_dock.show()

    def _on_missing_inputs(self, names: list[str]) -> None:
        self.inputs_dock.show()
        self.inputs_dock.raise_()
        self.inputs_panel.mark_missing(names)
        snapshot = self.scene.snapshot
        described = ", ".join(f"{n} ({snapshot.node(n).type})" if snapshot else n for n in names)
        self.banner.show_message(
            BannerKind.ERROR,
            f"The run needs inputs that have no value: {described}. Type them in the "
            'Inputs panel (Python expressions, like "data/x.csv" or 42) and run again.',
        )

    def _on_inputs_changed(self) -> None:
        if self.controller.dataflow is not None:
            self._input_values[self.controller.dataflow] = self.inputs_panel.user_values()
        self.runs.refresh_staleness()

    def _refresh_inputs(self, snapshot: GraphSnapshot) -> None:
        flow = self.controller.current_dataflow()
        inputs = [(n.name, n.type) for n in snapshot.nodes if n.role is NodeRole.INPUT]
        defaults = {k: repr(v) for k, v in (flow.inputs if flow else {}).items()}
        values = self._input_values.get(self.controller.dataflow or "", {})
        hints = flow.input_hints if flow else {}
        self.inputs_panel.set_inputs(inputs, defaults, values, hints)

    def _show_node_menu(self, name: str, position: Any) -> None:
        menu = QMenu(self)
        menu.addAction(self.run_action)
        menu.addAction(self.run_downstream_action)
        menu.addAction(self.recompute_action)
        menu.addSeparator()
        menu.addAction("Show Source", lambda: self._show_in_inspector(name))
        menu.addAction("Send to Console", lambda: self.send_to_console(name))
        menu.addAction("Copy Name", lambda: QApplication.clipboard().setText(name))
        menu.addSeparator()
        for action in self.navigation.focus_actions.values():
            menu.addAction(action)
        info = self.scene.snapshot.node(name) if self.scene.snapshot else None
        if info is not None and info.group and not info.is_external_input:
            menu.addAction(f"Collapse Module {info.group}", self.navigation.toggle_selected_modules)
        menu.popup(position)

    def _show_module_menu(self, module: str, position: Any) -> None:
        menu = QMenu(self)
        menu.addAction(f"Expand Module {module}", lambda: self.navigation.expand_module(module))
        menu.addAction(self.navigation.expand_all_action)
        menu.addSeparator()
        menu.addAction(self.run_action)
        menu.addAction(self.run_downstream_action)
        menu.addSeparator()
        for action in self.navigation.focus_actions.values():
            menu.addAction(action)
        menu.popup(position)

    def send_to_console(self, name: str) -> None:
        self.console_dock.show()
        self.console_dock.raise_()
        self.console.insert(f'results["{name}"]')

    def _show_in_inspector(self, name: str) -> None:
        self.inspector_dock.show()
        self.inspector_dock.raise_()
        self.go_to_node(name)

    def _show_dataflow_selector(self, visible: bool) -> None:
        self.dataflow_label_action.setVisible(visible)
        self.dataflow_combo_action.setVisible(visible)

    # -- selection, inspector, search -----------------------------------------

    def _on_selection(self) -> None:
        self._refresh_inspector()
        self._refresh_results()

    def _refresh_results(self) -> None:
        names = self.scene.selected_names()
        if len(names) != 1:
            if not names:
                self.results_panel.clear()
            return
        name = names[0]
        self.results_panel.show_node(
            name, self.scene.run_state.get(name), self.runs.finished_at.get(name)
        )

    def _refresh_inspector(self) -> None:
        names = self.scene.selected_names()
        snapshot = self.scene.snapshot
        if len(names) == 1 and snapshot is not None:
            try:
                self.inspector.show_node(snapshot.node(names[0]), snapshot)
            except KeyError:
                self.inspector.show_node(None)
        elif not names:
            self.inspector.show_node(None)

    def go_to_node(self, name: str) -> None:
        self.navigation.go_to_node(name)

    def clear_selection(self) -> None:
        if self.search_field.text():
            self.search_field.clear()
        self.scene.clearSelection()

    def _show_location(self, file: str, line: int) -> None:
        self.inspector_dock.show()
        self.inspector_dock.raise_()
        self.inspector.show_location(file, line)

    def focus_search(self) -> None:
        self.navigation.focus_search()

    def keyPressEvent(self, event: Any) -> None:
        if event.key() == Qt.Key.Key_Escape and self.search_field.hasFocus():
            self.search_field.clear()
            self.view.setFocus()
            return
        super().keyPressEvent(event)

    # -- view -----------------------------------------------------------------

    def _anchor(self) -> str | None:
        selected = self.scene.selected_names()
        return selected[0] if selected else self.view.node_nearest_centre()

    def _on_direction_toggled(self, left_to_right: bool) -> None:
        direction = Direction.LEFT_RIGHT if left_to_right else Direction.TOP_BOTTOM
        self.direction_action.setText("Left to right" if left_to_right else "Top to bottom")
        self.settings.set("direction", direction.value)
        self.controller.set_direction(direction)

    def _set_engine(self, engine: str) -> None:
        self.controller.engine = engine
        self.controller.relayout(first=True)

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_to_application(app, theme)
        for part in (
            self.scene,
            self.legend,
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
        self._export("PNG image (*.png)", ".png", export_png)

    def export_svg(self) -> None:
        self._export("SVG drawing (*.svg)", ".svg", export_svg)

    def _export(self, filter_text: str, suffix: str, exporter: Any) -> None:
        if not (self.scene.nodes or self.scene.modules):
            QMessageBox.information(self, "Export", "There is no graph to export yet.")
            return
        name = (self.controller.dataflow or "graph") + suffix
        start = str((self.controller.root or Path.home()) / name)
        path, _ = QFileDialog.getSaveFileName(self, "Export Graph", start, filter_text)
        if not path:
            return
        target = Path(path if path.endswith(suffix) else path + suffix)
        try:
            with self.scene.all_items_drawn():
                exporter(self.scene, target)
        except OSError as error:
            QMessageBox.warning(self, "Export", str(error))
            return
        self.statusBar().showMessage(f"Exported to {target}", 5000)

    def _show_shortcuts(self) -> None:
        rows = [
            ("Ctrl+O", "open a project folder"),
            ("Double-click", "run a node (and what it needs)"),
            ("Ctrl+Enter", "run the selected nodes"),
            ("Ctrl+Shift+Enter", "run every sink"),
            ("Ctrl+Alt+Enter", "recompute the selected nodes (no reuse)"),
            ("Esc", "stop a run; otherwise clear the selection and the search"),
            ("Ctrl+F", "find a node; Enter for the next match"),
            ("F", "fit the graph in view"),
            ("+ / -", "zoom in / out (or the mouse wheel, around the cursor)"),
            ("Ctrl+0", "actual size"),
            ("Arrow keys", "pan (or drag the background)"),
            ("Ctrl+L", "left to right / top to bottom"),
            ("C", "collapse the selected node's module / expand the selected module box"),
            ("Shift+C / Shift+E", "collapse / expand every module"),
            ("Double-click a module box", "expand it"),
            ("U / D / L", "show only the upstream / downstream / both of the selection"),
            ("1 / 2 / 0", "focus depth 1, 2 or all levels"),
            ("W or Esc", "show the whole graph again"),
            ("M", "show or hide the minimap"),
            ("F5", "reload the graph"),
            ("Ctrl+Shift+R", "restart the kernel"),
            ("Ctrl+E", "export as PNG"),
        ]
        text = "".join(f"<tr><td><b>{k}</b>&nbsp;&nbsp;</td><td>{v}</td></tr>" for k, v in rows)
        QMessageBox.information(self, "Keyboard Shortcuts", f"<table>{text}</table>")

    def _show_about(self) -> None:
        QMessageBox.about(
            self,
            "About Dataflow Studio",
            f"<b>Dataflow Studio</b> {__version__}<br>"
            "A visual editor for Apache Hamilton dataflows.",
        )

    # -- window events --------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        QTimer.singleShot(0, self._place_legend)

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
        self.settings.set("legend", "1" if self.legend_action.isChecked() else "0")
        self._save_project_state()
        self.settings.sync()
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop the kernel and the watcher; safe to call more than once."""
        if self._shut_down:
            return
        self._shut_down = True
        self.scene.selectionChanged.disconnect(self._on_selection)
        self.console.detach()
        self.controller.shutdown()
        self.session.shutdown()


def _dropped_folder(event: QDragEnterEvent | QDropEvent) -> Path | None:
    for url in event.mimeData().urls():
        if url.isLocalFile() and Path(url.toLocalFile()).is_dir():
            return Path(url.toLocalFile())
    return None
