"""Function cards: the nodes a decorated function makes, folded into one card."""

import pytest

from studio.core.discovery.discover import discover
from studio.core.graph.display_graph import derive_display, module_key
from studio.core.graph.function_cards import function_cards
from studio.core.model.graph_model import GraphModel
from studio.core.model.selection_model import SelectionModel
from studio.core.runs.run_state import NodeRun, NodeState, combined_run
from studio.kernel.loading.project_load import load_flow
from tests.helpers import decorated_project


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory, monkeypatch_module):
    folder = decorated_project(tmp_path_factory.mktemp("decorated"))
    monkeypatch_module.syspath_prepend(str(folder))
    project = discover(folder)
    flow = project.dataflows[0]
    loaded = load_flow(project, flow, dict(flow.config))
    assert not loaded.snapshot.errors
    return loaded.snapshot


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_each_decorated_function_is_one_card_named_as_written(snapshot):
    cards = {c.title: c for c in function_cards(snapshot).values()}
    assert set(cards) == {"frame", "twice", "total", "nested", "piped"}
    assert set(cards["frame"].members) == {"frame", "p", "q"}  # @extract_columns
    assert set(cards["twice"].members) == {"p_twice", "q_twice"}  # @parameterize
    assert cards["total"].validators == 1 and "total_raw" in cards["total"].members
    assert set(cards["nested"].members) == {
        "nested",
        *(f"nested.{n}" for n in ("start", "middle", "finish")),
    }
    assert cards["piped"].members[0] == "piped"  # the node named like the function leads
    assert cards["frame"].subtitle("DataFrame") == "3 nodes · DataFrame"
    assert cards["total"].subtitle("int") == "3 nodes · 1 check · int"


def test_the_display_draws_a_card_per_function_with_edges_between_cards(snapshot):
    cards = function_cards(snapshot)
    display = derive_display(snapshot, cards=cards)
    drawn = {n.name for n in display.nodes}
    functions = {"raw", "frame", "p_twice", "total", "label", "nested", "piped", "report"}
    assert drawn == functions | {"rows", "mode"}
    assert display.owner["q"] == "frame" and display.owner["nested.middle"] == "nested"
    # report uses q_twice (a twice node) and p/q feed twice: edges join the cards
    assert ("p_twice", "report") in display.edge_counts
    assert display.edge_counts[("frame", "p_twice")] == 2  # p -> p_twice, q -> q_twice
    assert not any(a == b for a, b in display.edge_counts)
    assert set(display.members("p_twice")) == {"p_twice", "q_twice"}
    assert display.members("raw") == ("raw",)


def test_a_collapsed_module_takes_the_cards_and_focus_trims_them(snapshot):
    from studio.core.graph.display_graph import Focus, FocusDirection
    from studio.core.graph.lineage import GraphIndex

    cards = function_cards(snapshot)
    boxed = derive_display(snapshot, {"features"}, cards=cards)
    assert not boxed.cards and boxed.owner["q"] == module_key("features")
    focus = Focus(frozenset({"q"}), FocusDirection.UPSTREAM)
    focused = derive_display(snapshot, (), focus, GraphIndex(snapshot), cards)
    # q's lineage holds frame, q and raw: frame's card keeps its two shown members
    assert focused.cards["frame"].members == ("frame", "q")
    assert "p" not in focused.owner


def test_the_model_opens_in_function_view_and_expands_one_function(snapshot):
    graph = GraphModel()
    selection = SelectionModel(graph)
    graph.accept(snapshot)
    assert graph.function_view and "frame" in graph.display.cards
    selection.set_keys(["frame"])
    assert set(selection.names()) == {"frame", "p", "q"}
    graph.set_expanded({"features.frame"}, anchor="frame")
    assert {"frame", "p", "q"} <= {n.name for n in graph.display.nodes}
    assert "frame" not in graph.display.cards and "nested" in graph.display.cards
    graph.function_view = False
    assert len(graph.display.nodes) == len(snapshot.nodes) and not graph.display.cards


def test_a_card_shows_the_state_that_asks_most_attention():
    runs = {
        "total": NodeRun(NodeState.DONE, 0.5),
        "total_raw": NodeRun(NodeState.DONE, 0.25),
        "total_range_validator": NodeRun(NodeState.FAILED, 0.25, error="out of range"),
    }
    card = combined_run(runs)
    assert card.state is NodeState.FAILED and card.seconds == 1.0
    assert card.error == "total_range_validator: out of range"
    runs["total_range_validator"] = NodeRun(NodeState.REUSED, 0.1)
    assert combined_run(runs).state is NodeState.DONE
    assert combined_run({"a": NodeRun()}).state is NodeState.NOT_COMPUTED
