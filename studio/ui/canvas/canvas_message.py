"""A message in the middle of an empty canvas: what is loading, or why nothing is drawn."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from studio.ui.theme import Theme


class CanvasMessage(QWidget):
    """Floats over the view's centre; the canvas under it is empty while it shows."""

    def __init__(self, theme: Theme, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.title = QLabel()
        self.details = QLabel()
        for label in (self.title, self.details):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        self.title.setFont(font)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.details)
        layout.addStretch(1)
        self.set_theme(theme)
        self.hide()

    def set_theme(self, theme: Theme) -> None:
        self.title.setStyleSheet(f"color: {theme.node_text.name()};")
        self.details.setStyleSheet(f"color: {theme.node_subtext.name()};")

    def say(self, title: str, details: str = "") -> None:
        self.title.setText(title)
        self.details.setText(details)
        self.details.setVisible(bool(details))
        self.place()
        self.show()
        self.raise_()

    def place(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            width = min(560, parent.width() - 40)
            self.setGeometry((parent.width() - width) // 2, 0, width, parent.height())
