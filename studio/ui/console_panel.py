"""The console: a Jupyter console (qtconsole) on the studio's own kernel.

It shares the kernel with the canvas: `results` holds the values of
computed nodes and `dr` the current Hamilton driver. What nodes print
during runs appears here too (runs are requests from the same session).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QVBoxLayout, QWidget
from qtconsole import styles
from qtconsole.rich_jupyter_widget import RichJupyterWidget

from studio.ui.kernel.session import KernelSession
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
        self.widget = RichJupyterWidget()
        self.widget.banner = BANNER
        self.widget.kernel_banner = ""
        self.widget.gui_completion = "droplist"
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.widget)
        self.set_theme(theme)
        session.ready.connect(self._attach)

    def _attach(self, _info: dict[str, Any]) -> None:
        """Follow the session's current kernel (a new one after each restart)."""
        self.widget.kernel_manager = self.session.kernel_manager
        self.widget.kernel_client = self.session.kernel_client

    def detach(self) -> None:
        self.widget.kernel_client = None
        self.widget.kernel_manager = None

    def insert(self, text: str) -> None:
        """Put `text` at the prompt, ready to run with Enter."""
        self.widget.input_buffer = text
        self.widget._control.setFocus()  # qtconsole's text widget: no public focus method

    def execute(self, code: str) -> None:
        self.widget.execute(code, hidden=False)

    def text(self) -> str:
        return self.widget._control.toPlainText()

    def set_theme(self, theme: Theme) -> None:
        if theme.dark:
            self.widget.style_sheet = styles.default_dark_style_sheet
            self.widget.syntax_style = styles.default_dark_syntax_style
        else:
            self.widget.style_sheet = styles.default_light_style_sheet
            self.widget.syntax_style = styles.default_light_syntax_style
        self.widget._style_sheet_changed()
        self.widget._syntax_style_changed()
