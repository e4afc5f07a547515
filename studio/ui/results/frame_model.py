"""A table model over a frame that lives in the kernel.

It reports the frame's true size, so the scroll bar is honest and the last
row is one jump away; it asks the kernel for blocks of rows only when the
view paints them, shows a placeholder until a block arrives, and keeps a
bounded number of blocks. Sorting and filtering happen in the kernel;
the model only learns the new row count and forgets its blocks.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont

from studio.core.protocol.data_requests import (
    Column,
    TableCloseParams,
    TableFilterParams,
    TableFilterResult,
    TableInfo,
    TablePage,
    TableRowsParams,
    TableSortParams,
    TableSortResult,
)
from studio.core.protocol.requests import Params
from studio.ui.kernel.session import KernelSession, Reply

BLOCK_ROWS = 200
MAX_BLOCKS = 60
PLACEHOLDER = "…"
Index = QModelIndex | QPersistentModelIndex


class SortState:
    """Clicking a header cycles: ascending, descending, original order."""

    def __init__(self) -> None:
        self.column: int | None = None
        self.ascending = True

    def next(self, column: int) -> tuple[int | None, bool]:
        if column != self.column:
            self.column, self.ascending = column, True
        elif self.ascending:
            self.ascending = False
        else:
            self.column, self.ascending = None, True
        return self.column, self.ascending


class RemoteFrameModel(QAbstractTableModel):
    error = Signal(str)
    """A request about this table failed: the message to show."""
    reset_done = Signal()
    """Row count known again after open, sort or filter."""
    block_arrived = Signal(int)

    def __init__(self, session: KernelSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.name = ""
        self.view_id: int | None = None
        self.columns: list[Column] = []
        self.index_name = ""
        self.total_rows = 0
        self.sort_state = SortState()
        self.expression = ""
        self._rows = 0
        self._blocks: OrderedDict[int, TablePage] = OrderedDict()
        self._requested: set[int] = set()
        self._generation = 0
        self._mono = QFont("monospace")
        self._mono.setStyleHint(QFont.StyleHint.TypeWriter)

    # -- opening and reshaping -----------------------------------------------------

    def adopt(self, name: str, table: TableInfo) -> None:
        """Show the view the kernel opened with the result's info, its first rows included."""
        self._generation += 1
        self.name = name
        self.sort_state = SortState()
        self.expression = ""
        self.index_name = table.index_name
        self.total_rows = table.rows
        self._replace(table.view, table.columns, table.rows, table.first)

    def close(self) -> None:
        if self.view_id is not None:
            self.session.request(TableCloseParams(self.view_id))
        self._generation += 1
        self._replace(None, [], 0)

    def sort_by(self, column: int | None, ascending: bool = True) -> None:
        self._reshape(lambda view: TableSortParams(view, column, ascending, BLOCK_ROWS))

    def cycle_sort(self, column: int) -> tuple[int | None, bool]:
        column_or_none, ascending = self.sort_state.next(column)
        self.sort_by(column_or_none, ascending)
        return column_or_none, ascending

    def set_filter(self, expression: str) -> None:
        self.expression = expression
        self._reshape(
            lambda view: TableFilterParams(view, expression, BLOCK_ROWS), clear_on_error=True
        )

    def _reshape(self, params: Callable[[int], Params], clear_on_error: bool = False) -> None:
        """Sort or filter the kernel's view; a filter that fails shows no rows rather than
        the rows of the previous one under the new text."""
        if self.view_id is None:
            return
        self._generation += 1
        generation = self._generation

        def done(reply: Reply) -> None:
            if generation != self._generation:
                return
            if not reply.ok:
                if clear_on_error:
                    self._replace(self.view_id, self.columns, 0)
                self.error.emit(reply.message)
                return
            result: TableSortResult | TableFilterResult = reply.result
            self._replace(self.view_id, self.columns, result.rows, result.first)

        self.session.request(params(self.view_id), done)

    def _replace(
        self, view_id: int | None, columns: list[Column], rows: int, first: TablePage | None = None
    ) -> None:
        """New rows: the blocks are forgotten; `first` (the kernel's first rows of the new
        order, sent with its reply) is there before the view repaints, so no request waits."""
        self.beginResetModel()
        self.view_id = view_id
        self.columns = list(columns)
        self._rows = rows
        self._blocks.clear()
        self._requested.clear()
        if first is not None and rows:
            self._blocks[0] = first
        self.endResetModel()
        self.reset_done.emit()
        if first is not None:
            self.block_arrived.emit(0)

    # -- Qt model API ----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell(index.row(), index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            dtype = self.columns[index.column()].dtype
            if dtype.startswith(("int", "uint", "float", "Int", "UInt", "Float")):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and self.cell(index.row(), index.column()) in (
            PLACEHOLDER,
            "NaN",
            "<NA>",
        ):
            return QColor("#8a94a3")
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal:
                column = self.columns[section]
                marker = ""
                if self.sort_state.column == section:
                    marker = " ▲" if self.sort_state.ascending else " ▼"
                return f"{column.name}{marker}\n{column.dtype}"
            return self.index_label(section)
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            return "Click to sort: ascending, descending, original order"
        return None

    # -- cells -----------------------------------------------------------------------

    def cell(self, row: int, column: int) -> str:
        block = self._block(row)
        if block is None:
            return PLACEHOLDER
        return block.rows[column][row - block.start]

    def index_label(self, row: int) -> str:
        block = self._block(row)
        return PLACEHOLDER if block is None else block.index[row - block.start]

    def is_loaded(self, first_row: int, last_row: int) -> bool:
        return all(
            b in self._blocks for b in range(first_row // BLOCK_ROWS, last_row // BLOCK_ROWS + 1)
        )

    def fetch_rows(self, first_row: int, last_row: int) -> None:
        for block in range(first_row // BLOCK_ROWS, last_row // BLOCK_ROWS + 1):
            self._request(block)

    def _block(self, row: int) -> TablePage | None:
        number = row // BLOCK_ROWS
        block = self._blocks.get(number)
        if block is not None:
            self._blocks.move_to_end(number)
            return block
        self._request(number)
        self._request(number + 1)  # the next block is usually wanted next
        return None

    def _request(self, number: int) -> None:
        start = number * BLOCK_ROWS
        if self.view_id is None or number in self._requested or start >= self._rows:
            return
        self._requested.add(number)
        generation = self._generation
        params = TableRowsParams(self.view_id, start, start + BLOCK_ROWS)

        def arrived(reply: Reply) -> None:
            if generation != self._generation:
                return
            self._requested.discard(number)
            if not reply.ok:
                self.error.emit(reply.message)
                return
            self._blocks[number] = reply.result
            while len(self._blocks) > MAX_BLOCKS:
                self._blocks.popitem(last=False)
            stop = min(self._rows, start + BLOCK_ROWS) - 1
            self.dataChanged.emit(self.index(start, 0), self.index(stop, self.columnCount() - 1))
            self.headerDataChanged.emit(Qt.Orientation.Vertical, start, stop)
            self.block_arrived.emit(number)

        self.session.request(params, arrived)
