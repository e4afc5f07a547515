"""What the studio remembers between runs: window layout, recent folders, per-project choices.

Stored in an INI file in the user's config folder (platformdirs), or in
`$STUDIO_CONFIG_DIR` when that is set (tests use it to stay isolated).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import platformdirs
from PySide6.QtCore import QByteArray, QSettings

from studio.core.cache.cache_paths import project_key
from studio.core.resources import resources_root

MAX_RECENT = 10


def config_dir() -> Path:
    override = os.environ.get("STUDIO_CONFIG_DIR")
    return Path(override) if override else Path(platformdirs.user_config_dir("dataflow-studio"))


class AppSettings:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or config_dir() / "studio.ini"
        self._qsettings = QSettings(str(self.path), QSettings.Format.IniFormat)

    def sync(self) -> None:
        self._qsettings.sync()

    # -- window ---------------------------------------------------------------

    def window_geometry(self) -> QByteArray | None:
        value = self._qsettings.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def window_state(self) -> QByteArray | None:
        value = self._qsettings.value("window/state")
        return value if isinstance(value, QByteArray) else None

    def save_window(self, geometry: QByteArray, state: QByteArray) -> None:
        self._qsettings.setValue("window/geometry", geometry)
        self._qsettings.setValue("window/state", state)

    # -- preferences ----------------------------------------------------------

    def get(self, key: str, default: str) -> str:
        value = self._qsettings.value(f"preferences/{key}", default)
        return str(value)

    def set(self, key: str, value: str) -> None:
        self._qsettings.setValue(f"preferences/{key}", value)

    # -- recent folders -------------------------------------------------------

    def recent_folders(self) -> list[str]:
        value = self._qsettings.value("recent/folders", [])
        if isinstance(value, str):
            value = [value]
        values: Any = value or []  # a list, or None when nothing was kept
        return [str(v) for v in values]

    def add_recent_folder(self, folder: Path) -> list[str]:
        path = str(folder)
        folders = [path] + [f for f in self.recent_folders() if f != path]
        self._qsettings.setValue("recent/folders", folders[:MAX_RECENT])
        return folders[:MAX_RECENT]

    def clear_recent_folders(self) -> None:
        self._qsettings.remove("recent/folders")

    # -- workspace trust --------------------------------------------------------

    def is_trusted(self, root: Path) -> bool:
        """Whether the window may run the folder's code (import its modules): the user
        trusted it, or it is one of the bundled examples, or trust is turned off."""
        if self.get("workspace_trust", "on") == "off":
            return True
        examples = resources_root() / "examples"
        if root.resolve().is_relative_to(examples.resolve()):
            return True
        return str(self._qsettings.value(f"trusted/{project_key(root.resolve())}", "")) == "1"

    def trust(self, root: Path) -> None:
        self._qsettings.setValue(f"trusted/{project_key(root.resolve())}", "1")

    # -- per project ----------------------------------------------------------

    def project_state(self, root: Path) -> dict[str, Any]:
        raw = self._qsettings.value(f"projects/{project_key(root)}", "")
        try:
            state = json.loads(str(raw)) if raw else {}
        except json.JSONDecodeError:
            state = {}
        return state if isinstance(state, dict) else {}

    def save_project_state(self, root: Path, state: dict[str, Any]) -> None:
        self._qsettings.setValue(
            f"projects/{project_key(root)}", json.dumps({"root": str(root), **state}, default=repr)
        )
