"""Checking a Python interpreter, off the GUI thread, before a kernel is started in it.

The check itself is `studio.core.interpreters.check.check_interpreter`.
"""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from studio.core.interpreters.agent_source import agent_source_dir
from studio.core.interpreters.check import InterpreterCheck, check_interpreter

__all__ = ["InterpreterCheck", "InterpreterChecker"]


class InterpreterChecker(QObject):
    """Runs `check_interpreter` on a worker thread; `checked` arrives on the GUI thread."""

    checked = Signal(object)

    def check(self, python: Path) -> None:
        threading.Thread(
            target=self._check, args=(python,), name="studio-interpreter-check", daemon=True
        ).start()

    def _check(self, python: Path) -> None:
        found = check_interpreter(python)
        if found.ok:
            with contextlib.suppress(OSError):
                agent_source_dir()  # the kernel about to start there needs it: copied here
        self.checked.emit(found)
