"""Opening a file at a line in the user's editor, or with the desktop's default app."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QProcess, QUrl
from PySide6.QtGui import QDesktopServices

from studio.core.editing.editor_command import editor_command


def open_in_editor(path: Path, line: int) -> bool:
    """Start the editor detached (it outlives the studio); False when nothing could open it."""
    command = editor_command(path, line, os.environ)
    if command is not None:
        started, _pid = QProcess.startDetached(command[0], command[1:])
        if started:
            return True
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
