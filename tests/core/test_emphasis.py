"""Where the lineage highlight is decided: the rules, tested without Qt."""

from studio.core.graph.display_graph import derive_display, module_key
from studio.core.graph.emphasis import Emphasis, lineage_emphasis
from studio.core.graph.lineage import GraphIndex
from studio.core.graph.snapshot import GraphSnapshot
from tests.helpers import make_node

node = make_node


SNAPSHOT = GraphSnapshot(
    "flow",
    nodes=(
        node("raw", group="load"),
        node("clean", ["raw"], group="load"),
        node("model", ["clean"], group="fit"),
        node("report", ["model"], group="fit"),
        node("side", ["raw"], group="other"),
    ),
)


def test_selected_node_lights_its_upstream_and_downstream_and_dims_the_rest():
    display = derive_display(SNAPSHOT, set(), None)
    emphasis = lineage_emphasis(display, GraphIndex(SNAPSHOT), ["model"], ["model"])
    assert emphasis.of_key("model") is Emphasis.SELECTED
    assert emphasis.of_key("clean") is Emphasis.UPSTREAM
    assert emphasis.of_key("raw") is Emphasis.UPSTREAM
    assert emphasis.of_key("report") is Emphasis.DOWNSTREAM
    assert emphasis.of_key("side") is Emphasis.DIMMED
    assert emphasis.of_edge(("raw", "clean")) is Emphasis.UPSTREAM
    assert emphasis.of_edge(("model", "report")) is Emphasis.DOWNSTREAM
    assert emphasis.of_edge(("raw", "side")) is Emphasis.DIMMED


def test_a_collapsed_module_stands_for_its_members_on_the_lineage():
    display = derive_display(SNAPSHOT, {"load"}, None)
    index = GraphIndex(SNAPSHOT)
    emphasis = lineage_emphasis(display, index, ["report"], ["report"])
    assert emphasis.of_key(module_key("load")) is Emphasis.UPSTREAM
    assert emphasis.of_edge((module_key("load"), "model")) is Emphasis.UPSTREAM
    box = lineage_emphasis(display, index, [module_key("load")], ["raw", "clean"])
    assert box.of_key(module_key("load")) is Emphasis.SELECTED
    assert box.of_key("side") is Emphasis.DOWNSTREAM
    assert box.of_key("report") is Emphasis.DOWNSTREAM


def test_nothing_selected_means_every_box_is_normal():
    display = derive_display(SNAPSHOT, set(), None)
    emphasis = lineage_emphasis(display, GraphIndex(SNAPSHOT), [], [])
    assert not emphasis.active
    assert {emphasis.of_key(n.name) for n in SNAPSHOT.nodes} == {Emphasis.NORMAL}
