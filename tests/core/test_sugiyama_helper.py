"""igraph's layouts of a big drawing run in a helper process: the same layout, with the
interpreter left to the window's other threads (igraph holds it through each call), and
made in the window's own process again when the helper is gone."""

import threading
import time

import pytest

from studio.core.layout import layering
from studio.core.layout.sugiyama_helper import SugiyamaHelper

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def helper(monkeypatch):
    started = SugiyamaHelper()
    monkeypatch.setattr(layering, "HELPER", started)
    started.start()
    deadline = time.perf_counter() + 60
    while not started.ready and time.perf_counter() < deadline:
        time.sleep(0.01)
    assert started.ready, "the helper never said it was ready"
    yield started
    started.stop()


def _module(count: int) -> list[tuple[int, int]]:
    """A chain with edges across 40 layers: igraph's call is most of the layout."""
    return [(i, i + 1) for i in range(count - 1)] + [(i, i + 40) for i in range(0, count - 40, 3)]


def _longest_wait_beside(call) -> tuple[float, object]:
    """The longest this thread waited for the interpreter while `call` ran on another."""
    done: list[object] = []
    worker = threading.Thread(target=lambda: done.append(call()))
    longest, last = 0.0, time.perf_counter()
    worker.start()
    while worker.is_alive():
        time.sleep(0.0005)
        now = time.perf_counter()
        longest, last = max(longest, now - last), now
    return longest, done[0]


def test_the_helpers_layout_is_the_same_and_leaves_the_interpreter_free(helper):
    edges = _module(1_500)
    here_wait, here = _longest_wait_beside(lambda: layering.sugiyama_here(1_500, edges))
    helper_wait, there = _longest_wait_beside(lambda: layering._sugiyama(1_500, edges))
    assert there == here
    assert helper_wait < here_wait / 3, (
        f"waited {helper_wait * 1000:.0f} ms beside the helper, "
        f"{here_wait * 1000:.0f} ms beside igraph"
    )


def test_a_helper_that_died_leaves_the_layouts_to_this_process(helper):
    edges = _module(300)
    helper._process.kill()
    helper._process.wait()
    assert layering._sugiyama(300, edges) == layering.sugiyama_here(300, edges)
    assert not helper.ready
    assert layering._sugiyama(300, edges) == layering.sugiyama_here(300, edges)
