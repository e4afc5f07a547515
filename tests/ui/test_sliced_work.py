"""Sliced work (issue 33): while a big drawing replaces another, the young objects are
collected turn by turn, not left to pile up into one long collection."""

import gc

import pytest

OBJECTS = 60_000
TASKS = 10


@pytest.fixture
def window_thresholds():
    """The collector tuned as the window tunes it."""
    from studio.ui import heap

    was = gc.get_threshold()
    heap.tune()
    yield
    gc.set_threshold(*was)


def test_young_objects_made_while_old_ones_are_freed_are_collected_at_each_turn(
    qtbot, window_thresholds
):
    from studio.ui.canvas.sliced_work import SlicedWork

    old = [[i] for i in range(OBJECTS)]
    gc.collect()  # the items of the last drawing: long-lived
    new: list[list[int]] = []
    step = OBJECTS // TASKS

    def replace() -> None:
        """Make new items and free as many old ones: Python's count of objects made
        minus freed stays put, so it never collects on its own."""
        for i in range(step):
            new.append([i])
            old.pop()

    work = SlicedWork()
    for _ in range(TASKS):
        work.add(replace)
    qtbot.waitUntil(lambda: not work.pending, timeout=5_000)

    assert len(new) == OBJECTS and not old
    young = len(gc.get_objects(generation=0))
    youngest = gc.get_threshold()[0]
    assert young < youngest * 1.25, f"{young} young objects left for one long collection"
    work.deleteLater()
