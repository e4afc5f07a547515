"""The window's panels around the canvas: where they sit and how much room they get.

Fresh settings give the canvas most of the window: the bottom panels start
low and grow once, when the first value is shown. A user's own
arrangement (saved window state) is kept as it was.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

RIGHT_DOCK_START = 440
BOTTOM_DOCK_START = 110
"""Pixels the bottom panels (results, run log, console) start with."""
BOTTOM_PANEL_MINIMUM = 60
BOTTOM_DOCK_GROWN_ABOVE = 200
BOTTOM_DOCK_GROWN_SHARE = 0.4
"""Of the window's height, given to the bottom panels when the first value shows."""

_RIGHT = ("inspector", "inputs", "config")
_BOTTOM = ("results", "run-log", "console")


class WindowDocks:
    """The dock widgets of a main window, by key."""

    def __init__(self, window: QMainWindow, panels: dict[str, tuple[str, QWidget]]) -> None:
        self.window = window
        self._docks: dict[str, QDockWidget] = {}
        self._bottom_grown = False
        for key, (title, widget) in panels.items():
            dock = QDockWidget(title, window)
            dock.setObjectName(key)
            dock.setWidget(widget)
            if key in _BOTTOM:
                widget.setMinimumHeight(BOTTOM_PANEL_MINIMUM)
            self._docks[key] = dock
        for keys, area in (
            (_RIGHT, Qt.DockWidgetArea.RightDockWidgetArea),
            (_BOTTOM, Qt.DockWidgetArea.BottomDockWidgetArea),
        ):
            for key in keys:
                window.addDockWidget(area, self._docks[key])
            for first, second in itertools.pairwise(keys):
                window.tabifyDockWidget(self._docks[first], self._docks[second])
            self._docks[keys[0]].raise_()
        self._sized = False
        for key in ("run-log", "console"):  # brought forward: the user wants to read it
            self._docks[key].visibilityChanged.connect(
                lambda visible: visible and self._sized and self.grow_bottom()
            )

    def __getitem__(self, key: str) -> QDockWidget:
        return self._docks[key]

    def values(self) -> list[QDockWidget]:
        return list(self._docks.values())

    def show(self, key: str) -> None:
        self._docks[key].show()
        self._docks[key].raise_()

    def first_sizes(self) -> None:
        self._sized = True
        self.window.resizeDocks(
            [self._docks["inspector"]], [RIGHT_DOCK_START], Qt.Orientation.Horizontal
        )
        self.window.resizeDocks(
            [self._docks["results"]], [BOTTOM_DOCK_START], Qt.Orientation.Vertical
        )

    def grow_bottom(self) -> None:
        """Once a window: a value to show, or the run log or console brought forward, makes
        a low bottom area tall enough to read."""
        dock = self._docks["results"]
        if self._bottom_grown or dock.isFloating() or dock.height() >= BOTTOM_DOCK_GROWN_ABOVE:
            return
        self._bottom_grown = True
        target = round(self.window.height() * BOTTOM_DOCK_GROWN_SHARE)
        self.window.resizeDocks([dock], [target], Qt.Orientation.Vertical)
