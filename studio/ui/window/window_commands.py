"""What the menus, the canvas and the panels ask of the window as a whole.

Open a folder or an interpreter, run and stop, go to a node, bring a
panel forward: each command reaches the few parts it needs, so the
action declarations and the panels never reach into the window.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

from studio.core.interpreters.environments import found_environments
from studio.core.model import Workspace
from studio.core.runs.run_plan import RunMode
from studio.ui.app_settings import AppSettings
from studio.ui.canvas.navigation import CanvasNavigation
from studio.ui.kernel.interpreter_dialog import InterpreterDialog
from studio.ui.kernel.session import KernelSession
from studio.ui.project.load_watch import LoadWatch
from studio.ui.project.project_session import ProjectSession
from studio.ui.runs.run_controller import RunController
from studio.ui.window.status_bar import StudioStatusBar
from studio.ui.window.window_panels import WindowPanels


class WindowCommands:
    """Project, run and panel commands; dialogs open over `parent`."""

    def __init__(
        self,
        parent: QWidget,
        settings: AppSettings,
        workspace: Workspace,
        session: KernelSession,
        project_session: ProjectSession,
        run_controller: RunController,
        load_watch: LoadWatch,
        status: StudioStatusBar,
        panels: WindowPanels,
        navigation: CanvasNavigation,
    ) -> None:
        self.parent = parent
        self.settings = settings
        self.workspace = workspace
        self.session = session
        self.project_session = project_session
        self.run_controller = run_controller
        self.load_watch = load_watch
        self.status = status
        self.panels = panels
        self.navigation = navigation

    # -- projects -------------------------------------------------------------------

    def open_folder(self, folder: Path) -> bool:
        folder = Path(folder).expanduser()
        if not folder.is_dir():
            QMessageBox.warning(
                self.parent, "Open Folder", f"{folder} is not a folder that exists."
            )
            return False
        self.project_session.open(folder)
        return True

    def choose_folder(self) -> None:
        root = self.workspace.project.root
        start = str(root.parent) if root else str(Path.home())
        folder = QFileDialog.getExistingDirectory(self.parent, "Open Project Folder", start)
        if folder:
            self.open_folder(Path(folder))

    def choose_interpreter(self) -> None:
        project = self.workspace.project
        root = project.root
        if root is None:
            return
        dialog = InterpreterDialog(
            found_environments(root),
            project.interpreter,
            self.parent,
            untrusted=None if project.trusted else root.name,
        )
        if dialog.exec() == InterpreterDialog.DialogCode.Accepted:
            self.project_session.use_interpreter(dialog.chosen())

    def fill_recent_menu(self, menu: QMenu) -> None:
        folders = self.settings.recent_folders()
        for folder in folders:
            menu.addAction(folder, lambda f=folder: self.open_folder(Path(f)))
        if not folders:
            menu.addAction("No recent folders").setEnabled(False)
        else:
            menu.addSeparator()
            menu.addAction("Clear Recent", self.settings.clear_recent_folders)

    # -- runs -----------------------------------------------------------------------

    def run_selected(self, mode: RunMode, recompute: bool = False) -> None:
        self.run_controller.run(self.workspace.selection.names(), mode, recompute)

    def stop_run(self) -> None:
        if self.run_controller.stop():
            self.status.message("Stopping the run…", 3000)

    def clear_results(self) -> None:
        self.run_controller.clear_results()
        self.status.message("Results cleared (memory and on-disk cache)", 4000)

    def interrupt_load(self) -> None:
        if self.load_watch.interrupt():
            self.status.message("Interrupting the load…", 3000)

    def escape(self) -> None:
        """Esc on the canvas: stop a run (or the evaluation of the script's values), else
        interrupt a load, else leave the focus or clear the selection."""
        if self.run_controller.running or self.workspace.script_values.evaluating:
            self.stop_run()
        elif self.load_watch.interrupt():
            self.status.message("Interrupting the load…", 3000)
        elif not self.navigation.show_whole_graph():
            self.clear_selection()

    # -- panels, selection ----------------------------------------------------------

    def send_to_console(self, name: str) -> None:
        self.panels.docks.show("console")
        self.panels.console.insert(f'results["{name}"]')

    def show_in_inspector(self, name: str) -> None:
        self.panels.docks.show("inspector")
        self.go_to_node(name)

    def show_location(self, file: str, line: int) -> None:
        self.panels.docks.show("inspector")
        self.panels.inspector.show_location(file, line)

    def go_to_node(self, name: str) -> None:
        self.navigation.go_to_node(name)

    def focus_search(self) -> None:
        self.navigation.focus_search()

    def clear_selection(self) -> None:
        if self.panels.search_field.text():
            self.panels.search_field.clear()
        self.workspace.selection.set_keys(())
