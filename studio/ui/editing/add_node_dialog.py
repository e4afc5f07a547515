"""The Add Node dialog: name, module, return type and the nodes it uses.

OK plans the edit; a refusal (a taken name, an unknown type) is shown in
the dialog, which stays open so the user can fix it.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from studio.core.editing import EditPlan, EditRefusedError
from studio.core.editing.dataflow_editor import DataflowEditor


class AddNodeDialog(QDialog):
    def __init__(self, editor: DataflowEditor, uses: list[str], parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add Node")
        self.editor = editor
        self.plan: EditPlan | None = None
        functions = editor.functions()
        first = functions.sites_of(uses[0])[0] if uses and functions.sites_of(uses[0]) else None
        self.name_field = QLineEdit()
        self.name_field.setPlaceholderText("a_new_node")
        self.uses_field = QLineEdit(", ".join(uses))
        self.uses_field.setPlaceholderText("nodes it takes as parameters, comma separated")
        self.module_box = QComboBox()
        self.module_box.addItems(list(functions.module_files))
        if first is not None:
            self.module_box.setCurrentText(first.module)
        self.returns_field = QLineEdit(first.returns if first and first.returns else "")
        self.returns_field.setPlaceholderText("return type, e.g. pd.DataFrame (default: Any)")
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c0392b")
        self.problem.hide()
        form = QFormLayout()
        form.addRow("&Name:", self.name_field)
        form.addRow("&Uses:", self.uses_field)
        form.addRow("&Module:", self.module_box)
        form.addRow("&Returns:", self.returns_field)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        note = QLabel("Writes a typed stub function with a docstring; Ctrl+Z removes it.")
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    @property
    def name(self) -> str:
        return self.name_field.text().strip()

    def accept(self) -> None:
        uses = [part.strip() for part in self.uses_field.text().split(",") if part.strip()]
        try:
            self.plan = self.editor.add(
                self.name,
                uses,
                self.module_box.currentText() or None,
                self.returns_field.text().strip() or None,
            )
        except EditRefusedError as error:
            self.problem.setText(str(error)[:1].upper() + str(error)[1:])
            self.problem.show()
            return
        super().accept()
