"""The code view made editable: Python indentation as the user types, and find.

Return keeps the line's indentation (one level more after a `:`), Tab
inserts four spaces, Backspace in leading spaces removes one level. Undo
and redo are the text widget's own (Ctrl+Z / Ctrl+Shift+Z while it has focus).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QTextCursor, QTextDocument
from PySide6.QtWidgets import QWidget

from studio.ui.code.code_view import CodeView

_INDENT = "    "


class CodeEditor(CodeView):
    def __init__(self, style: str, parent: QWidget | None = None) -> None:
        super().__init__(style, parent)
        self.setReadOnly(False)
        self.setTabChangesFocus(False)

    def show_code(self, text: str, first_line: int = 1, marked_line: int | None = None) -> None:
        super().show_code(text, first_line, marked_line)
        self.document().setModified(False)

    @property
    def modified(self) -> bool:
        return self.document().isModified()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        cursor = self.textCursor()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            line = cursor.block().text()[: cursor.positionInBlock()]
            indent = line[: len(line) - len(line.lstrip(" "))]
            if line.rstrip().endswith(":"):
                indent += _INDENT
            cursor.insertText("\n" + indent)
            self.ensureCursorVisible()
            return
        if key == Qt.Key.Key_Tab and not cursor.hasSelection():
            cursor.insertText(_INDENT)
            return
        if key == Qt.Key.Key_Backspace and not cursor.hasSelection():
            before = cursor.block().text()[: cursor.positionInBlock()]
            if before and not before.strip(" ") and len(before) % len(_INDENT) == 0:
                cursor.movePosition(
                    QTextCursor.MoveOperation.Left, QTextCursor.MoveMode.KeepAnchor, len(_INDENT)
                )
                cursor.removeSelectedText()
                return
        super().keyPressEvent(event)

    def find_text(self, text: str, backwards: bool = False) -> bool:
        """Select the next match of `text` (wrapping around); False when there is none."""
        if not text:
            return False
        flags = QTextDocument.FindFlag.FindBackward if backwards else QTextDocument.FindFlag(0)
        if self.find(text, flags):
            return True
        cursor = self.textCursor()
        cursor.movePosition(
            QTextCursor.MoveOperation.End if backwards else QTextCursor.MoveOperation.Start
        )
        self.setTextCursor(cursor)
        return self.find(text, flags)
