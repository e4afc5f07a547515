"""A minimal observer: models announce changes, listeners are plain callables."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any


class Event:
    """Something a model announces; `connect` a callable, `emit` calls them in order."""

    def __init__(self) -> None:
        self._listeners: list[Callable[..., Any]] = []

    def connect(self, listener: Callable[..., Any]) -> None:
        if listener not in self._listeners:
            self._listeners.append(listener)

    def disconnect(self, listener: Callable[..., Any]) -> None:
        with contextlib.suppress(ValueError):
            self._listeners.remove(listener)

    def emit(self, *args: Any) -> None:
        for listener in list(self._listeners):
            listener(*args)

    def __len__(self) -> int:
        return len(self._listeners)
