"""A non-modal message bar over the top of the canvas: load errors, kernel trouble, notices.

It floats over the canvas rather than taking a band of the window: a banner
coming or going must never move the graph under the pointer (a double-click
meant for one node would run the one that slid under it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from studio.core.notices import Notice, NoticeKind
from studio.ui.theme import Theme

BannerKind = NoticeKind


class Banner(QFrame):
    location_requested = Signal(str, int)
    """The user asked to see where the error is: (file, line)."""
    placed = Signal()
    """Shown, hidden or resized over its host: overlays below it move."""

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self._host: QWidget | None = None
        self.kind = BannerKind.INFO
        self._location: tuple[str, int] | None = None
        self._icon = QLabel()
        self._text = QLabel()
        self._text.setWordWrap(True)
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._show = QPushButton("Show")
        self._show.setToolTip("Show this line in the inspector")
        self._show.clicked.connect(self._on_show)
        self._action = QPushButton()
        self._action.clicked.connect(self._on_action)
        self._action_callback: Callable[[], None] | None = None
        self._close = QPushButton("✕")
        self._close.setFlat(True)
        self._close.setFixedWidth(28)
        self._close.setToolTip("Dismiss")
        self._close.clicked.connect(self.hide)
        self._toggle = QPushButton("Details")
        self._toggle.setCheckable(True)
        self._toggle.setToolTip("List every error")
        self._details = QLabel()
        self._details.setWordWrap(True)
        self._details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._toggle.toggled.connect(self._details.setVisible)
        self._toggle.toggled.connect(lambda _checked: self._place())
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self._icon)
        row.addWidget(self._text, 1)
        row.addWidget(self._show)
        row.addWidget(self._toggle)
        row.addWidget(self._action)
        row.addWidget(self._close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addLayout(row)
        layout.addWidget(self._details)
        self.cause = ""
        self.hide()

    def float_over(self, host: QWidget) -> None:
        """Float over the top edge of `host` (the canvas), as wide as it."""
        self.setParent(host)
        self._host = host
        host.installEventFilter(self)
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._host and event.type() == QEvent.Type.Resize:
            self._place()
        return False

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._place()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.placed.emit()

    def _place(self) -> None:
        host = self._host
        if host is None or not self.isVisible():
            return
        width = host.width()
        layout = self.layout()
        height = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else -1
        self.setGeometry(0, 0, width, max(height, self.minimumSizeHint().height()))
        self.raise_()
        self.placed.emit()

    def text(self) -> str:
        return self._text.text()

    def clear(self, *causes: str) -> None:
        """Hide the message if it is about one of `causes`."""
        if self.isVisible() and self.cause in causes:
            self.hide()

    def details(self) -> str:
        return self._details.text() if self._toggle.isVisible() else ""

    def show_notice(
        self, notice: Notice, action: tuple[str, Callable[[], None]] | None = None
    ) -> None:
        self.show_message(notice.kind, notice.text, notice.location, action, notice.details)

    def show_message(
        self,
        kind: BannerKind,
        text: str,
        location: tuple[str, int] | None = None,
        action: tuple[str, Callable[[], None]] | None = None,
        details: Sequence[str] = (),
        cause: str = "",
    ) -> None:
        """Show `text`; `location` adds a Show button, `action` a button of its own,
        `details` a Details button that lists them. `cause` names what the message is
        about, so that it goes when that does (`clear`)."""
        self.cause = cause
        self._toggle.setVisible(bool(details))
        self._toggle.setChecked(False)
        self._details.setText("\n".join(details))
        self._details.hide()
        self.kind = kind
        self._location = location
        self._action_callback = action[1] if action else None
        self._action.setText(action[0] if action else "")
        self._action.setVisible(action is not None)
        self._icon.setText("⚠" if kind is BannerKind.ERROR else "ℹ")
        self._text.setText(text)
        self._show.setVisible(location is not None)
        self._restyle()
        self.show()
        self._place()  # already shown: its new text may take another height

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self._restyle()

    def _restyle(self) -> None:
        background = (
            self.theme.banner_error if self.kind is BannerKind.ERROR else self.theme.banner_info
        )
        accent = self.theme.error if self.kind is BannerKind.ERROR else self.theme.upstream
        self.setStyleSheet(
            f"Banner {{ background: {background.name()};"
            f" border-bottom: 1px solid {accent.name()}; }}"
            f"QLabel {{ color: {self.theme.text.name()}; }}"
        )
        self._icon.setStyleSheet(f"color: {accent.name()}; font-size: 15pt;")

    def _on_action(self) -> None:
        callback = self._action_callback
        self.hide()
        if callback is not None:
            callback()

    def _on_show(self) -> None:
        if self._location is not None:
            self.location_requested.emit(*self._location)
