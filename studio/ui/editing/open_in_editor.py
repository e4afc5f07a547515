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
from studio.core.platform.login_environment import tool_environment, tool_which


def open_in_editor(path: Path, line: int) -> bool:
    """Start the editor detached (it outlives the studio); False when nothing could open it.

    The editor and its program are looked up with the user's shell PATH and `$EDITOR`
    where the app lacks them (macOS, started from the Finder: `login_environment`)."""
    environment = tool_environment()
    which = tool_which()
    command = editor_command(path, line, environment, which)
    if command is not None and environment.get("PATH") != os.environ.get("PATH"):
        command[0] = which(command[0]) or command[0]  # not on the app's own PATH
    if command is not None:
        started, _pid = QProcess.startDetached(command[0], command[1:])
        if started:
            return True
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def open_in_jupyter(notebook: Path, root: Path | None) -> bool:
    """Start JupyterLab (or Jupyter Notebook) on the notebook, detached, in its folder;
    False when neither is installed in the project's environments or on the PATH."""
    folders = [env.folder for env in project_environments(root)] if root is not None else []
    command = jupyter_command(notebook, folders, which=tool_which())
    if command is None:
        return False
    started, _pid = QProcess.startDetached(command[0], command[1:], str(notebook.parent))
    return bool(started)
