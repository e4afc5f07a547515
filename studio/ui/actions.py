"""Every command of the window, declared once: its text, shortcut, scope, tip and handler.

Menus, the toolbar, the context menus and Help › Keyboard Shortcuts are
all generated from the registry, so a shortcut cannot be missing from
the help or differ between a menu and the toolbar. Each shortcut has a
scope: the whole window, or one widget (the canvas, a panel). Canvas-only
shortcuts (single keys such as F, C, U) act only while the canvas has
focus, so typing elsewhere is never taken for a command. A panel's own
shortcut that shares keys with a window-wide one wins while the focus is
inside that panel: the registry routes the key press, so Qt never sees
two shortcuts for one key (which it would call ambiguous and ignore).
The press goes through the window-wide action, so while that one is
disabled its keys do nothing in the panel either.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QToolBar, QWidget

SEPARATOR = "-"
Shortcut = str | QKeySequence.StandardKey


@dataclass(frozen=True, slots=True)
class Scope:
    """Where a shortcut acts: Qt's shortcut context, and its heading in the help."""

    title: str
    context: Qt.ShortcutContext


WINDOW = Scope("Anywhere in the window", Qt.ShortcutContext.WindowShortcut)
CANVAS = Scope("On the canvas", Qt.ShortcutContext.WidgetShortcut)
SOURCE = Scope("In the Inspector's source", Qt.ShortcutContext.WidgetWithChildrenShortcut)
CONFIG = Scope("In the Config panel", Qt.ShortcutContext.WidgetWithChildrenShortcut)
RESULT_TABLE = Scope("In the result table", Qt.ShortcutContext.WidgetShortcut)


@dataclass(frozen=True, slots=True)
class Gesture:
    """A way of doing something that is not an action (a double-click), for the help."""

    keys: str
    does: str
    scope: Scope = CANVAS


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


def key_sequences(shortcut: Shortcut | Sequence[Shortcut] | None) -> list[QKeySequence]:
    """The key sequences a declared shortcut stands for on this platform, without repeats.

    A standard key stands for all its bindings (QKeySequence.keyBindings), as
    Qt expands it; a key listed twice would make Qt's shortcut ambiguous.
    """
    if shortcut is None:
        return []
    declared = list(shortcut) if isinstance(shortcut, list | tuple) else [shortcut]
    keys: list[QKeySequence] = []
    for item in declared:
        if isinstance(item, QKeySequence.StandardKey):
            expanded = QKeySequence.keyBindings(item)
        else:
            expanded = [QKeySequence(item)]
        keys += [k for k in expanded if not k.isEmpty() and k not in keys]
    return keys


class _Action(QAction):
    """An action that knows, while it triggers, which key pressed it (None: a click)."""

    pressed: QKeySequence | None = None

    def event(self, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Shortcut:
            return super().event(event)
        self.pressed = event.key()  # type: ignore[attr-defined]
        try:
            return super().event(event)
        finally:
            self.pressed = None


@dataclass(slots=True)
class _Route:
    """A panel's command that takes a window-wide command's keys inside `widget`."""

    widget: QWidget
    action_id: str


class ActionRegistry(QObject):
    def __init__(self, canvas: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.canvas = canvas
        self.actions: dict[str, QAction] = {}
        self.scopes: dict[str, Scope] = {}
        self._help: dict[str, str] = {}
        self._handlers: dict[str, Callable[[], object]] = {}
        self._widgets: dict[str, QWidget] = {}
        self._routes: dict[str, list[_Route]] = {}
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
        scope: Scope = WINDOW,
        widget: QWidget | None = None,
    ) -> QAction:
        """Declare a command. `help` is its line in Help › Keyboard Shortcuts.

        `scope` other than WINDOW makes the shortcut act only with the focus on
        `widget` (or inside it); `canvas=True` is the canvas scope on the canvas.
        """
        if action_id in self.actions:
            raise ValueError(f"action {action_id!r} is declared twice")
        if canvas:
            scope, widget = CANVAS, self.canvas
        if scope is not WINDOW and widget is None:
            raise ValueError(f"action {action_id!r} has a scope but no widget")
        action = _Action(text, self)
        action.setObjectName(action_id)
        action.setShortcuts(key_sequences(shortcut))
        if tip:
            shown = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{tip} ({shown})" if shown else tip)
        action.setCheckable(checkable)
        action.setChecked(checked)
        # The user's act only: setting a check mark from code calls nothing.
        action.triggered.connect(lambda _=False: self._trigger(action_id))
        self.actions[action_id] = action
        self.scopes[action_id] = scope
        self._handlers[action_id] = handler
        self._help[action_id] = help or tip or text.replace("&", "").rstrip("…")
        if widget is not None:
            action.setShortcutContext(scope.context)
            self._widgets[action_id] = widget
            widget.addAction(action)
        self._route_shared_keys(action_id)
        return action

    def __getitem__(self, action_id: str) -> QAction:
        return self.actions[action_id]

    def gesture(self, keys: str, does: str, scope: Scope = CANVAS) -> None:
        self.gestures.append(Gesture(keys, does, scope))

    def group(self, action_ids: Sequence[str]) -> QActionGroup:
        """Checkable actions of which exactly one is on."""
        group = QActionGroup(self)
        for action_id in action_ids:
            group.addAction(self.actions[action_id])
        return group

    # -- shared keys -----------------------------------------------------------------

    def _route_shared_keys(self, new_id: str) -> None:
        """A panel's command sharing keys with a window-wide one leaves Qt's shortcut map
        (two would be ambiguous): the window-wide action runs it for presses inside the panel."""
        new_keys = self.actions[new_id].shortcuts()
        for other_id, other in self.actions.items():
            if other_id == new_id or not any(k in new_keys for k in other.shortcuts()):
                continue
            scopes = (self.scopes[new_id], self.scopes.get(other_id, WINDOW))
            if scopes[0] is WINDOW and scopes[1] is not WINDOW:
                self._route(other_id, new_id)
            elif scopes[1] is WINDOW and scopes[0] is not WINDOW:
                self._route(new_id, other_id)

    def _route(self, local_id: str, window_id: str) -> None:
        widget = self._widgets[local_id]
        widget.removeAction(self.actions[local_id])
        self._routes.setdefault(window_id, []).append(_Route(widget, local_id))

    def _trigger(self, action_id: str) -> None:
        action = self.actions[action_id]
        pressed = action.pressed if isinstance(action, _Action) else None
        if pressed is not None:
            focus = QApplication.focusWidget()
            for route in self._routes.get(action_id, []):
                keys = self.actions[route.action_id].shortcuts()
                scope = self.scopes[route.action_id]
                if pressed in keys and _in_scope(focus, route.widget, scope):
                    self._handlers[route.action_id]()
                    return
        self._handlers[action_id]()

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

    def sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """The help, by scope: (title, [(keys, what they do)]), window-wide first."""
        rows: dict[Scope, list[tuple[str, str]]] = {WINDOW: []}
        for action_id, action in self.actions.items():
            keys = [_shown(k) for k in action.shortcuts() if not _device_key(k)]
            if keys:
                rows.setdefault(self.scopes.get(action_id, WINDOW), []).append(
                    (" or ".join(keys), self._help[action_id])
                )
        for gesture in self.gestures:
            rows.setdefault(gesture.scope, []).append((gesture.keys, gesture.does))
        return [(scope.title, found) for scope, found in rows.items() if found]

    def shortcuts(self) -> list[tuple[str, str]]:
        """(keys, what they do) for every action with a shortcut, then the gestures."""
        return [row for _title, rows in self.sections() for row in rows]


def ids_menu(actions: ActionRegistry, ids: Sequence[str]) -> Callable[[QMenu], None]:
    """A submenu's filler that lists the given actions (engines, themes, depths)."""

    def fill(menu: QMenu) -> None:
        actions.fill_menu(menu, ids)

    return fill


def _shown(keys: QKeySequence) -> str:
    return keys.toString(QKeySequence.SequenceFormat.NativeText)


def _device_key(keys: QKeySequence) -> bool:
    """A keyboard's dedicated key (Open, Undo, Copy, media keys, the F13-F35 that X11 maps
    Sun keyboards' Undo and Copy to): left out of the help."""
    key = keys[0].key().value
    dedicated = Qt.Key.Key_Back.value <= key < Qt.Key.Key_Context1.value
    return dedicated or Qt.Key.Key_F13.value <= key <= Qt.Key.Key_F35.value


def _in_scope(focus: QWidget | None, widget: QWidget, scope: Scope) -> bool:
    """Whether Qt would deliver a shortcut of `scope` on `widget` with this focus."""
    if focus is None:
        return False
    if scope.context is Qt.ShortcutContext.WidgetShortcut:
        return focus is widget
    return focus is widget or widget.isAncestorOf(focus)


def _refill(menu: QMenu, entry: Submenu) -> None:
    menu.clear()
    entry.fill(menu)
