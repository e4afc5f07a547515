"""A view that holds still (issue 29, item 4): the first drawing of an open is fitted
whatever order its layouts finish in on a busy machine."""

import time

import pytest
from PySide6.QtCore import QPoint

from studio.ui.canvas import layout_runner
from studio.ui.canvas.layout_runner import LayoutRunner
from studio.ui.panels.banner import BannerKind
from tests.ui.test_source_preview import plain


@pytest.fixture
def slow_first_layout(monkeypatch):
    """The first layout (the source's graph) finishes only once a second one was asked
    for: the kernel's graph came while it was laid out, as on a loaded machine."""
    requests = []
    real_request, real_compute = LayoutRunner.request, layout_runner.compute_layout

    def request(self, job, engine="auto"):
        requests.append(job)
        return real_request(self, job, engine)

    def compute(job, engine):
        if job is requests[0]:
            give_up = time.monotonic() + 60
            while len(requests) < 2 and time.monotonic() < give_up:
                time.sleep(0.02)
        return real_compute(job, engine)

    monkeypatch.setattr(LayoutRunner, "request", request)
    monkeypatch.setattr(layout_runner, "compute_layout", compute)
    return requests


def test_the_kernels_graph_replacing_a_source_graph_still_being_laid_out_is_fitted(
    open_window, tmp_path, qtbot, slow_first_layout
):
    window = open_window(plain(tmp_path), wait=False)
    shown = []
    window.controller.graph_shown.connect(lambda snapshot, first: shown.append(first))
    qtbot.waitUntil(lambda: bool(shown), timeout=60_000)
    qtbot.waitUntil(lambda: not window.scene.animating, timeout=5_000)
    qtbot.wait(100)
    assert len(slow_first_layout) >= 2, "the source's graph was not laid out first"
    assert shown[0] is True, "the kernel's graph was drawn as a redraw, not a first drawing"
    view = window.view
    assert view.fitted
    graph, seen = window.scene.graph_rect(), view.visible_scene_rect()
    assert seen.contains(graph), f"the graph {graph} is cut: the view shows {seen}"
    centre = view.mapFromScene(graph.center())
    middle = view.viewport().rect().center()
    assert abs(centre.x() - middle.x()) <= 2, "the graph is off-centre"
    assert window.actions["direction"].text() != "Auto direction", "Auto's choice not shown"
    assert not window.navigation.minimap.isVisible(), "the minimap is up over a fitted graph"


def test_a_banner_coming_or_going_never_moves_the_graph_under_the_pointer(
    open_window, tmp_path, qtbot
):
    """A banner took a band of the window: opening or closing one moved the graph by
    about 18 px, so the next double-click ran the wrong node."""
    window = open_window(plain(tmp_path))
    view, item = window.view, window.scene.nodes["doubled"]

    def on_screen():
        return view.viewport().mapToGlobal(view.mapFromScene(item.sceneBoundingRect().center()))

    qtbot.wait(200)  # the window settles (docks take their first sizes, the view is fitted)
    before = on_screen()
    window.banner.show_message(BannerKind.ERROR, "Could not load the project: " + "why " * 60)
    qtbot.wait(50)
    assert window.banner.isVisible() and window.banner.height() > 18
    assert window.banner.mapTo(window, QPoint(0, 0)) == view.mapTo(window, QPoint(0, 0))
    assert window.banner.width() == view.width(), "the banner does not span the canvas"
    assert on_screen() == before, "the banner moved the graph"
    window.banner.hide()
    qtbot.wait(50)
    assert on_screen() == before, "closing the banner moved the graph"
