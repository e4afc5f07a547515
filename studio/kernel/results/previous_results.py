"""The value each node had before it was computed again with other code or inputs.

Kept so the user can see how a change altered a node's output ("Compare
with previous"). Memory is bounded: values beyond the budget are pickled
to a folder beside Hamilton's cache (never the project), oldest first;
one that cannot be pickled is dropped rather than kept in memory.
"""

from __future__ import annotations

import contextlib
import pickle
import shutil
from pathlib import Path
from typing import Any

from studio.kernel.results.summaries import size_of

MEMORY_BUDGET = 256 * 2**20


class PreviousResults:
    def __init__(self, folder: Path | None = None, budget: int = MEMORY_BUDGET) -> None:
        self.folder = folder
        self.budget = budget
        self._memory: dict[str, tuple[Any, int]] = {}
        self._on_disk: dict[str, Path] = {}

    def keep(self, name: str, value: Any) -> None:
        self.discard(name)
        size = size_of(value)[0]
        if size is None:  # a dict, a list, a model: what its pickle takes is a fair measure
            try:
                size = len(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
            except Exception:
                size = 0
        self._memory[name] = (value, size)
        while self._memory and sum(s for _v, s in self._memory.values()) > self.budget:
            oldest = next(iter(self._memory))
            self._spill(oldest, self._memory.pop(oldest)[0])

    def __contains__(self, name: object) -> bool:
        return name in self._memory or name in self._on_disk

    def get(self, name: str) -> Any:
        if name in self._memory:
            return self._memory[name][0]
        with self._on_disk[name].open("rb") as stream:
            return pickle.load(stream)

    def discard(self, name: str) -> None:
        self._memory.pop(name, None)
        path = self._on_disk.pop(name, None)
        if path is not None:
            path.unlink(missing_ok=True)

    def clear(self) -> None:
        self._memory.clear()
        self._on_disk.clear()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)

    def _spill(self, name: str, value: Any) -> None:
        if self.folder is None:
            return
        path = self.folder / f"{len(self._on_disk)}-{abs(hash(name))}.pickle"
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            with path.open("wb") as stream:
                pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
            self._on_disk[name] = path
        except Exception:  # a value pickle refuses, a full disk: not kept, nothing left
            with contextlib.suppress(OSError):
                path.unlink()
