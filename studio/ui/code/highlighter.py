"""Syntax colours from Pygments, applied by a QSyntaxHighlighter.

The whole text is lexed at once (so multi-line strings are coloured right)
and each block then takes the formats that fall on it. The lexer is made for
the first text to colour: Pygments compiles its rules then (about 30 ms),
which the Inspector's empty code view paid at every launch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pygments.styles import get_style_by_name
from pygments.token import _TokenType
from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

if TYPE_CHECKING:
    from pygments.lexers import PythonLexer


class PygmentsHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument, style: str) -> None:
        super().__init__(document)
        self._lexer: PythonLexer | None = None
        self._formats: dict[_TokenType, QTextCharFormat] = {}
        self._by_block: dict[int, list[tuple[int, int, QTextCharFormat]]] = {}
        self._relexing = False
        self.set_style(style)
        document.contentsChanged.connect(self._relex)

    def set_style(self, name: str) -> None:
        self._style = get_style_by_name(name)
        self._formats.clear()
        self._relex()

    @property
    def background(self) -> QColor:
        return QColor(self._style.background_color or "#ffffff")

    @property
    def foreground(self) -> QColor:
        colour = self._style.style_for_token(_TokenType()).get("color")
        return QColor(f"#{colour}") if colour else QColor("#000000")

    def _format(self, token: _TokenType) -> QTextCharFormat:
        cached = self._formats.get(token)
        if cached is not None:
            return cached
        spec = self._style.style_for_token(token)
        fmt = QTextCharFormat()
        if spec.get("color"):
            fmt.setForeground(QColor(f"#{spec['color']}"))
        if spec.get("bold"):
            fmt.setFontWeight(QFont.Weight.Bold)
        if spec.get("italic"):
            fmt.setFontItalic(True)
        self._formats[token] = fmt
        return fmt

    def _relex(self) -> None:
        document = self.document()
        if document is None or self._relexing:
            return
        text = document.toPlainText()
        if not text and not self._by_block:
            return  # nothing to colour, nothing coloured to clear
        if self._lexer is None:
            from pygments.lexers import PythonLexer

            self._lexer = PythonLexer(stripnl=False, ensurenl=False)
        by_block: dict[int, list[tuple[int, int, QTextCharFormat]]] = {}
        block, column = 0, 0
        for token, value in self._lexer.get_tokens(text):
            fmt = self._format(token)
            for i, part in enumerate(value.split("\n")):
                if i > 0:
                    block, column = block + 1, 0
                if part:
                    by_block.setdefault(block, []).append((column, len(part), fmt))
                column += len(part)
        self._by_block = by_block
        self._relexing = True
        try:
            self.rehighlight()
        finally:
            self._relexing = False

    def highlightBlock(self, text: str) -> None:
        for start, length, fmt in self._by_block.get(self.currentBlock().blockNumber(), ()):
            self.setFormat(start, length, fmt)
