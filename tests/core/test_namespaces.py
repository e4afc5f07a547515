"""Namespaced nodes (subdag, pipe) get one region per namespace; cards drop the prefix."""

from studio.core.graph.namespaces import (
    region_key,
    region_title,
    shared_namespaces,
    split_namespace,
)
from studio.core.layout import LayoutNode, LayoutRequest, compute_layout


def test_a_name_splits_at_its_last_dot():
    assert split_namespace("weekly.users.count") == ("weekly.users", "count")
    assert split_namespace("count") == (None, "count")
    assert split_namespace(".hidden") == (None, ".hidden")
    assert split_namespace("trailing.") == (None, "trailing.")


def test_only_a_namespace_several_nodes_share_gets_a_region():
    nodes = [("a.x", "flow"), ("a.y", "flow"), ("b.x", "flow"), ("c.x", None), ("c.y", None)]
    assert shared_namespaces(nodes) == {("flow", "a")}


def test_a_region_key_says_its_module_and_namespace():
    key = region_key("flow", "weekly")
    assert region_title(key) == ("flow", "weekly")
    assert region_title("flow") == ("flow", None)


def test_dot_nests_a_namespace_region_in_its_module_region():
    nodes = (
        LayoutNode("source", 100, 40),
        LayoutNode("a.x", 100, 40, "flow", "a"),
        LayoutNode("a.y", 100, 40, "flow", "a"),
        LayoutNode("other", 100, 40, "flow"),
    )
    edges = (("source", "a.x"), ("a.x", "a.y"), ("a.y", "other"))
    result = compute_layout(LayoutRequest(nodes, edges), "dot")
    mx, my, mw, mh = result.regions["flow"]
    nx, ny, nw, nh = result.regions[region_key("flow", "a")]
    assert mx <= nx and my <= ny and nx + nw <= mx + mw and ny + nh <= my + mh
    for name in ("a.x", "a.y"):
        x, y = result.positions[name]
        assert nx <= x <= nx + nw and ny <= y <= ny + nh
    x, y = result.positions["other"]
    assert not (nx <= x <= nx + nw and ny <= y <= ny + nh)
