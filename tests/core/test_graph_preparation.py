"""A load's snapshot worked out ahead (on a worker thread in the app) and taken in later.

The model takes the prepared result as it is when nothing changed meanwhile, and works
the snapshot out again when the user changed the display or versions came in between:
the graph shown is always the one taking the snapshot in at once would show.
"""

from concurrent.futures import ThreadPoolExecutor

from studio.core.graph.display_graph import Focus, FocusDirection, module_key
from studio.core.graph.snapshot import GraphSnapshot
from studio.core.model import Workspace
from studio.core.model.graph_model import DisplayChange
from tests.helpers import make_node as node


def chain(version: str = "v1") -> GraphSnapshot:
    """a -> b -> c in module m, d (uses b) in module n."""
    return GraphSnapshot(
        "flow",
        nodes=(
            node("a", version=version),
            node("b", ["a"]),
            node("c", ["b"]),
            node("d", ["b"], group="n"),
        ),
    )


def shown(graph) -> tuple:
    display = graph.display
    return (
        sorted(n.name for n in display.nodes),
        sorted(m.key for m in display.modules),
        sorted(display.edge_counts.items()),
        graph.changed,
        graph.collapsed,
        graph.focus,
    )


def test_a_graph_prepared_on_another_thread_is_taken_in_as_accept_would():
    at_once, prepared = Workspace().graph, Workspace().graph
    for graph in (at_once, prepared):
        graph.accept(chain())
        graph.set_focus(Focus(frozenset({"c"}), FocusDirection.UPSTREAM))
    edited = chain("v2")
    announced = []
    prepared.display_changed.connect(announced.append)
    with ThreadPoolExecutor(1) as worker:
        job = worker.submit(prepared.prepare(edited))
        update = prepared.take(job.result())
    at_once.accept(edited)
    assert shown(prepared) == shown(at_once)
    assert prepared.snapshot is edited and prepared.changed == {"a"}
    assert update.diff.code_changed == {"a"}
    assert [u.change for u in announced] == [DisplayChange.REDRAW]


def test_a_display_choice_made_while_a_graph_was_prepared_holds():
    graph = Workspace().graph
    graph.accept(chain())
    job = graph.prepare(GraphSnapshot("flow", nodes=(*chain().nodes, node("e", ["c"]))))
    graph.collapse("m")  # the user, while the worker works
    graph.take(job())
    assert graph.collapsed == {"m"}
    assert graph.display.owner["e"] == module_key("m")
    assert [n.name for n in graph.display.nodes] == ["d"]


def test_versions_taken_while_a_graph_was_prepared_mark_what_changed_since():
    unversioned = GraphSnapshot(
        "flow",
        nodes=tuple(node(n.name, n.dependencies, n.group, version=None) for n in chain().nodes),
    )
    graph = Workspace().graph
    graph.accept(unversioned)
    job = graph.prepare(chain("v2"))
    graph.take_versions({"a": "v1", "b": "v1", "c": "v1", "d": "v1"})
    graph.take(job())
    assert graph.changed == {"a"}  # against the versions that came first, not none at all
