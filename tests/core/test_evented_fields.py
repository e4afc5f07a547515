"""Evented model fields: the assignment is the announcement."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.core.model.events import Event, Evented


class _Model:
    size = Evented[int]()
    name = Evented[Path | None]()

    def __init__(self) -> None:
        self.size_changed = Event()
        self.name_changed = Event()
        self.size = 1
        self.name = None


def test_an_assignment_emits_the_fields_event_with_the_new_value():
    model, seen = _Model(), []
    model.size_changed.connect(seen.append)
    model.size = 2
    assert model.size == 2
    assert seen == [2]


def test_an_equal_value_emits_nothing():
    model, seen = _Model(), []
    model.size_changed.connect(seen.append)
    model.name_changed.connect(seen.append)
    model.size = 1
    model.name = None
    model.name = Path("a")
    model.name = Path("a")
    assert seen == [Path("a")]


def test_listeners_are_per_field_and_per_instance():
    first, second = _Model(), _Model()
    sizes: list[int] = []
    names: list[Path | None] = []
    first.size_changed.connect(sizes.append)
    first.name_changed.connect(names.append)
    first.size = 5
    second.size = 7
    first.name = Path("x")
    assert sizes == [5]
    assert names == [Path("x")]
    assert second.size == 7


def test_the_first_assignment_only_stores():
    class Bare:
        value = Evented[int]()

    bare = Bare()
    with pytest.raises(AttributeError):
        _ = bare.value
    bare.value = 3  # no `value_changed` exists yet: nothing is emitted
    assert bare.value == 3
    assert isinstance(Bare.value, Evented)
