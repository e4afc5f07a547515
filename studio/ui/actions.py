"""Every command of the window, declared once: its text, shortcut, tip and handler.

Menus, the toolbar, the context menus and Help › Keyboard Shortcuts are
all generated from the registry, so a shortcut cannot be missing from
the help or differ between a menu and the toolbar. Canvas-only shortcuts
(single keys such as F, C, U) act only while the canvas has focus, so
typing elsewhere is never taken for a command.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar, QWidget

SEPARATOR = "-"
Shortcut = str | QKeySequence.StandardKey


@dataclass(frozen=True, slots=True)
class Gesture:
    """A way of doing something that is not an action (a double-click), for the help."""

    keys: str
    does: str


@dataclass(frozen=True, slots=True)
class Submenu:
    """A submenu in a menu layout: its title and what fills it when it opens (or once)."""

    title: str
    fill: Callable[[QMenu], None]
    dynamic: bool = False
    """Filled again each time it opens (recent folders)."""


MenuEntry = str | Submenu


class Announcement(Protocol):
    """A model's `Event` or a Qt signal: whatever calls its listeners on a change."""

    def connect(self, listener: Callable[..., Any], /) -> Any: ...


def bind_checked(
    action: QAction, events: Announcement | Sequence[Announcement], checked: Callable[[], bool]
) -> None:
    """The action's check mark follows `checked()`, read again at each of `events`: the
    model owns the fact, the action only shows it (setting it from code calls nothing)."""
    _bind(events, lambda: action.setChecked(checked()))


def bind_enabled(
    action: QAction, events: Announcement | Sequence[Announcement], enabled: Callable[[], bool]
) -> None:
    """The action is enabled while `enabled()`, read again at each of `events`."""
    _bind(events, lambda: action.setEnabled(enabled()))


def _bind(events: Announcement | Sequence[Announcement], show: Callable[[], None]) -> None:
    for event in events if isinstance(events, Sequence) else (events,):
        event.connect(lambda *_args: show())
    show()


class ActionRegistry(QObject):
    def __init__(self, canvas: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.canvas = canvas
        self.actions: dict[str, QAction] = {}
        self._help: dict[str, str] = {}
        self.gestures: list[Gesture] = []

    def add(
        self,
        action_id: str,
        text: str,
        handler: Callable[[], object],
        shortcut: Shortcut | Sequence[Shortcut] | None = None,
        tip: str = "",
        help: str = "",
        canvas: bool = False,
        checkable: bool = False,
        checked: bool = False,
    ) -> QAction:
        """Declare a command. `help` is its line in Help › Keyboard Shortcuts."""
        if action_id in self.actions:
            raise ValueError(f"action {action_id!r} is declared twice")
        action = QAction(text, self)
        action.setObjectName(action_id)
        if shortcut is not None:
            keys = list(shortcut) if isinstance(shortcut, list | tuple) else [shortcut]
            action.setShortcuts([QKeySequence(k) for k in keys])
        if tip:
            shown = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{tip} ({shown})" if shown else tip)
        action.setCheckable(checkable)
        action.setChecked(checked)
        # The user's act only: setting a check mark from code calls nothing.
        action.triggered.connect(lambda _=False: handler())
        if canvas:
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self.canvas.addAction(action)
        self.actions[action_id] = action
        self._help[action_id] = help or tip or text.replace("&", "").rstrip("…")
        return action

    def __getitem__(self, action_id: str) -> QAction:
        return self.actions[action_id]

    def gesture(self, keys: str, does: str) -> None:
        self.gestures.append(Gesture(keys, does))

    def group(self, action_ids: Sequence[str]) -> QActionGroup:
        """Checkable actions of which exactly one is on."""
        group = QActionGroup(self)
        for action_id in action_ids:
            group.addAction(self.actions[action_id])
        return group

    # -- generated places ------------------------------------------------------------

    def fill_menu(self, menu: QMenu, entries: Sequence[MenuEntry]) -> None:
        for entry in entries:
            if entry == SEPARATOR:
                menu.addSeparator()
            elif isinstance(entry, Submenu):
                submenu = menu.addMenu(entry.title)
                if entry.dynamic:
                    submenu.aboutToShow.connect(lambda m=submenu, e=entry: _refill(m, e))
                else:
                    entry.fill(submenu)
            else:
                menu.addAction(self.actions[entry])

    def fill_toolbar(self, bar: QToolBar, entries: Sequence[str]) -> None:
        for entry in entries:
            if entry == SEPARATOR:
                bar.addSeparator()
            else:
                bar.addAction(self.actions[entry])

    def context_menu(self, parent: QWidget, entries: Sequence[MenuEntry]) -> QMenu:
        menu = QMenu(parent)
        self.fill_menu(menu, entries)
        return menu

    def shortcuts(self) -> list[tuple[str, str]]:
        """(keys, what they do) for every action with a shortcut, then the gestures."""
        rows = []
        for action_id, action in self.actions.items():
            keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
            if keys:
                rows.append((" or ".join(keys), self._help[action_id]))
        rows += [(g.keys, g.does) for g in self.gestures]
        return rows


def _refill(menu: QMenu, entry: Submenu) -> None:
    menu.clear()
    entry.fill(menu)
