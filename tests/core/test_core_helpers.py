"""The small Qt-free pieces the window relies on."""

from pathlib import Path

import pytest

from studio.core.discovery.watch_rules import is_relevant_change
from studio.core.editing.source_code import function_source
from studio.core.graph.graph_diff import diff_snapshots
from studio.core.graph.graph_document import GraphDocument, Outcome
from studio.core.graph.lineage import GraphIndex
from studio.core.graph.search import match_names
from studio.core.graph.snapshot import ErrorKind, GraphSnapshot, LoadError, NodeInfo
from studio.core.values import format_value, parse_assignments, parse_value
from tests.helpers import make_node


def node(name: str, deps=(), version="v1", type_="int"):
    return make_node(name, deps, version=version, type_=type_)


def snapshot(*nodes: NodeInfo) -> GraphSnapshot:
    return GraphSnapshot("flow", nodes=nodes)


def test_diff_tells_added_removed_and_code_changes():
    old = snapshot(node("a"), node("b", ["a"]), node("c", ["b"]))
    new = snapshot(node("a", version="v2"), node("b", ["a"]), node("d", ["b"]))
    diff = diff_snapshots(old, new)
    assert diff.added == {"d"} and diff.removed == {"c"}
    assert diff.code_changed == {"a"}
    assert diff.edges_added == {("b", "d")} and diff.edges_removed == {("b", "c")}
    assert not diff.same_drawing
    assert diff_snapshots(old, snapshot(node("a", version="v9"), *old.nodes[1:])).same_drawing


def test_a_code_version_not_known_yet_is_no_change_and_versions_fill_in_by_name():
    """A big graph's first load has no versions until they follow (a new kernel's
    reload of a graph on screen included): that marks nothing changed."""
    old = snapshot(node("a"), node("b", ["a"]))
    unversioned = snapshot(node("a", version=None), node("b", ["a"], version=None))
    assert not diff_snapshots(old, unversioned).code_changed
    completed = unversioned.with_versions({"a": "v1", "b": "v2"})
    assert [n.version for n in completed.nodes] == ["v1", "v2"]
    assert completed.edges() == old.edges()
    assert diff_snapshots(old, completed).code_changed == {"b"}


def test_document_keeps_the_last_good_graph_and_accumulates_changes():
    document = GraphDocument()
    first = snapshot(node("a"), node("b", ["a"]))
    assert document.accept(first).outcome is Outcome.FIRST
    assert document.accept(snapshot(node("a", version="v2"), node("b", ["a"]))).outcome is (
        Outcome.SAME_DRAWING
    )
    broken = GraphSnapshot("flow", errors=(LoadError(ErrorKind.SYNTAX, "bad", "m.py", 3),))
    assert document.accept(broken).outcome is Outcome.FAILED
    assert document.snapshot is not None and document.showing_errors
    update = document.accept(snapshot(node("a", version="v2"), node("b", ["a"], "v3"), node("c")))
    assert update.outcome is Outcome.REDRAW
    assert document.changed == {"a", "b"} and not document.showing_errors
    document.reset()
    assert document.snapshot is None and document.changed == set()


def test_a_node_whose_code_is_back_to_what_was_first_shown_loses_its_mark():
    document = GraphDocument()
    document.accept(snapshot(node("a"), node("b", ["a"])))
    document.accept(snapshot(node("a", version="v2"), node("b", ["a"])))
    assert document.changed == {"a"}
    document.accept(snapshot(node("a"), node("b", ["a"])))  # undo: the file byte for byte
    assert document.changed == set()
    document.accept(snapshot(node("a", version="v3"), node("b", ["a"], version=None)))
    document.take_versions({"b": "v2"})  # versions that follow mark nothing
    assert document.changed == {"a"}


def test_lineage_walks_both_ways_with_depth():
    index = GraphIndex(
        snapshot(node("a"), node("b", ["a"]), node("c", ["b"]), node("d", ["c", "a"]), node("x"))
    )
    assert index.upstream(["c"]) == {"a", "b"}
    assert index.downstream(["a"]) == {"b", "c", "d"}
    assert index.downstream(["a"], depth=1) == {"b", "d"}
    assert index.upstream(["x"]) == set()


def test_search_ranks_exact_then_prefix_then_word_start():
    names = ["revenue", "revenue_clean", "daily_revenue", "prerevenue", "orders"]
    assert match_names(names, "revenue") == [
        "revenue",
        "revenue_clean",
        "daily_revenue",
        "prerevenue",
    ]
    assert match_names(names, "  ") == []
    assert match_names(names, "ORD") == ["orders"]


def test_values_are_literals_or_strings():
    assert parse_value("0.5") == 0.5
    assert parse_value("[1, 2]") == [1, 2]
    assert parse_value('"EU"') == "EU"
    assert parse_value("minmax") == "minmax"
    assert parse_value(format_value("it's")) == "it's"
    assert parse_assignments(["a=1", "b = x"], "--config") == {"a": 1, "b": "x"}
    with pytest.raises(ValueError, match="KEY=VALUE"):
        parse_assignments(["novalue"], "--config")


def test_watch_rules_ignore_editor_scratch_and_caches(tmp_path):
    root = tmp_path
    (root / ".venv").mkdir()
    (root / ".venv" / "pyvenv.cfg").write_text("")
    relevant = ["features.py", "pkg/mod.py", "pyproject.toml", "studio.toml"]
    ignored = [
        ".features.py.swp",
        "features.py~",
        ".#features.py",
        "4913",
        "__pycache__/features.cpython-312.pyc",
        ".git/index",
        ".venv/lib/x.py",
        "notes.txt",
        "sub/pyproject.toml",
        "features.py___jb_tmp___",
    ]
    for name in relevant:
        assert is_relevant_change(root, root / name), name
    for name in ignored:
        assert not is_relevant_change(root, root / name), name


def test_function_source_includes_decorators(tmp_path):
    path = Path(tmp_path / "m.py")
    path.write_text(
        "import x\n\n@tag(a='b')\n@check(1)\ndef f(a: int) -> int:\n    return a\n\n\n"
        "def g() -> int:\n    return 1\n"
    )
    excerpt = function_source(path, 3)
    assert excerpt.first_line == 3
    assert excerpt.text.splitlines()[0] == "@tag(a='b')"
    assert excerpt.text.splitlines()[-1] == "    return a"
    assert function_source(path, 9).text.startswith("def g()")


def test_missing_x11_library_gets_a_package_name():
    from studio.ui.platform_check import _missing_library_message, debian_package

    assert debian_package("libxcb-icccm.so.4") == "libxcb-icccm4"
    assert debian_package("libxkbcommon-x11.so.0") == "libxkbcommon-x11-0"
    assert debian_package("libxcb-cursor.so.0") == "libxcb-cursor0"
    message = _missing_library_message(
        "libxcb-icccm.so.4: cannot open shared object file: No such file or directory"
    )
    assert "sudo apt-get install libxcb-icccm4" in message


def test_no_display_is_a_clear_message(monkeypatch):
    from studio.ui.platform_check import display_problem

    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    assert "DISPLAY is not set" in display_problem()
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert display_problem() is None


def test_the_kernels_short_form_of_a_node_reads_back_as_the_same_node():
    plain = make_node("a", ["x"])
    full = NodeInfo(
        **{
            **{f: getattr(plain, f) for f in ("name", "type", "role", "module", "file", "line")},
            "doc": "Docs.",
            "tags": {"owner": "me"},
            "dependencies": ("x", "y"),
            "optional_dependencies": ("y",),
            "version": "v3",
            "origin": "m.f",
            "decorators": ("extract_columns",),
            "group": "m",
        }
    )
    bare = NodeInfo("i", "int", plain.role.INPUT, None, None, None, "", {}, (), (), None, None)
    for node_ in (plain, full, bare):
        short = node_.to_wire()
        assert NodeInfo.from_dict(short) == node_
        assert len(str(short)) < len(str(node_.to_dict()))
    assert "version" not in bare.to_wire() and "is_generated" not in full.to_wire()


def test_versions_filled_in_reach_every_holder_of_the_nodes_and_make_a_new_snapshot():
    """The window's nodes get the versions in place (whoever holds them sees them); the
    snapshot is a new object, so nothing worked out from the old one is taken for it."""
    from studio.core.runs.staleness import lineage_signatures

    unversioned = snapshot(node("a", version=None), node("b", ["a"], version=None))
    held = unversioned.nodes[0]
    before = lineage_signatures(unversioned, {})
    filled = unversioned.fill_versions({"a": "v1", "b": "v2"})
    assert filled is not unversioned and held.version == "v1"
    assert lineage_signatures(filled, {}) != before
    assert filled.edges() == [("a", "b")]
