"""A load's reply is worked out on a worker thread (a 20,000-node graph would hold the
window half a second): what the user did meanwhile wins over it.

Real kernel, real window; the worker is held with a job of the test's own, so the user's
action surely falls between the reply and its taking in.
"""

import threading

import pytest

from studio.ui.project import load_client
from tests.helpers import chain_project

pytestmark = pytest.mark.timeout(120)


def hold_worker() -> threading.Event:
    """The load replies' worker waits until the event is set."""
    release = threading.Event()
    load_client._WORKER.submit(release.wait, 30)
    return release


def test_a_reply_worked_out_after_another_folder_opened_is_never_shown(
    open_window, tmp_path, qtbot
):
    first = chain_project(tmp_path / "first", 3)
    second = chain_project(tmp_path / "second", 2)
    window = open_window(first)
    window.settings.trust(second.resolve())
    graph, loads = window.workspace.graph, window.controller.loads
    names_shown = []
    graph.display_changed.connect(
        lambda _update: names_shown.append({n.name for n in graph.snapshot.nodes})
    )
    hamiltons = []
    window.controller.graph_shown.connect(lambda snapshot, _first: hamiltons.append(snapshot))
    release = hold_worker()
    try:
        with (first / "chain.py").open("a") as module:
            module.write("\n\ndef added(n2: int) -> int:\n    return n2\n")
        qtbot.waitUntil(lambda: loads._decoding, timeout=30_000)  # the reply came back
        window.open_folder(second)
    finally:
        release.set()
    qtbot.waitUntil(  # the second folder's graph, from its kernel
        lambda: bool(hamiltons) and {n.name for n in hamiltons[-1].nodes} == {"n0", "n1"},
        timeout=60_000,
    )
    assert all("added" not in names for names in names_shown)
    assert not loads.loading


def test_a_module_collapsed_while_a_reply_is_worked_out_stays_collapsed(
    open_window, tmp_path, qtbot
):
    folder = tmp_path / "two"
    folder.mkdir()
    (folder / "left.py").write_text(
        "def a() -> int:\n    return 1\n\n\ndef b(a: int) -> int:\n    return a\n"
    )
    (folder / "right.py").write_text("def c(b: int) -> int:\n    return b\n")
    window = open_window(folder)
    graph, loads = window.workspace.graph, window.controller.loads
    release = hold_worker()
    try:
        with (folder / "left.py").open("a") as module:
            module.write("\n\ndef added(b: int) -> int:\n    return b\n")
        qtbot.waitUntil(lambda: loads._decoding, timeout=30_000)
        graph.collapse("left")
    finally:
        release.set()
    qtbot.waitUntil(lambda: any(n.name == "added" for n in graph.snapshot.nodes), timeout=30_000)
    assert graph.collapsed == {"left"}
    assert graph.display.owner["added"] == "module:left"
    qtbot.waitUntil(lambda: "added" not in window.scene.nodes and "c" in window.scene.nodes)


class VersionsSeen:
    """A kernel session listener: the versions event came."""

    came = False

    def _on_versions(self, _event) -> None:
        self.came = True


def test_versions_that_come_before_their_graph_is_taken_in_are_kept(open_window, tmp_path, qtbot):
    """A big first load's code versions follow its reply; they may come while the reply is
    still worked out, and then follow it (the change marks need them)."""
    folder = chain_project(tmp_path / "big", 600)  # over the kernel's DEFER_VERSIONS_ABOVE
    seen = VersionsSeen()
    release = hold_worker()
    try:
        window = open_window(folder, wait=False)
        window.controller.session.listen(seen)
        qtbot.waitUntil(lambda: seen.came, timeout=60_000)
    finally:
        release.set()
    graph, loads = window.workspace.graph, window.controller.loads
    qtbot.waitUntil(lambda: not loads.loading and graph.snapshot is not None, timeout=30_000)
    assert all(n.version for n in graph.snapshot.nodes)
    text = (folder / "chain.py").read_text()
    (folder / "chain.py").write_text(text.replace("return n9 + 10", "return n9 + 11"))
    qtbot.waitUntil(lambda: graph.changed == {"n10"}, timeout=30_000)
