"""A save's reply worked out by following only what changed gives what working it all out gives.

A save's reply holds every node the window had as that very object, and the
diff passes such nodes over unread. Each case here prepares the same save
twice against the same model state: once as the reply arrives (kept nodes
shared with the graph held) and once from a fresh copy of every node (nothing
shared, so every node is compared); the results must be identical.
"""

from dataclasses import replace

import pytest

from studio.core.graph.display_graph import drawing_key
from studio.core.graph.snapshot import GraphSnapshot, NodeInfo, NodeRole
from studio.core.model.graph_preparation import ModelState, PreparedGraph, prepare_graph
from tests.helpers import make_node


def module(group: str, size: int, version: str = "v1", source: str = "rows") -> list[NodeInfo]:
    """`size` functions in a chain from the input `source`, the first making two more
    nodes in its namespace (one function card)."""
    nodes = [make_node(f"{group}_0", [source], group, version=version)]
    nodes += [make_node(f"{group}_{i}", [f"{group}_{i - 1}"], group) for i in range(1, size)]
    nodes += [make_node(f"{group}_0.{part}", [f"{group}_0"], group) for part in ("x", "y")]
    return nodes


def project(*modules: list[NodeInfo]) -> GraphSnapshot:
    rows = make_node("rows", role=NodeRole.INPUT, group="m0")
    return GraphSnapshot("flow", nodes=(rows, *(n for m in modules for n in m)))


def as_sent(held: GraphSnapshot, saved: GraphSnapshot) -> GraphSnapshot:
    """`saved` as the window decodes the kernel's reply: the nodes it holds unchanged
    are its own objects."""
    known = {n.name: n for n in held.nodes}
    return GraphSnapshot.from_dict(saved.to_wire(known), known)


def fresh(snapshot: GraphSnapshot) -> GraphSnapshot:
    """The same graph with no node object shared."""
    return GraphSnapshot.from_dict(snapshot.to_dict())


def state_after(held: GraphSnapshot, collapsed: frozenset[str]) -> ModelState:
    """The model's state once it showed `held` (its versions the marks' baseline)."""
    blank = ModelState(0, None, {}, set(), frozenset(), frozenset(), None, frozenset(), True)
    first = prepare_graph(blank, held, False)
    return ModelState(
        1,
        held,
        first.accepted.first_versions,
        first.accepted.changed,
        collapsed,
        first.known_modules,
        None,
        frozenset(),
        True,
    )


def outcome(prepared: PreparedGraph) -> tuple[object, ...]:
    display = prepared.display
    return (
        prepared.accepted.update,
        prepared.accepted.first_versions,
        prepared.accepted.changed,
        prepared.cards,
        prepared.collapsed,
        prepared.known_modules,
        prepared.expanded,
        drawing_key(display),
        display.owner,
        display.hidden,
    )


HELD = project(module("a", 30), module("b", 30), module("c", 30))


def edited() -> GraphSnapshot:
    """Module a's first function edited (a new code version)."""
    nodes = [replace(n, version="v2") if n.name == "a_0" else n for n in HELD.nodes]
    return replace(HELD, nodes=tuple(nodes))


def function_added() -> GraphSnapshot:
    return replace(HELD, nodes=(*HELD.nodes, make_node("a_new", ["a_3", "b_1"], "a")))


def dependency_changed() -> GraphSnapshot:
    nodes = [replace(n, dependencies=("b_2",)) if n.name == "a_5" else n for n in HELD.nodes]
    return replace(HELD, nodes=tuple(nodes))


def module_added() -> GraphSnapshot:
    return replace(HELD, nodes=(*HELD.nodes, *module("d", 20, source="a_29")))


def module_removed() -> GraphSnapshot:
    return replace(HELD, nodes=tuple(n for n in HELD.nodes if n.group != "b"))


def module_renamed() -> GraphSnapshot:
    """Module b renamed e: the same node names, in another module."""
    nodes = [replace(n, group="e", module="e") if n.group == "b" else n for n in HELD.nodes]
    return replace(HELD, nodes=tuple(nodes))


def function_removed_its_users_kept() -> GraphSnapshot:
    """c_0 removed: c_1 now needs a name no node makes (its edge goes)."""
    return replace(HELD, nodes=tuple(n for n in HELD.nodes if n.name != "c_0"))


SAVES = [
    edited,
    function_added,
    dependency_changed,
    module_added,
    module_removed,
    module_renamed,
    function_removed_its_users_kept,
]


@pytest.mark.parametrize("save", SAVES, ids=lambda s: s.__name__)
@pytest.mark.parametrize("collapsed", [frozenset(), frozenset({"b", "c"})], ids=["open", "shut"])
def test_a_save_prepared_from_its_changes_equals_one_worked_out_whole(save, collapsed):
    state = state_after(HELD, collapsed)
    saved = as_sent(HELD, save())
    held = {n.name: n for n in HELD.nodes}
    assert sum(held.get(n.name) is n for n in saved.nodes) > 50  # the kept nodes are shared
    followed = prepare_graph(state, saved, True)
    whole = prepare_graph(state, fresh(saved), True)
    assert outcome(followed) == outcome(whole)


def test_the_diff_of_a_save_names_what_changed():
    """Both ways agree, and on what a user sees: the edited node is marked, the new
    module's nodes and edges are added, the renamed module's nodes are relabelled."""
    state = state_after(HELD, frozenset())
    diff = prepare_graph(state, as_sent(HELD, edited()), True).accepted.update.diff
    assert diff.code_changed == {"a_0"} and diff.same_drawing
    diff = prepare_graph(state, as_sent(HELD, module_added()), True).accepted.update.diff
    assert len(diff.added) == 22 and ("a_29", "d_0") in diff.edges_added
    diff = prepare_graph(state, as_sent(HELD, module_renamed()), True).accepted.update.diff
    assert diff.relabelled == {n.name for n in HELD.nodes if n.group == "b"}
    diff = prepare_graph(state, as_sent(HELD, function_removed_its_users_kept()), True)
    assert diff.accepted.update.diff.edges_removed == {
        ("rows", "c_0"),
        ("c_0", "c_1"),
        ("c_0", "c_0.x"),
        ("c_0", "c_0.y"),
    }
