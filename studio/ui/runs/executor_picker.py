"""The Run toolbar's executor selector, its settings page and its status bar label.

The project model owns the choice (kept per project); this module shows it,
changes it on the user's word, and says before any run what the choice
means: an engine missing from the project's Python (with the command that
installs it), results not reused from disk on a cluster elsewhere. The
status bar names where runs go and, once a cluster runs, its workers and a
link to its dashboard.
"""

from __future__ import annotations

import html
import os
import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QWidget

from studio.core.model import Workspace
from studio.core.notices import Notice, NoticeKind
from studio.core.protocol.requests import ClusterInfo
from studio.core.runs.executors import ExecutorChoice, ExecutorKind
from studio.ui.kernel.session import KernelSession
from studio.ui.runs.executor_dialog import ExecutorDialog
from studio.ui.runs.run_controller import RunController

_KINDS = list(ExecutorKind)
_TIPS = {
    ExecutorKind.LOCAL: "Run nodes one after another in the kernel (Hamilton's driver)",
    ExecutorKind.THREADS: "Run independent nodes at once on threads of the kernel",
    ExecutorKind.PROCESSES: "Run independent nodes at once in worker processes",
    ExecutorKind.DASK: "Run every node as a Dask task (a local cluster, or one you name)",
    ExecutorKind.RAY: "Run every node as a Ray task (a local instance, or a cluster you name)",
}


class ExecutorPicker(QObject):
    notice = Signal(object, object)
    """(Notice, action or None): what the choice means, for the message bar."""

    def __init__(
        self,
        workspace: Workspace,
        session: KernelSession,
        runs: RunController,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.project = workspace.project
        self.session = session
        self.cluster: ClusterInfo | None = None
        self.combo = QComboBox()
        self.combo.setObjectName("executor-combo")
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.combo.setToolTip("Where runs execute (Run ▸ Executor… for a cluster's address)")
        for index, kind in enumerate(_KINDS):
            self.combo.addItem(kind.value.capitalize(), kind.value)
            self.combo.setItemData(index, _TIPS[kind], role=3)  # ToolTipRole
        self.combo.activated.connect(self._on_activated)
        self.label = QLabel()
        self.label.setObjectName("executor-status")
        self.label.setOpenExternalLinks(True)
        self.label.setContentsMargins(12, 0, 4, 0)
        self.project.executor_changed.connect(lambda _choice: self._show())
        runs.cluster_changed.connect(self._on_cluster)
        workspace.runs.running_changed.connect(lambda running: self.combo.setEnabled(not running))
        session.ready.connect(lambda _info: self._warn_if_missing(self.project.executor))
        self._show()

    def choose(self, choice: ExecutorChoice) -> None:
        """The user's choice: kept for the project, and what it means said now."""
        self.project.set_executor(choice)
        if not self._warn_if_missing(choice) and choice.reuse_note:
            self.notice.emit(Notice(NoticeKind.INFO, choice.reuse_note + "."), None)

    def open_settings(self) -> None:
        dialog = ExecutorDialog(self.project.executor, self._engines(), self.parent_widget)
        if dialog.exec():
            self.choose(dialog.choice())

    def _on_activated(self, index: int) -> None:
        kind = ExecutorKind(self.combo.itemData(index))
        current = self.project.executor
        if kind is current.kind:
            return
        self.choose(ExecutorChoice(kind))

    def _engines(self) -> dict[str, bool]:
        info = self.session.info
        return dict(info.engines) if info is not None else {}

    def _warn_if_missing(self, choice: ExecutorChoice) -> bool:
        if choice.package is None or self._engines().get(choice.kind.value, True):
            return False
        info = self.session.info
        python = (info.executable if info is not None else "") or "python"
        if getattr(sys, "frozen", False) and self.project.interpreter is None:
            text = f"{choice.title} cannot run here: {choice.install_hint}."
            self.notice.emit(Notice(NoticeKind.ERROR, text), None)
            return True
        command = choice.install_command(python) or ""
        text = (
            f"{choice.title} needs the `{choice.package}` package, which {python} does not "
            f"have. Install it with: {command}"
        )
        self.notice.emit(
            Notice(NoticeKind.ERROR, text),
            ("Copy Install Command", lambda: QApplication.clipboard().setText(command)),
        )
        return True

    def _on_cluster(self, state: ClusterInfo | None) -> None:
        self.cluster = state
        self._show()

    def _show(self) -> None:
        choice = self.project.executor
        index = _KINDS.index(choice.kind)
        for i, kind in enumerate(_KINDS):
            title = choice.title if kind is choice.kind and choice.address else kind.value
            self.combo.setItemText(i, title[0].upper() + title[1:])
        self.combo.setCurrentIndex(index)
        self.label.setVisible(not choice.is_local)
        self.label.setText(self._status_text(choice))

    def _status_text(self, choice: ExecutorChoice) -> str:
        if choice.is_local:
            return ""
        if choice.package is None:
            return f"Runs on {choice.title.lower()} · {os.cpu_count() or 1} at a time"
        cluster = self.cluster
        if cluster is None or cluster.executor != choice.text:
            when = "connects" if choice.address else "starts"
            return f"Runs on {html.escape(choice.title)} · {when} with the first run"
        parts = [f"Runs on {html.escape(choice.title)}", f"{cluster.workers} workers"]
        if cluster.dashboard:
            parts.append(f"<a href='{html.escape(cluster.dashboard)}'>dashboard</a>")
        return " · ".join(parts)
