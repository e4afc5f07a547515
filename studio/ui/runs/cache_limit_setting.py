"""How much of its results a project keeps on disk, and how much it holds now.

The limit is a setting (Run ▸ Result Cache Limit…, 5 GB unless changed),
put into the runs model (`RunsModel.cache_limit`, which each run sends);
after each run the kernel trims the cache to it, oldest results first,
and says how much it holds: the Clear Results command shows that size.
"""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QWidget

from studio.core.cache.cache_paths import DEFAULT_CACHE_LIMIT
from studio.core.size_text import format_bytes
from studio.ui.actions import ActionRegistry
from studio.ui.app_settings import AppSettings
from studio.ui.runs.run_controller import RunController

SETTING = "cache_limit_gb"
_GB = 1024**3


class CacheLimit:
    def __init__(
        self,
        parent: QWidget,
        settings: AppSettings,
        runs: RunController,
        actions: ActionRegistry,
    ) -> None:
        self.parent = parent
        self.settings = settings
        self.model = runs.runs
        self.actions = actions
        self.model.cache_limit = self.saved_limit()
        runs.cache_size_changed.connect(self._show_size)

    @property
    def limit(self) -> int:
        """The limit runs get: the runs model's."""
        return self.model.cache_limit

    def saved_limit(self) -> int:
        try:
            return max(int(float(self.settings.get(SETTING, "")) * _GB), 0)
        except ValueError:
            return DEFAULT_CACHE_LIMIT

    def choose(self) -> None:
        gigabytes, ok = QInputDialog.getDouble(
            self.parent,
            "Result Cache Limit",
            "Results kept on disk per project, in GB\n(above it, the oldest go first):",
            self.limit / _GB,
            0.1,
            100_000.0,
            1,
        )
        if ok:
            self.settings.set(SETTING, f"{gigabytes:g}")
            self.model.cache_limit = self.saved_limit()

    def _show_size(self, size: int) -> None:
        self.actions["clear-results"].setText(f"Clear Results ({format_bytes(size)} on disk)")
