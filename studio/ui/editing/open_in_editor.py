"""Opening a file at a line in the user's editor, or with the desktop's default app; a
notebook in Jupyter."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QProcess, QUrl
from PySide6.QtGui import QDesktopServices

from studio.core.editing.editor_command import editor_command
from studio.core.editing.notebook_sources import jupyter_command
from studio.core.interpreters.environments import project_environments


def open_in_editor(path: Path, line: int) -> bool:
    """Start the editor detached (it outlives the studio); False when nothing could open it."""
    command = editor_command(path, line, os.environ)
    if command is not None:
        started, _pid = QProcess.startDetached(command[0], command[1:])
        if started:
            return True
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def open_in_jupyter(notebook: Path, root: Path | None) -> bool:
    """Start JupyterLab (or Jupyter Notebook) on the notebook, detached, in its folder;
    False when neither is installed in the project's environments or on the PATH."""
    folders = [env.folder for env in project_environments(root)] if root is not None else []
    command = jupyter_command(notebook, folders)
    if command is None:
        return False
    started, _pid = QProcess.startDetached(command[0], command[1:], str(notebook.parent))
    return bool(started)
