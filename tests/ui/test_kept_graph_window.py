"""Hamilton's graph kept from the last session (issue 33: launch to Hamilton's graph):
a project opened again shows it at once, before the kernel replies, unless a file
changed since; a cache file that cannot be read is ignored."""

import json
import threading

from studio.core.cache.kept_graph import kept_graph_file
from studio.core.discovery.static_graph import is_static

# `@tag` keeps the source's preview away: a graph drawn before the kernel's is the kept one.
DECORATED = """
import pandas as pd
from hamilton.function_modifiers import tag


def raw(path: str) -> pd.DataFrame:
    return pd.DataFrame({"x": [1, 2, 3]})


@tag(owner="a")
def doubled(raw: pd.DataFrame) -> pd.Series:
    return raw["x"] * 2


def total(doubled: pd.Series) -> int:
    return int(doubled.sum())
"""


def decorated(tmp_path):
    root = tmp_path / "decorated"
    root.mkdir()
    (root / "flow.py").write_text(DECORATED)
    return root


def first_session(open_window, root, qtbot):
    """Open, let the kernel build the graph (which is kept), close."""
    window = open_window(root)
    qtbot.waitUntil(lambda: kept_graph_file(root).is_file(), timeout=10_000)
    window.close()


def record_shows(window):
    """What was drawn, in order: ("kept" | "source" | "hamilton", snapshot, load replied)."""
    shows = []
    controller = window.controller

    def preview(snapshot):
        kind = "kept" if controller.loads.showing_kept else "source"
        label = window.status.graph_label.text()
        direction = window.actions["direction"].text()
        shows.append((kind, snapshot, "load" in controller.timings, label, direction))

    controller.preview_shown.connect(preview)
    controller.graph_shown.connect(
        lambda s, _first: shows.append(("hamilton", s, "load" in controller.timings, ""))
    )
    return shows


def hamilton_shown(shows):
    return any(kind == "hamilton" for kind, *_ in shows)


def test_a_project_opened_again_shows_the_kept_graph_before_the_kernel_replies(
    open_window, tmp_path, qtbot, monkeypatch
):
    from studio.core.model import graph_model

    worked_out: dict[int, bool] = {}
    """id of each snapshot worked out -> whether on the GUI thread"""
    prepare = graph_model.prepare_graph

    def recorded(state, snapshot, marks):
        worked_out[id(snapshot)] = threading.current_thread() is threading.main_thread()
        return prepare(state, snapshot, marks)

    monkeypatch.setattr(graph_model, "prepare_graph", recorded)
    root = decorated(tmp_path)
    first_session(open_window, root, qtbot)
    window = open_window(root, wait=False)
    shows = record_shows(window)
    qtbot.waitUntil(lambda: hamilton_shown(shows), timeout=60_000)
    kind, kept, replied, label, _direction = shows[0]
    assert kind == "kept", f"the first graph drawn was {kind}'s"
    assert not replied, "the kept graph came after the kernel's reply"
    assert "from the last session" in label
    assert shows[0][4] != "Auto direction", "the kept graph's direction is not named"
    assert kept.node("doubled").tags.get("owner") == "a"  # Hamilton's graph, decorators applied
    assert worked_out[id(kept)] is False, "the kept graph was worked out on the GUI thread"
    hamilton = next(s for kind, s, *_ in shows if kind == "hamilton")
    assert hamilton is not kept and window.workspace.graph.snapshot is hamilton
    assert {n.name for n in kept.nodes} == {n.name for n in hamilton.nodes}
    assert sorted(kept.edges()) == sorted(hamilton.edges())
    qtbot.waitUntil(lambda: not window.scene.animating, timeout=5_000)
    assert {"raw", "doubled", "total"} <= set(window.scene.nodes)
    assert not [i for i in window.scene.nodes.values() if i.changed], "marked changed"
    assert "from the last session" not in window.status.graph_label.text()


def test_a_node_that_differs_from_the_kept_graph_is_marked_changed(open_window, tmp_path, qtbot):
    """The kernel's graph replaces the kept one as a reload would: what differs is marked
    (here a code version the kept file says otherwise, as after a library update)."""
    root = decorated(tmp_path)
    first_session(open_window, root, qtbot)
    path = kept_graph_file(root)
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    for node in lines[1:]:
        if node["name"] == "total":
            node["version"] = "an older version"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    window = open_window(root, wait=False)
    shows = record_shows(window)
    qtbot.waitUntil(lambda: hamilton_shown(shows), timeout=60_000)
    assert shows[0][0] == "kept"
    qtbot.waitUntil(lambda: not window.scene.animating, timeout=5_000)
    marked = {name for name, item in window.scene.nodes.items() if item.changed}
    assert marked == {"total"}


def test_a_file_changed_between_sessions_means_no_kept_graph(open_window, tmp_path, qtbot):
    root = decorated(tmp_path)
    first_session(open_window, root, qtbot)
    (root / "flow.py").write_text(
        DECORATED + "\n\ndef tripled(total: int) -> int:\n    return 3 * total\n"
    )
    window = open_window(root, wait=False)
    shows = record_shows(window)
    qtbot.waitUntil(lambda: hamilton_shown(shows), timeout=60_000)
    assert [kind for kind, *_ in shows] == ["hamilton"], "a graph from before the change"
    assert "tripled" in {n.name for n in window.workspace.graph.snapshot.nodes}


def test_a_corrupt_kept_graph_file_is_ignored(open_window, tmp_path, qtbot):
    root = decorated(tmp_path)
    first_session(open_window, root, qtbot)
    path = kept_graph_file(root)
    path.write_text(path.read_text()[: len(path.read_text()) // 2])  # cut short
    window = open_window(root, wait=False)
    shows = record_shows(window)
    qtbot.waitUntil(lambda: hamilton_shown(shows), timeout=60_000)
    assert [kind for kind, *_ in shows] == ["hamilton"]
    assert not window.banner.isVisible()
    names = {n.name for n in window.workspace.graph.snapshot.nodes}
    qtbot.waitUntil(lambda: kept_names(path) == names, timeout=10_000)  # kept anew, whole


def kept_names(path):
    """The nodes the kept file holds, when it is whole (None while it is cut short)."""
    try:
        header, *nodes = (json.loads(line) for line in path.read_text().splitlines())
    except json.JSONDecodeError:
        return None
    return {node["name"] for node in nodes} if len(nodes) == header["nodes"] else None


def test_a_folder_not_trusted_now_gets_the_sources_reading_not_the_kept_graph(
    open_window, tmp_path, qtbot, monkeypatch
):
    """The kept graph came from running the folder's code: a folder the settings do not
    trust (here, settings of another user) is read from its source as before."""
    root = decorated(tmp_path)
    first_session(open_window, root, qtbot)
    monkeypatch.setenv("STUDIO_CONFIG_DIR", str(tmp_path / "other-settings"))
    window = open_window(root, trust=False)
    assert not window.workspace.project.trusted
    assert is_static(window.workspace.graph.snapshot), "not the source's reading"
    assert not window.controller.loads.showing_kept
    assert "from the last session" not in window.status.graph_label.text()


def test_a_kept_graph_whose_load_fails_stays_as_the_last_good_graph(
    open_window, tmp_path, qtbot, monkeypatch
):
    """Nothing in the folder changed, yet the kernel cannot build it now (here the module
    fails on an environment variable; a package gone from the environment does the same):
    the graph from the last session stays under the error, said as such."""
    root = decorated(tmp_path)
    (root / "flow.py").write_text(
        "import os\n\nif os.environ.get('BREAK_FLOW'):\n    raise ImportError('flow is broken')\n"
        + DECORATED
    )
    first_session(open_window, root, qtbot)
    monkeypatch.setenv("BREAK_FLOW", "1")  # the kernel inherits it
    window = open_window(root, wait=False)
    shows = record_shows(window)
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=60_000)
    assert [kind for kind, *_ in shows] == ["kept"]
    assert "flow is broken" in window.banner.text()
    assert "The last good graph stays on screen" in window.banner.text()
    assert "from the source" not in window.banner.text()
    assert {"raw", "doubled", "total"} <= set(window.scene.nodes)
    assert "from the last session: no load" in window.status.graph_label.text()


def test_a_window_closed_right_after_its_graph_came_still_keeps_it(open_window, tmp_path, qtbot):
    """The graph is kept once saves stop coming (not at each one); a window closed before
    then writes it as it closes, so the next launch still shows it at once."""
    root = decorated(tmp_path)
    window = open_window(root)
    assert window.workspace.graph.snapshot is not None
    assert not kept_graph_file(root).exists(), "kept at once, not once the graph held still"
    window.close()
    names = {n.name for n in window.workspace.graph.snapshot.nodes}
    assert kept_names(kept_graph_file(root)) == names
