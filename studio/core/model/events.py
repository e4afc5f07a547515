"""A minimal observer: models announce changes, listeners are plain callables."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any


class Event:
    """Something a model announces; `connect` a callable, `emit` calls them in order."""

    def __init__(self) -> None:
        self._listeners: list[Callable[..., Any]] = []
        self._blocked = 0

    def connect(self, listener: Callable[..., Any]) -> None:
        if listener not in self._listeners:
            self._listeners.append(listener)

    def disconnect(self, listener: Callable[..., Any]) -> None:
        with contextlib.suppress(ValueError):
            self._listeners.remove(listener)

    def emit(self, *args: Any) -> None:
        if self._blocked:
            return
        for listener in list(self._listeners):
            listener(*args)

    @contextlib.contextmanager
    def blocked(self) -> Iterator[None]:
        """No emission while inside (for changes a listener makes in answer to one)."""
        self._blocked += 1
        try:
            yield
        finally:
            self._blocked -= 1

    def __len__(self) -> int:
        return len(self._listeners)
