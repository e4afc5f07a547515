"""The console: a Jupyter console (qtconsole) on the studio's own kernel.

It shares the kernel with the canvas: `results` holds the values of
computed nodes and `dr` the current Hamilton driver. What nodes print
during runs appears here too (runs are requests from the same session).

qtconsole takes over a second to import and build, so the console is
built when it is first seen (its dock brought forward) or used, not while the
window opens; what runs print meanwhile is kept for it (`console_backlog`).
A dock's tab behind another is still "shown" to Qt (moved out of sight), so
it is the dock's `visibilityChanged` that says when the user sees it: built
on its `showEvent`, the console cost 0.3-0.6 s of every launch (issue 33).
(Imported on a thread, its Qt modules raced the window's own: a crash in the
bundle's smoke test.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDockWidget, QVBoxLayout, QWidget

from studio.ui.kernel.session import KernelSession
from studio.ui.panels.console_backlog import ConsoleBacklog
from studio.ui.panels.console_colours import (
    DARK_ANSI,
    DARK_SYNTAX_STYLE,
    dark_style_sheet,
    keep_readable,
)
from studio.ui.theme import Theme

BANNER = (
    "Console on the studio's kernel (the project folder is the working directory).\n"
    "  results        values of computed nodes: results.model_input_table or results['name']\n"
    "  dr             the current Hamilton driver (dr.execute, dr.list_available_variables)\n"
)


class ConsolePanel(QWidget):
    def __init__(self, session: KernelSession, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.theme = theme
        self._widget: Any = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._backlog = ConsoleBacklog()
        self._backlog.follow(session.kernel_client)
        session.ready.connect(self._attach)

    @property
    def widget(self) -> Any:
        """The qtconsole widget, built on first use."""
        if self._widget is None:
            widget = _console_class()()
            widget.until_prompt = []
            widget.backlog = self._backlog
            widget.banner = BANNER
            widget.kernel_banner = ""
            widget.gui_completion = "droplist"
            self._layout.addWidget(widget)
            self._widget = widget
            self.set_theme(self.theme)
            if self.session.kernel_client is not None:
                self._attach({})
        return self._widget

    @property
    def built(self) -> bool:
        return self._widget is not None

    def build_when_seen(self, dock: QDockWidget) -> None:
        """Build the console when `dock` (holding this panel) comes into view."""
        dock.visibilityChanged.connect(lambda visible: visible and self.widget)

    def _attach(self, _info: dict[str, Any]) -> None:
        """Follow the session's current kernel (a new one after each restart)."""
        if self._widget is None or self._widget.backlog is not None:
            # Until the console has shown what was kept, keep the new kernel's output (a
            # new kernel starts with an empty console: the last one's is dropped).
            self._backlog.follow(self.session.kernel_client)
        if self._widget is None:
            return
        self._widget.kernel_manager = self.session.kernel_manager
        self._widget.kernel_client = self.session.kernel_client

    def detach(self) -> None:
        self._backlog.stop()
        if self._widget is not None:
            self._widget.kernel_client = None
            self._widget.kernel_manager = None

    def insert(self, text: str) -> None:
        """Put `text` at the prompt, ready to run with Enter."""

        def put() -> None:
            self.widget.input_buffer = text
            self.widget._control.setFocus()  # qtconsole's text widget: no public focus method

        self._when_ready(put)

    def execute(self, code: str) -> None:
        self._when_ready(lambda: self.widget.execute(code, hidden=False))

    def _when_ready(self, action: Callable[[], None]) -> None:
        """Do `action` now, or once a console just built shows its first prompt:
        until then qtconsole clears its text and forgets what it executed (when its
        kernel's info comes back), which dropped a name sent to it as it was built."""
        widget = self.widget
        if widget.until_prompt is None:
            action()
        else:
            widget.until_prompt.append(action)

    def text(self) -> str:
        return self.widget._control.toPlainText()

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        if self._widget is None:
            return
        from qtconsole import styles

        ansi = self.widget._ansi_processor  # qtconsole's: no public way to set its colours
        if theme.dark:
            # Read by `set_background_color` when the syntax style is set (below).
            ansi.darkbg_color_map = dict(DARK_ANSI)
            self.widget.style_sheet = dark_style_sheet(theme)
            self.widget.syntax_style = DARK_SYNTAX_STYLE
        else:
            ansi.__dict__.pop("darkbg_color_map", None)
            self.widget.style_sheet = styles.default_light_style_sheet
            self.widget.syntax_style = styles.default_light_syntax_style
        self.widget._style_sheet_changed()
        self.widget._syntax_style_changed()
        keep_readable(ansi, theme.base if theme.dark else QColor("#ffffff"))


RUN_OUTPUT_SHOWN = 20_000
"""Characters of one run's output the console shows (the Run Log holds the rest): the
console draws text line by line, and a run that prints megabytes would hold it for minutes."""


def _console_class() -> type:
    from qtconsole.rich_jupyter_widget import RichJupyterWidget

    class StudioConsole(RichJupyterWidget):  # type: ignore[misc]
        """qtconsole's console, showing the start of what a run prints, not all of it."""

        _run: str | None = None
        _run_shown = 0
        until_prompt: list[Callable[[], None]] | None
        """What was asked of the console before its first prompt (None: it has shown it)."""

        def _prompt_started_hook(self) -> None:
            super()._prompt_started_hook()
            waiting, self.until_prompt = self.until_prompt or [], None
            for action in waiting:
                action()

        backlog: ConsoleBacklog | None = None
        """What runs printed before the console was built, shown once it is ready."""

        def _dispatch(self, msg: dict[str, Any]) -> None:
            if self._kernel_client is None:
                return  # queued by the channel's thread before the console let go of it
            super()._dispatch(msg)

        def reset(self, clear: bool = False) -> None:
            super().reset(clear)
            if clear and self.backlog is not None:  # cleared for the kernel it attached to
                for msg in self.backlog.take():
                    self._dispatch(msg)
                self.backlog = None

        def _handle_stream(self, msg: dict[str, Any]) -> None:
            parent = msg.get("parent_header") or {}
            if parent.get("msg_type") != "comm_msg":  # the console's own cells: all of it
                super()._handle_stream(msg)
                return
            if parent.get("msg_id") != self._run:
                self._run, self._run_shown = parent.get("msg_id"), 0
            room = RUN_OUTPUT_SHOWN - self._run_shown
            text = msg["content"].get("text", "")
            if room <= 0 or not text:
                return
            if len(text) > room:
                text = text[:room] + "\n[The run prints more: the Run Log has the rest.]\n"
                self._run_shown = RUN_OUTPUT_SHOWN
            else:
                self._run_shown += len(text)
            super()._handle_stream({**msg, "content": {**msg["content"], "text": text}})

    return StudioConsole
