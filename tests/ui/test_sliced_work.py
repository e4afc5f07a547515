"""Sliced work (issue 33): while a big drawing replaces another, the young objects are
collected turn by turn, not left to pile up into one long collection; and collecting
them never breaks what a worker thread is doing meanwhile."""

import gc
import sys
import threading
import time

import pytest

TASKS = 10
TASK_SECONDS = 0.006
"""About what one of the scene's item tasks takes."""


@pytest.fixture
def window_thresholds():
    """The collector and the interpreter's switching tuned as the window tunes them."""
    from studio.ui import heap
    from studio.ui.app import GIL_SWITCH_SECONDS

    was, switch = gc.get_threshold(), sys.getswitchinterval()
    heap.tune()
    sys.setswitchinterval(GIL_SWITCH_SECONDS)
    yield
    gc.set_threshold(*was)
    sys.setswitchinterval(switch)


def test_young_objects_made_while_old_ones_are_freed_are_collected_at_each_turn(
    qtbot, window_thresholds
):
    from studio.ui.canvas.sliced_work import SlicedWork

    old = [[i] for i in range(2_000_000)]
    gc.collect()  # the items of the last drawing: long-lived
    new: list[list[int]] = []

    def replace() -> None:
        """Make new items and free as many old ones: Python's count of objects made
        minus freed stays put, so it never collects on its own."""
        deadline = time.perf_counter() + TASK_SECONDS
        while time.perf_counter() < deadline and old:
            new.append([0])
            old.pop()

    collections: list[int] = []
    record = lambda phase, info: phase == "start" and collections.append(info["generation"])  # noqa: E731
    gc.callbacks.append(record)
    work = SlicedWork()
    for _ in range(TASKS):
        work.add(replace)
    qtbot.waitUntil(lambda: not work.pending, timeout=5_000)
    gc.callbacks.remove(record)

    young = len(gc.get_objects(generation=0))
    assert len(collections) >= 3, f"{collections}: the young objects were left to pile up"
    assert young < len(new) / 2, f"{young} of {len(new)} young objects left for one collection"
    work.deleteLater()


def test_a_worker_building_tuples_while_the_canvas_fills_in_never_fails(qtbot, window_thresholds):
    """Counting the young objects with `gc.get_objects` handed a worker's tuple, still
    being built, to the GUI thread: CPython then failed the worker's `tuple(...)`
    with a SystemError (a result signing failed so at 20,000 nodes)."""
    from studio.ui.canvas.sliced_work import SlicedWork

    errors: list[Exception] = []
    stop = threading.Event()

    def worker() -> None:
        while not stop.is_set():
            try:
                tuple(str(i) for i in range(200))
            except SystemError as error:
                errors.append(error)

    thread = threading.Thread(target=worker)
    thread.start()
    made: list[list[int]] = []
    work = SlicedWork()
    for _ in range(300):
        work.add(lambda: made.extend([i] for i in range(3_000)))
    qtbot.waitUntil(lambda: not work.pending, timeout=60_000)
    stop.set()
    thread.join()
    assert not errors, f"{len(errors)} tuples failed: {errors[0]}"
    work.deleteLater()
