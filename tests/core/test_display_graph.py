"""Collapsed modules and focus decide what the canvas draws (checked against Hamilton)."""

import pytest

from bench.synthetic import generate
from studio.core.discovery.discover import discover
from studio.core.graph.display_graph import (
    COLLAPSE_ABOVE,
    Focus,
    FocusDirection,
    default_collapsed,
    derive_display,
    module_key,
)
from studio.core.resources import example_path
from studio.kernel.loading.fresh_import import import_fresh
from studio.kernel.loading.graph_builder import build_driver
from studio.kernel.loading.project_load import load_flow


@pytest.fixture(scope="module")
def spaceflights():
    project = discover(example_path("spaceflights"))
    flow = project.dataflow()
    snapshot = load_flow(project, flow).snapshot
    modules = import_fresh(project.root, project.root, flow.modules).modules
    return snapshot, build_driver(modules, flow, {})


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synthetic") / "features"
    generate(folder, 1000)
    project = discover(folder)
    return load_flow(project, project.dataflows[0]).snapshot


def test_a_collapsed_module_is_one_box_carrying_its_edges(spaceflights):
    snapshot, _ = spaceflights
    members = {n.name for n in snapshot.nodes if n.group == "preprocessing"}
    display = derive_display(snapshot, {"preprocessing"})
    assert len(display.nodes) == len(snapshot.nodes) - len(members)
    assert [m.module for m in display.modules] == ["preprocessing"]
    assert set(display.modules[0].members) == members
    box = module_key("preprocessing")
    crossing = [(a, b) for a, b in snapshot.edges() if (a in members) != (b in members)]
    assert sum(c for (a, b), c in display.edge_counts.items() if box in (a, b)) == len(crossing)
    assert not any(a == b for a, b in display.edge_counts)
    assert all(display.owner[name] == box for name in members)


def test_expanding_again_gives_back_the_whole_graph(spaceflights):
    snapshot, _ = spaceflights
    everything = derive_display(snapshot)
    collapsed = derive_display(snapshot, {"preprocessing", "data_science"})
    assert len(collapsed.nodes) < len(everything.nodes)
    again = derive_display(snapshot, set())
    assert [n.name for n in again.nodes] == [n.name for n in snapshot.nodes]
    assert set(again.edge_counts) == set(snapshot.edges())
    assert again.modules == ()


@pytest.mark.parametrize("direction", list(FocusDirection))
def test_focus_with_every_depth_matches_hamilton(spaceflights, direction):
    snapshot, dr = spaceflights
    root = "model_input_table"
    graph = dr.graph
    upstream_all = {n.name for n in dr.what_is_upstream_of(root)} - {root}
    downstream_all = {n.name for n in dr.what_is_downstream_of(root)} - {root}
    parents = {n.name for n in graph.nodes[root].dependencies}
    children = {n.name for n in graph.nodes[root].depended_on_by}
    expected = {
        1: ({root} | parents, {root} | children),
        None: ({root} | upstream_all, {root} | downstream_all),
    }
    for depth, (up, down) in expected.items():
        display = derive_display(snapshot, (), Focus(frozenset({root}), direction, depth))
        shown = {n.name for n in display.nodes}
        want = {
            FocusDirection.UPSTREAM: up,
            FocusDirection.DOWNSTREAM: down,
            FocusDirection.BOTH: up | down,
        }[direction]
        assert shown == want, depth
        assert display.hidden == len(snapshot.nodes) - len(want)
        assert set(display.edge_counts) <= set(snapshot.edges())


def test_depth_two_reaches_further_than_depth_one(synthetic):
    root = "m3_join_0"
    counts = [
        len(
            derive_display(
                synthetic, (), Focus(frozenset({root}), FocusDirection.UPSTREAM, d)
            ).nodes
        )
        for d in (1, 2, None)
    ]
    assert counts[0] < counts[1] < counts[2]


def test_big_graphs_open_with_their_modules_collapsed(synthetic, spaceflights):
    assert len(synthetic.nodes) > COLLAPSE_ABOVE
    modules = {n.group for n in synthetic.nodes if n.group}
    collapsed = default_collapsed(synthetic)
    assert collapsed == modules
    display = derive_display(synthetic, collapsed)
    assert len(display.modules) == len(modules)
    assert all(n.is_external_input for n in display.nodes)
    assert default_collapsed(spaceflights[0]) == set()


def test_the_module_of_a_focused_node_stays_open(synthetic):
    root = "m3_join_0"
    display = derive_display(
        synthetic,
        default_collapsed(synthetic),
        Focus(frozenset({root}), FocusDirection.UPSTREAM, 1),
    )
    assert root in {n.name for n in display.nodes}
    assert module_key("features_03") not in display.keys
