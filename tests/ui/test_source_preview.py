"""The graph as the source reads, drawn while the kernel starts and builds Hamilton's
(issue 16: launch to the first graph), and replaced by Hamilton's without a mark."""

from studio.ui.canvas.items.node_item import NodeItem

PLAIN = """
import pandas as pd


def raw(path: str) -> pd.DataFrame:
    return pd.DataFrame({"x": [1, 2, 3]})


def doubled(raw: pd.DataFrame) -> pd.Series:
    return raw["x"] * 2


def total(doubled: pd.Series) -> int:
    return int(doubled.sum())
"""


def plain(tmp_path, body=PLAIN):
    root = tmp_path / "plain"
    root.mkdir()
    (root / "flow.py").write_text(body)
    return root


def record_shows(window):
    shows = []
    window.controller.preview_shown.connect(lambda s: shows.append(("source", s)))
    window.controller.graph_shown.connect(lambda s, first: shows.append(("hamilton", s)))
    return shows


def test_the_sources_graph_comes_first_and_hamiltons_replaces_it_unmarked(
    open_window, tmp_path, qtbot
):
    window = open_window(plain(tmp_path), wait=False)
    shows = record_shows(window)
    places = {}
    window.controller.preview_shown.connect(
        lambda _s: places.update({n: i.pos() for n, i in window.scene.nodes.items()})
    )
    qtbot.waitUntil(lambda: any(kind == "hamilton" for kind, _ in shows), timeout=60_000)
    assert shows[0][0] == "source", "Hamilton's graph was not preceded by the source's"
    assert places == {n: i.pos() for n, i in window.scene.nodes.items()}, "boxes moved"
    source, hamilton = shows[0][1], next(s for kind, s in shows if kind == "hamilton")
    assert {n.name for n in source.nodes} == {n.name for n in hamilton.nodes}
    assert sorted(source.edges()) == sorted(hamilton.edges())
    assert window.workspace.graph.snapshot is hamilton
    qtbot.waitUntil(lambda: not window.scene.animating, timeout=5_000)
    items = [i for i in window.scene.items() if isinstance(i, NodeItem)]
    assert items and not [i for i in items if i.changed], "nodes marked changed by the swap"
    assert window.workspace.graph.snapshot.node("doubled").type == "Series"  # Hamilton's word


def test_a_project_whose_decorators_make_its_graph_gets_no_preview(open_window, tmp_path, qtbot):
    body = PLAIN.replace(
        "def doubled",
        "from hamilton.function_modifiers import tag\n\n\n@tag(owner='a')\ndef doubled",
    )
    window = open_window(plain(tmp_path, body), wait=False)
    shows = record_shows(window)
    qtbot.waitUntil(lambda: any(kind == "hamilton" for kind, _ in shows), timeout=60_000)
    assert next(kind for kind, _ in shows) == "hamilton"


def test_a_preview_hamilton_cannot_build_stays_under_the_error(open_window, tmp_path, qtbot):
    """Issue 29 (4f): the canvas went blank when the load failed; the graph read from
    the source now stays under the error, and the fix replaces it with Hamilton's."""
    body = "import no_such_package_here\n" + PLAIN
    root = plain(tmp_path, body)
    window = open_window(root, wait=False)
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=60_000)
    assert "no_such_package_here" in window.banner.text()
    assert "read from the source stays on screen" in window.banner.text()
    assert "last good graph" not in window.banner.text()
    assert window.workspace.graph.snapshot is not None
    qtbot.waitUntil(lambda: {"raw", "doubled", "total"} <= set(window.scene.nodes), timeout=5_000)
    with qtbot.waitSignal(window.controller.graph_shown, timeout=60_000):
        (root / "flow.py").write_text(PLAIN)
    qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=5_000)
    assert window.workspace.graph.snapshot.node("doubled").type == "Series"  # Hamilton's word
    qtbot.waitUntil(lambda: not window.scene.animating, timeout=5_000)
    assert not [i for i in window.scene.nodes.values() if i.changed], "nodes marked changed"


def test_an_import_error_when_the_folder_is_trusted_keeps_the_graph_read_so_far(
    open_window, tmp_path, qtbot
):
    """Issue 29 (4f): trusting a folder whose module fails to import blanked the canvas."""
    root = plain(tmp_path, "import no_such_package_here\n" + PLAIN)
    window = open_window(root, trust=False)
    assert {"raw", "doubled", "total"} <= set(window.scene.nodes)
    window.project_session.trust(root)
    qtbot.waitUntil(lambda: "no_such_package_here" in window.banner.text(), timeout=60_000)
    qtbot.wait(200)
    assert window.banner.isVisible()
    assert window.workspace.graph.snapshot is not None, "the graph was thrown away"
    assert {"raw", "doubled", "total"} <= set(window.scene.nodes), "the canvas went blank"
    assert "as the source reads" in window.status.graph_label.text()
    assert window.run_controller.run(["total"]) is None  # nothing built to run
