"""Graph edits from the canvas: rename, add, connect, disconnect, remove, with undo.

Each command plans the edit against the files as they are now
(`DataflowEditor`), asks when the edit loses something the user wrote,
applies it through the workspace's `EditHistory`, and says what happened
in the status bar. The file watcher then reloads the graph as for any
save; a renamed or added node is selected once it appears.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from studio.core.editing import (
    ConfirmationNeededError,
    EditConflictError,
    EditPlan,
    EditRefusedError,
)
from studio.core.editing.source_save import SourceChangedError, plan_source_save
from studio.core.editing.text_merge import merge_problem, merge_texts
from studio.core.model import Workspace

if TYPE_CHECKING:
    from studio.core.editing.dataflow_editor import DataflowEditor
    from studio.core.editing.source_code import SourceExcerpt
    from studio.ui.panels.inspector import InspectorPanel
    from studio.ui.window.status_bar import StudioStatusBar

_SHOWN_MS = 8000


class GraphEdits(QObject):
    def __init__(self, workspace: Workspace, status: StudioStatusBar, parent: QWidget) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.status = status
        self.window = parent
        self._select_when_shown: str | None = None
        workspace.graph.display_changed.connect(self._select_pending)

    # -- commands with their dialogs -------------------------------------------------------

    def ask_rename(self, name: str) -> None:
        new, ok = QInputDialog.getText(
            self.window,
            "Rename Node",
            f"New name for `{name}`\n(its users and the driver scripts follow):",
            text=name,
        )
        if ok and new.strip() and new.strip() != name:
            self.rename(name, new.strip())

    def ask_add(self, uses: list[str]) -> None:
        editor = self._editor()
        if editor is None:
            return
        from studio.ui.editing.add_node_dialog import AddNodeDialog

        try:
            dialog = AddNodeDialog(editor, uses, self.window)
        except EditRefusedError as error:  # a notebook's cells: edited in Jupyter
            self._refuse("Cannot Edit", str(error))
            return
        if dialog.exec() and dialog.plan is not None:
            self._apply(dialog.plan, select=dialog.name)

    def ask_remove(self, name: str) -> None:
        shown = self._shown_function(name)
        plan = self._plan(lambda editor: editor.remove(name, [shown] if shown else None))
        if plan is None:
            return
        files = ", ".join(path.name for path in plan.files())
        detail = "\n".join(f"• {note[:1].upper()}{note[1:]}." for note in plan.notes)
        answer = QMessageBox.question(
            self.window,
            "Remove Node",
            f"{plan.summary}? Deleted from {files} (Ctrl+Z restores it)."
            + (f"\n\n{detail}" if detail else ""),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._apply(plan)

    def _shown_function(self, name: str) -> str | None:
        """The function behind `name` in the graph shown (of `@config.when` variants, the
        one the config chose)."""
        snapshot = self.workspace.graph.snapshot
        try:
            origin = snapshot.node(name).origin if snapshot is not None else None
        except KeyError:
            return None
        return origin.rpartition(".")[2] if origin else None

    # -- commands without dialogs -----------------------------------------------------------

    def rename(self, old: str, new: str) -> bool:
        return self._do(lambda editor: editor.rename(old, new), select=new)

    def connect_nodes(self, source: str, target: str) -> bool:
        return self._do(lambda editor: editor.connect(source, target))

    def disconnect_nodes(self, source: str, target: str) -> bool:
        try:
            plan = self._plan(lambda editor: editor.disconnect(source, target))
        except ConfirmationNeededError as question:
            answer = QMessageBox.question(
                self.window, "Remove Edge", f"{question}.\n\nRemove the parameter anyway?"
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
            plan = self._plan(lambda editor: editor.disconnect(source, target, force=True))
        return plan is not None and self._apply(plan)

    def save_source(self, excerpt: SourceExcerpt, text: str, inspector: InspectorPanel) -> bool:
        """Write a function edited in the inspector; when the file changed meanwhile, ask."""
        try:
            plan = plan_source_save(excerpt.path, excerpt.first_line, excerpt.text, text)
        except SourceChangedError as changed:
            choice = self._choose_version(str(changed), changed.on_disk)
            if choice == "disk":
                inspector.replace_text(changed.on_disk)
                inspector.saved(changed.on_disk)
                return False
            if choice == "merge":
                merged = merge_texts(excerpt.text, text, changed.on_disk)
                if merged is None:
                    problem = merge_problem() or "git could not merge them"
                    self._refuse("Cannot Merge", f"Merging needs git: {problem}.")
                    return False
                inspector.rebase(changed.on_disk, merged.text)
                where = (
                    f"{merged.conflicts} conflict(s) marked <<<<<<< … >>>>>>>: settle them, "
                    if merged.conflicts
                    else "merged cleanly: check it, "
                )
                self.status.message(f"Both versions {where}then Ctrl+S saves.", 12_000)
                return False
            if choice != "mine":
                return False
            plan = plan_source_save(
                excerpt.path, excerpt.first_line, excerpt.text, text, force=True
            )
        except EditRefusedError as error:
            self._refuse("Cannot Save", str(error))
            return False
        if not self._apply(plan):
            return False
        inspector.saved(text)
        return True

    def _choose_version(self, reason: str, on_disk: str) -> str:
        box = QMessageBox(QMessageBox.Icon.Question, "File Changed on Disk", "", parent=self.window)
        box.setText(f"{reason}.\n\nKeep your version, merge both, or take the one on disk?")
        box.setInformativeText(
            "Either way nothing is lost: saving yours can be undone (Ctrl+Z), and taking "
            "the disk's keeps yours in the editor's undo (Ctrl+Z in the code)."
        )
        box.setDetailedText(f"On disk now:\n\n{on_disk}")
        mine = box.addButton("Save Mine", QMessageBox.ButtonRole.AcceptRole)
        merge = box.addButton("Merge Both", QMessageBox.ButtonRole.ActionRole)
        problem = merge_problem()
        merge.setVisible(problem is None)
        if problem is not None:
            box.setInformativeText(f"{box.informativeText()}\n\nMerging needs git: {problem}.")
        disk = box.addButton("Use Disk Version", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        clicked = box.clickedButton()
        choices = {mine: "mine", merge: "merge", disk: "disk"}
        return next((word for button, word in choices.items() if clicked is button), "cancel")

    def undo(self) -> None:
        self._step(self.workspace.edits.undo, "Undid")

    def redo(self) -> None:
        self._step(self.workspace.edits.redo, "Redid")

    # -- the steps -------------------------------------------------------------------------

    def _editor(self) -> DataflowEditor | None:
        project = self.workspace.project
        flow = project.current()
        if project.root is None or flow is None:
            self._refuse("Edit", "No dataflow is loaded: open a project folder first.")
            return None
        from studio.core.editing.dataflow_editor import DataflowEditor  # libcst: on first use

        return DataflowEditor(project.root, project.dataflows, flow)

    def _plan(self, make: Callable[[DataflowEditor], EditPlan]) -> EditPlan | None:
        """The planned edit, or None after telling the user why it was refused."""
        editor = self._editor()
        if editor is None:
            return None
        try:
            return make(editor)
        except ConfirmationNeededError:
            raise
        except (EditRefusedError, OSError) as error:
            self._refuse("Cannot Edit", str(error))
            return None

    def _do(self, make: Callable[[DataflowEditor], EditPlan], select: str | None = None) -> bool:
        plan = self._plan(make)
        return plan is not None and self._apply(plan, select)

    def _apply(self, plan: EditPlan, select: str | None = None) -> bool:
        try:
            self.workspace.edits.apply(plan)
        except (EditConflictError, OSError) as error:
            self._refuse("Cannot Edit", str(error))
            return False
        self._select_when_shown = select
        count = len(plan.changes)
        notes = "".join(f"; {note}" for note in plan.notes)
        self.status.message(
            f"{plan.summary} ({count} file{'s' if count != 1 else ''}){notes}. Ctrl+Z undoes it.",
            _SHOWN_MS,
        )
        return True

    def _step(self, step: Callable[[], EditPlan | None], verb: str) -> None:
        try:
            plan = step()
        except (EditConflictError, OSError) as error:
            self._refuse("Cannot Undo" if verb == "Undid" else "Cannot Redo", str(error))
            return
        if plan is not None:
            self.status.message(f"{verb}: {plan.summary}", _SHOWN_MS)

    def _refuse(self, title: str, reason: str) -> None:
        """Say why, without blocking: the window stays usable behind the message."""
        self.status.message(reason, _SHOWN_MS)
        box = QMessageBox(
            QMessageBox.Icon.Warning, title, reason[:1].upper() + reason[1:], parent=self.window
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _select_pending(self, *_args: object) -> None:
        name, snapshot = self._select_when_shown, self.workspace.graph.snapshot
        if name is None or snapshot is None or name not in {n.name for n in snapshot.nodes}:
            return
        self._select_when_shown = None
        self.workspace.selection.select_nodes([name])
