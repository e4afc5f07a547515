"""The config editor: the dataflow's Hamilton config as key/value rows.

Values are typed as Python literals (`"EU"`, `0.5`, `[1, 2]`); anything
that is not a literal is taken as a string. Keys the driver script sets
are shown in bold and can be changed but not removed; "Reset" goes back
to the driver script's values. Keys the script sets only when it runs
(from an argument, the environment, a call) stay visible, empty, with a
grey hint saying where; an empty key is not passed to Hamilton. Once the
kernel evaluated such a value, the hint says what it is (origin, type,
size, or its failure with the traceback in the tooltip) and the build uses
it unless the user types a value, which wins until it is cleared.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
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

from studio.core.values import format_value, parse_value
from studio.ui.panels.placeholder_delegate import PLACEHOLDER_ROLE, PlaceholderDelegate


class ConfigEditor(QWidget):
    applied = Signal(dict)
    """The user applied the table: the values that differ from the defaults."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._defaults: dict[str, Any] = {}
        self._hints: dict[str, str] = {}
        self._details: dict[str, str] = {}
        self._table = QTableWidget(0, 2)
        self._table.setItemDelegateForColumn(1, PlaceholderDelegate(self._table))
        self._table.setHorizontalHeaderLabels(["Key", "Value"])
        self._table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self._table.horizontalHeader().setStretchLastSection(True)
        self._table.verticalHeader().setVisible(False)
        self._table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._table.itemChanged.connect(self._on_edit)
        self._table.itemSelectionChanged.connect(self._update_buttons)
        self._note = QLabel()
        self._note.setWordWrap(True)
        self._add = QPushButton("Add")
        self._remove = QPushButton("Remove")
        self._reset = QPushButton("Reset")
        self._apply = QPushButton("Apply")
        self._apply.setDefault(True)
        self._apply.setToolTip("Rebuild the graph with this config (Ctrl+Return)")
        self._add.clicked.connect(self.add_row)
        self._remove.clicked.connect(self._remove_selected)
        self._reset.clicked.connect(
            lambda: self.set_config(self._defaults, {}, self._hints, self._details)
        )
        self._apply.clicked.connect(self.apply)
        buttons = QHBoxLayout()
        for button in (self._add, self._remove, self._reset):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self._apply)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self._table)
        layout.addWidget(self._note)
        layout.addLayout(buttons)
        self._set_dirty(False)

    def set_config(
        self,
        defaults: dict[str, Any],
        overrides: dict[str, Any],
        hints: dict[str, str] | None = None,
        details: dict[str, str] | None = None,
    ) -> None:
        """Show the driver script's config with the user's overrides on top; `hints` says
        which keys the script sets when it runs, and where; `details` are their tooltips
        (what the kernel made of them)."""
        self._defaults = dict(defaults)
        self._hints = dict(hints or {})
        self._details = dict(details or {})
        effective = {**defaults, **overrides}
        self._table.blockSignals(True)
        self._table.setRowCount(0)
        for key, value in effective.items():
            self._append(key, format_value(value), key in defaults)
        for key in self._hints:
            if key not in effective:
                self._append(key, "", True)
        self._table.blockSignals(False)
        self._note.setText(
            "No config: add a key to pass one to Hamilton."
            if not effective
            else "Values are Python literals; other text is read as a string."
        )
        self._set_dirty(False)
        self._update_buttons()

    def values(self) -> dict[str, Any]:
        values = {}
        for row in range(self._table.rowCount()):
            key_item, value_item = self._table.item(row, 0), self._table.item(row, 1)
            key = key_item.text().strip() if key_item else ""
            text = value_item.text() if value_item else ""
            if key and (text.strip() or key not in self._hints):
                values[key] = parse_value(text)
        return values

    def overrides(self) -> dict[str, Any]:
        return {
            k: v
            for k, v in self.values().items()
            if k not in self._defaults or self._defaults[k] != v
        }

    def hint(self, key: str) -> tuple[str, str]:
        """The grey line and the tooltip of a key's value."""
        for row in range(self._table.rowCount()):
            key_item, value_item = self._table.item(row, 0), self._table.item(row, 1)
            if key_item is not None and key_item.text() == key:
                return str(value_item.data(PLACEHOLDER_ROLE) or ""), value_item.toolTip()
        raise KeyError(key)

    def add_row(self) -> None:
        self._append("", "", False)
        row = self._table.rowCount() - 1
        self._table.setCurrentCell(row, 0)
        self._table.editItem(self._table.item(row, 0))
        self._set_dirty(True)

    def apply(self) -> None:
        self._set_dirty(False)
        self.applied.emit(self.overrides())

    def _append(self, key: str, value: str, from_driver: bool) -> None:
        row = self._table.rowCount()
        self._table.insertRow(row)
        key_item = QTableWidgetItem(key)
        if from_driver:
            key_item.setFlags(key_item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            font = QFont(key_item.font())
            font.setBold(True)
            key_item.setFont(font)
            key_item.setToolTip(self._hints.get(key, "set by the driver script"))
        value_item = QTableWidgetItem(value)
        hint = self._hints.get(key)
        if hint:
            value_item.setData(PLACEHOLDER_ROLE, hint)
            value_item.setToolTip(self._details.get(key, hint))
        self._table.setItem(row, 0, key_item)
        self._table.setItem(row, 1, value_item)

    def _remove_selected(self) -> None:
        rows = sorted({index.row() for index in self._table.selectedIndexes()}, reverse=True)
        for row in rows:
            key_item = self._table.item(row, 0)
            key = key_item.text() if key_item else ""
            if key in self._defaults:
                self._table.item(row, 1).setText(format_value(self._defaults[key]))
            elif key in self._hints:
                self._table.item(row, 1).setText("")
            else:
                self._table.removeRow(row)
        self._set_dirty(True)

    def _on_edit(self, _item: QTableWidgetItem) -> None:
        self._set_dirty(True)

    def _set_dirty(self, dirty: bool) -> None:
        self._apply.setEnabled(dirty)
        self._apply.setText("Apply" if not dirty else "Apply *")

    def _update_buttons(self) -> None:
        self._remove.setEnabled(bool(self._table.selectedIndexes()))
