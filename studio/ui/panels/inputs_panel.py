"""The inputs panel: the dataflow's external inputs and the values to run with.

Values are Python expressions, evaluated in the kernel when a run starts
(`42`, `"data/x.csv"`, `pd.Timestamp("2024-01-01")`). Literal inputs found
in the driver script are the defaults; inputs the script computes show the
kernel's value (origin, type, size; a failure with its traceback in the
tooltip) and are used when the cell is empty; what the user types wins,
is kept per project and dataflow, and clearing it goes back to the script.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.core.model.script_values_model import value_details, value_line
from studio.core.protocol.requests import ScriptValueInfo
from studio.ui.panels.placeholder_delegate import PLACEHOLDER_ROLE, PlaceholderDelegate

_NAME, _TYPE, _VALUE = range(3)


class InputsPanel(QWidget):
    changed = Signal()
    """The user changed a value."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._defaults: dict[str, str] = {}
        self._script: dict[str, ScriptValueInfo] = {}
        self._missing: set[str] = set()
        self._table = QTableWidget(0, 3)
        self._table.setItemDelegateForColumn(_VALUE, PlaceholderDelegate(self._table))
        self._table.setHorizontalHeaderLabels(["Input", "Type", "Value (Python expression)"])
        header = self._table.horizontalHeader()
        header.setSectionResizeMode(_NAME, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(_TYPE, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self._table.verticalHeader().setVisible(False)
        self._table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._table.itemChanged.connect(self._on_edit)
        self._note = QLabel()
        self._note.setWordWrap(True)
        self._reset = QPushButton("Reset to Defaults")
        self._reset.setToolTip("Back to the values the driver script passes")
        self._reset.clicked.connect(self.reset)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self._reset)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self._table)
        layout.addWidget(self._note)
        layout.addLayout(buttons)

    def set_inputs(
        self,
        inputs: list[tuple[str, str]],
        defaults: dict[str, str],
        values: dict[str, str],
        hints: dict[str, str] | None = None,
        script: dict[str, ScriptValueInfo] | None = None,
    ) -> None:
        """Show `inputs` (name, type); `values` (the user's) win over `defaults` (driver's).
        `hints` are the expressions the driver script computes inputs with, shown greyed
        until `script` says what the kernel made of them."""
        hints = hints or {}
        self._defaults = dict(defaults)
        self._script = dict(script or {})
        self._missing = set()
        self._table.blockSignals(True)
        self._table.setRowCount(0)
        for name, type_name in inputs:
            row = self._table.rowCount()
            self._table.insertRow(row)
            name_item = QTableWidgetItem(name)
            name_item.setFlags(name_item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            type_item = QTableWidgetItem(type_name)
            type_item.setFlags(type_item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            value_item = QTableWidgetItem(values.get(name, defaults.get(name, "")))
            if name in self._script:
                value_item.setData(PLACEHOLDER_ROLE, value_line(self._script[name]))
            elif name in hints:
                value_item.setData(PLACEHOLDER_ROLE, f"the script computes: {hints[name]}")
            self._table.setItem(row, _NAME, name_item)
            self._table.setItem(row, _TYPE, type_item)
            self._table.setItem(row, _VALUE, value_item)
            self._style_row(row)
        self._table.blockSignals(False)
        self._note.setText(
            "This dataflow needs no external inputs."
            if not inputs
            else "Bold values are yours; the others come from the driver script (empty "
            "cells use the value it computes)."
        )

    def expressions(self) -> dict[str, str]:
        """Every input's value as typed (empty ones left out)."""
        values = {}
        for row in range(self._table.rowCount()):
            name, value = self._row(row)
            if value.strip():
                values[name] = value
        return values

    def user_values(self) -> dict[str, str]:
        """The values that differ from the driver script's: what is kept per project."""
        return {
            name: value
            for name, value in (self._row(r) for r in range(self._table.rowCount()))
            if value != self._defaults.get(name, "")
        }

    def set_value(self, name: str, expression: str) -> None:
        for row in range(self._table.rowCount()):
            if self._row(row)[0] == name:
                self._table.item(row, _VALUE).setText(expression)
                return
        raise KeyError(name)

    def shown(self, name: str) -> tuple[str, str, str]:
        """What a row shows of its value: the text, the grey line, the tooltip."""
        for row in range(self._table.rowCount()):
            if self._row(row)[0] == name:
                item = self._table.item(row, _VALUE)
                return item.text(), str(item.data(PLACEHOLDER_ROLE) or ""), item.toolTip()
        raise KeyError(name)

    def mark_missing(self, names: list[str]) -> None:
        self._missing = set(names)
        self._table.blockSignals(True)
        for row in range(self._table.rowCount()):
            self._style_row(row)
        self._table.blockSignals(False)
        for row in range(self._table.rowCount()):
            if self._row(row)[0] in self._missing:
                self._table.setCurrentCell(row, _VALUE)
                break

    def missing(self) -> list[str]:
        """Inputs the last run asked for that still have no value."""
        rows = (self._row(row) for row in range(self._table.rowCount()))
        return [name for name, value in rows if name in self._missing and not value.strip()]

    def reset(self) -> None:
        self._table.blockSignals(True)
        for row in range(self._table.rowCount()):
            name, _ = self._row(row)
            self._table.item(row, _VALUE).setText(self._defaults.get(name, ""))
            self._style_row(row)
        self._table.blockSignals(False)
        self.changed.emit()

    def _row(self, row: int) -> tuple[str, str]:
        name = self._table.item(row, _NAME)
        value = self._table.item(row, _VALUE)
        return (name.text() if name else "", value.text() if value else "")

    def _style_row(self, row: int) -> None:
        name, value = self._row(row)
        item = self._table.item(row, _VALUE)
        font = QFont(item.font())
        font.setBold(value != self._defaults.get(name, ""))
        item.setFont(font)
        script = self._script.get(name)
        missing = name in self._missing and not value.strip() and script is None
        failed = script is not None and not script.ok and not value.strip()
        shade = "#f8d7da" if missing else "#fbe3c7" if failed else None
        item.setBackground(QBrush(QColor(shade)) if shade else QBrush())
        if missing:
            item.setToolTip("missing: type a value")
        elif script is not None and value.strip():
            item.setToolTip(
                f"Yours, used over the script's value ({value_line(script)}); "
                "clear it to use the script's value again"
            )
        elif script is not None:
            item.setToolTip(value_details(script))
        else:
            item.setToolTip("")

    def _on_edit(self, item: QTableWidgetItem) -> None:
        if item.column() != _VALUE:
            return
        self._table.blockSignals(True)
        self._style_row(item.row())
        self._table.blockSignals(False)
        self.changed.emit()
