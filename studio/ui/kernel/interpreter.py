"""Checking a Python interpreter, off the GUI thread, before a kernel is started in it.

The check itself is `studio.core.interpreters.check.check_interpreter`.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from studio.core.interpreters.check import InterpreterCheck, check_interpreter

__all__ = ["InterpreterCheck", "InterpreterChecker"]


class InterpreterChecker(QObject):
    """Runs `check_interpreter` on a worker thread; `checked` arrives on the GUI thread."""

    checked = Signal(object)

    def check(self, python: Path) -> None:
        threading.Thread(
            target=lambda: self.checked.emit(check_interpreter(python)),
            name="studio-interpreter-check",
            daemon=True,
        ).start()
