"""The bar over the canvas while the view is focused on some nodes' lineage.

It says what is shown and how much is hidden, switches direction and
depth in one click, and leads back to the whole graph.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QButtonGroup, QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from studio.core.graph.display_graph import Focus, FocusDirection
from studio.ui.theme import Theme

DEPTHS: tuple[int | None, ...] = (1, 2, None)


class FocusBar(QFrame):
    direction_chosen = Signal(object)
    """A FocusDirection."""
    depth_chosen = Signal(object)
    """1, 2 or None (all levels)."""
    cleared = Signal()

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("focus-bar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 6, 4)
        layout.setSpacing(6)
        self.label = QLabel()
        layout.addWidget(self.label)
        self._directions = QButtonGroup(self)
        for direction, text, key in (
            (FocusDirection.UPSTREAM, "Upstream", "U"),
            (FocusDirection.DOWNSTREAM, "Downstream", "D"),
            (FocusDirection.BOTH, "Both", "L"),
        ):
            button = self._button(text, f"Show only the {direction.value} ({key})")
            button.clicked.connect(lambda _=False, d=direction: self.direction_chosen.emit(d))
            self._directions.addButton(button)
            button.setProperty("direction", direction.value)
            layout.addWidget(button)
        layout.addSpacing(8)
        self._depths = QButtonGroup(self)
        for depth in DEPTHS:
            text = "All" if depth is None else str(depth)
            key = "0" if depth is None else str(depth)
            button = self._button(text, f"Depth: {text.lower()} ({key})")
            button.clicked.connect(lambda _=False, d=depth: self.depth_chosen.emit(d))
            button.setProperty("depth", 0 if depth is None else depth)
            self._depths.addButton(button)
            layout.addWidget(button)
        self.hidden_label = QLabel()
        layout.addSpacing(8)
        layout.addWidget(self.hidden_label)
        close = QToolButton()
        close.setText("Show All")
        close.setToolTip("Show the whole graph again (Esc)")
        close.clicked.connect(self.cleared)
        layout.addWidget(close)
        self.set_theme(theme)
        self.hide()

    def _button(self, text: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setCheckable(True)
        button.setAutoRaise(True)
        return button

    def show_focus(self, focus: Focus | None, hidden: int) -> None:
        if focus is None:
            self.hide()
            return
        self.label.setText(f"<b>{focus.describe()}</b>")
        for button in self._directions.buttons():
            button.setChecked(button.property("direction") == focus.direction.value)
        for button in self._depths.buttons():
            button.setChecked(button.property("depth") == (focus.depth or 0))
        self.hidden_label.setText(f"{hidden:,} node{'s' * (hidden != 1)} hidden")
        self.adjustSize()
        self.show()
        self.raise_()

    def set_theme(self, theme: Theme) -> None:
        self.setStyleSheet(
            f"#focus-bar {{ background: {theme.banner_info.name()}; "
            f"border: 1px solid {theme.upstream.name()}; border-radius: 6px; }}"
            f"#focus-bar QLabel {{ color: {theme.text.name()}; }}"
            f"#focus-bar QToolButton:checked {{ background: {theme.upstream.name()}; "
            "color: white; border-radius: 3px; }"
        )

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()  # a click on the bar never reaches the canvas under it
