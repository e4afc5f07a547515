"""Signing again after a save hashes only what changed, and signs exactly as signing whole."""

from __future__ import annotations

import random

import pytest

from studio.core.graph.snapshot import GraphSnapshot, NodeRole
from studio.core.runs import lineage_reuse, staleness
from studio.core.runs.staleness import lineage_signatures
from tests.helpers import make_node


@pytest.fixture(autouse=True)
def fresh_signing():
    staleness._LAST.clear()
    staleness._SIGNED.clear()
    yield
    staleness._LAST.clear()
    staleness._SIGNED.clear()


@pytest.fixture
def hashed(monkeypatch):
    """The nodes hashed by the signings that follow, in order."""
    names: list[str] = []
    sign = lineage_reuse.signature

    def counting(own, parents, signatures):
        names.append(own)
        return sign(own, parents, signatures)

    monkeypatch.setattr(lineage_reuse, "signature", counting)
    monkeypatch.setattr(staleness, "signature", counting)
    return names


def chain_graph(count: int = 60, seed: int = 3):
    """`rows` (input) and `scale` (config) feeding `count` functions in three modules."""
    rng = random.Random(seed)
    nodes = [make_node("rows", role=NodeRole.INPUT), make_node("scale", role=NodeRole.CONFIG)]
    names = ["rows", "scale"]
    for i in range(count):
        deps = sorted(set(rng.sample(names, min(len(names), rng.randint(1, 3)))))
        name = f"f{i:02d}"
        nodes.append(make_node(name, deps, group=f"m{i % 3}", version=f"v{i}"))
        names.append(name)
    return nodes


def snapshot(nodes, config=None):
    return GraphSnapshot("flow", nodes=tuple(nodes), config=config or {"scale": 2})


def whole(graph, inputs, salts=None):
    """The signatures signing the whole graph gives (nothing kept from before)."""
    kept = list(staleness._SIGNED)
    staleness._SIGNED.clear()
    staleness._LAST.clear()
    signatures = lineage_signatures(graph, inputs, None, salts)
    staleness._SIGNED[:] = kept
    staleness._LAST.clear()
    return signatures


def replaced(nodes, name, **changes):
    return [
        make_node(
            name,
            changes.get("deps", n.dependencies),
            group=n.module,
            version=changes.get("version", n.version),
        )
        if n.name == name
        else n
        for n in nodes
    ]


def test_a_save_hashes_only_the_changed_node_and_what_is_computed_from_it(hashed):
    nodes = chain_graph()
    first = snapshot(nodes)
    before = lineage_signatures(first, {"rows": "10"})
    assert len(hashed) == len(nodes)
    hashed.clear()
    edited = snapshot(replaced(nodes, "f40", version="v40-edited"))
    after = lineage_signatures(edited, {"rows": "10"})
    changed = {n for n in after if after[n] != before[n]}
    assert "f40" in changed and "f39" not in changed
    assert len(hashed) == len(changed) < len(nodes) // 2
    assert after == whole(edited, {"rows": "10"})


@pytest.mark.parametrize(
    "edit",
    [
        "version",
        "new node",
        "gone node",
        "new dependency",
        "dependency comes into the graph",
        "input",
        "salt",
        "config",
        "version filled in place",
    ],
)
def test_signing_again_gives_what_signing_whole_gives(edit):
    nodes = chain_graph()
    lineage_signatures(snapshot(nodes), {"rows": "10"}, None, {"f10": "a"})
    inputs, salts, config = {"rows": "10"}, {"f10": "a"}, None
    if edit == "version":
        nodes = replaced(nodes, "f05", version="other")
    elif edit == "new node":
        nodes = [*nodes, make_node("late", ["f03", "f50"], version="l1")]
    elif edit == "gone node":
        nodes = [n for n in nodes if n.name != "f07"]  # its dependents lose a parent
    elif edit == "new dependency":
        nodes = replaced(nodes, "f30", deps=("f01", "f02"))
    elif edit == "dependency comes into the graph":
        nodes = [*replaced(nodes, "f20", deps=("f19", "later")), make_node("later", ["rows"])]
    elif edit == "input":
        inputs = {"rows": "11"}
    elif edit == "salt":
        salts = {"f12": "b"}
    elif edit == "config":
        config = {"scale": 3}
    elif edit == "version filled in place":
        object.__setattr__(nodes[20], "version", "filled")
    graph = snapshot(nodes, config)
    again = lineage_signatures(graph, inputs, None, salts)
    assert staleness._SIGNED, "signed again from the last signing"
    assert again == whole(graph, inputs, salts)


def test_a_save_that_makes_a_cycle_is_signed_whole(hashed):
    nodes = chain_graph()
    lineage_signatures(snapshot(nodes), {"rows": "10"})
    looped = snapshot(replaced(nodes, "f02", deps=("rows", "f50")))  # f50 depends on f02
    hashed.clear()
    signatures = lineage_signatures(looped, {"rows": "10"})
    assert len(hashed) == len(nodes)  # whole, as before: nodes on the cycle count `?`
    assert signatures == whole(looped, {"rows": "10"})
    assert not staleness._SIGNED  # nothing reused from a graph with a cycle
