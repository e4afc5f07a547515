"""Run ▸ Executor…: where a project's runs execute, with a cluster's address.

One choice per engine, each with what it does, what it needs and what it
means for reuse; Dask and Ray take an address to attach to a running
cluster instead of starting one on this machine.
"""

from __future__ import annotations

import os

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.runs.executors import ExecutorChoice, ExecutorError, ExecutorKind

_DESCRIPTIONS = {
    ExecutorKind.LOCAL: "One node after another in the kernel, with Hamilton's driver.",
    ExecutorKind.THREADS: (
        "Independent nodes at once on {workers} threads of the kernel: for nodes that wait "
        "(files, network) or release the GIL (numpy, pandas). Results are reused from disk."
    ),
    ExecutorKind.PROCESSES: (
        "Independent nodes at once in {workers} processes forked from the kernel: for "
        "pure-Python work. Results travel by pickle and are reused from disk."
    ),
    ExecutorKind.DASK: (
        "Every node a Dask task. Empty address: a local cluster of {workers} worker "
        "processes, started with the first run and stopped with the project, with a "
        "dashboard. An address (tcp://host:8786) attaches to your scheduler."
    ),
    ExecutorKind.RAY: (
        "Every node a Ray task. Empty address: a local Ray instance with {workers} CPUs, "
        "started with the first run and stopped with the project (it listens on this "
        "machine's address, behind Ray's token authentication). An address "
        "(ray://host:10001 or host:6379) attaches to your cluster."
    ),
}
_NO_DISK = (
    "With an address, results are reused from memory only: workers elsewhere cannot reach "
    "the cache on disk."
)


class ExecutorDialog(QDialog):
    def __init__(
        self, current: ExecutorChoice, engines: dict[str, bool], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Executor")
        self.setMinimumWidth(560)
        workers = os.cpu_count() or 1
        layout = QVBoxLayout(self)
        intro = QLabel("Where this project's runs execute. The graph, progress and results "
                       "look the same whichever you choose.")  # fmt: skip
        intro.setWordWrap(True)
        layout.addWidget(intro)
        grid = QGridLayout()
        self.group = QButtonGroup(self)
        self.buttons: dict[ExecutorKind, QRadioButton] = {}
        self.addresses: dict[ExecutorKind, QLineEdit] = {}
        row = 0
        for kind in ExecutorKind:
            button = QRadioButton(kind.value.capitalize())
            button.setObjectName(f"executor-{kind.value}")
            self.group.addButton(button)
            self.buttons[kind] = button
            grid.addWidget(button, row, 0)
            text = _DESCRIPTIONS[kind].format(workers=workers)
            if kind.value in engines and not engines[kind.value]:
                text += f" Not installed in the project's Python: {current_hint(kind)}"
            description = QLabel(text)
            description.setWordWrap(True)
            grid.addWidget(description, row, 1)
            row += 1
            if kind in (ExecutorKind.DASK, ExecutorKind.RAY):
                address = QLineEdit((current.address or "") if current.kind is kind else "")
                address.setPlaceholderText("address (empty: start one on this machine)")
                address.setObjectName(f"executor-{kind.value}-address")
                address.textEdited.connect(lambda _t, b=button: b.setChecked(True))
                self.addresses[kind] = address
                grid.addWidget(address, row, 1)
                row += 1
        layout.addLayout(grid)
        note = QLabel(_NO_DISK)
        note.setWordWrap(True)
        layout.addWidget(note)
        self.error = QLabel("")
        self.error.setStyleSheet("color: #d62d2d;")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.buttons[current.kind].setChecked(True)

    def choice(self) -> ExecutorChoice:
        kind = next(k for k, b in self.buttons.items() if b.isChecked())
        address = self.addresses[kind].text().strip() if kind in self.addresses else ""
        return ExecutorChoice.parse(f"{kind.value}={address}" if address else kind.value)

    def _accept(self) -> None:
        try:
            self.choice()
        except ExecutorError as error:
            self.error.setText(str(error))
            return
        self.accept()


def current_hint(kind: ExecutorKind) -> str:
    return ExecutorChoice(kind).install_hint or ""
