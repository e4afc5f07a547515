"""A minimal observer: models announce changes, listeners are plain callables.

`Event` is an announcement a model makes by hand. `Evented` is a model
field whose assignment is its announcement (as napari's EventedModel or
psygnal's evented dataclasses, without the dependency: this core is
copied into project interpreters): `model.direction = d` stores `d` and,
when it differs from the value held, emits the model's
`direction_changed` event with it. The first assignment (in the model's
`__init__`) only stores, since nobody can listen yet.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")


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


class Evented(Generic[T]):  # noqa: UP046 (project interpreters may be 3.11)
    """A model field that announces its changes: declared on the class, its event
    (`<name>_changed`, an `Event` the model creates) carries the new value.

        class GraphModel:
            direction = Evented[Direction]()

            def __init__(self) -> None:
                self.direction_changed = Event()
                self.direction = Direction.LEFT_RIGHT
    """

    def __init__(self) -> None:
        self.name = ""
        self.event = ""
        self._slot = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name
        self.event = f"{name}_changed"
        self._slot = f"_evented_{name}"

    @overload
    def __get__(self, instance: None, owner: type) -> Evented[T]: ...
    @overload
    def __get__(self, instance: object, owner: type) -> T: ...
    def __get__(self, instance: object | None, owner: type) -> Evented[T] | T:
        if instance is None:
            return self
        try:
            return instance.__dict__[self._slot]  # type: ignore[no-any-return]
        except KeyError:
            raise AttributeError(self.name) from None

    def __set__(self, instance: object, value: T) -> None:
        held = instance.__dict__
        if self._slot not in held:
            held[self._slot] = value
            return
        old = held[self._slot]
        if old is value or old == value:
            return
        held[self._slot] = value
        event: Event = getattr(instance, self.event)
        event.emit(value)
