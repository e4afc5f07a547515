"""Choosing the Python a project's kernel runs in: the studio's own, a project .venv, or any."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.interpreters.environments import ProjectEnvironment


class InterpreterDialog(QDialog):
    def __init__(
        self,
        environments: list[ProjectEnvironment],
        current: Path | None,
        parent: QWidget | None = None,
        untrusted: str | None = None,
    ) -> None:
        """`untrusted`: the name of the open folder when it is not trusted; the dialog
        then says that nothing chosen runs before the folder is trusted."""
        super().__init__(parent)
        self.setWindowTitle("Project Interpreter")
        self._group = QButtonGroup(self)
        self._choices: list[Path | None] = []
        intro = QLabel(
            "The kernel runs the project's code. It can use the studio's own Python, or the "
            "project's environment (which needs ipykernel and apache-hamilton)."
        )
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        self.trust_note: QLabel | None = None
        if untrusted is not None:
            self.trust_note = QLabel(
                f"<b>{untrusted} is not trusted:</b> nothing of it runs yet, its Python "
                "included (checking a Python runs it, and one inside the folder is the "
                "folder's code). Your choice is kept, and checked only once you trust the "
                "folder."
            )
            self.trust_note.setWordWrap(True)
            layout.addWidget(self.trust_note)
        own = "bundled with the app" if getattr(sys, "frozen", False) else sys.executable
        self._add(f"The studio's own Python {sys.version.split()[0]} ({own})", None, layout)
        for environment in environments:
            self._add(f"{environment.label}: {environment.python}", environment.python, layout)
        self._other = QRadioButton("Another interpreter:")
        self._group.addButton(self._other, len(self._choices))
        self._path = QLineEdit()
        self._path.setPlaceholderText("/path/to/python")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        other_row = QHBoxLayout()
        other_row.addWidget(self._other)
        other_row.addWidget(self._path, 1)
        other_row.addWidget(browse)
        layout.addLayout(other_row)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._select(current)
        self._path.textEdited.connect(lambda _text: self._other.setChecked(True))

    def _add(self, text: str, python: Path | None, layout: QVBoxLayout) -> None:
        button = QRadioButton(text)
        self._group.addButton(button, len(self._choices))
        self._choices.append(python)
        layout.addWidget(button)

    def _select(self, current: Path | None) -> None:
        if current in self._choices:
            self._group.button(self._choices.index(current)).setChecked(True)
        else:
            self._other.setChecked(True)
            self._path.setText(str(current))

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose a Python interpreter", self._path.text()
        )
        if path:
            self._path.setText(path)
            self._other.setChecked(True)

    def chosen(self) -> Path | None:
        """The interpreter picked: None for the studio's own."""
        index = self._group.checkedId()
        if 0 <= index < len(self._choices):
            return self._choices[index]
        text = self._path.text().strip()
        return Path(text).expanduser() if text else None
