"""When a computed result stops being valid: signatures of a node's whole lineage.

A node's signature hashes its own code version with the signatures of
everything it depends on, down to the input values and config it was
computed with, and a salt for the files it read that changed since
(`studio.core.runs.file_reads`). A result computed under one signature is
stale as soon as the node's signature changes: its code, a file it read, or
something upstream, changed.

At 20,000 nodes the graph's shape (parents before children, each node's
parents sorted) costs as much as the hashing, so it is worked out once per set
of nodes and kept; the window signs on a thread of its own, so what is kept
here is guarded by a lock. After a save, only the nodes whose lineage changed are
hashed again (`lineage_reuse`): the rest keep the last signing's signatures.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.core.graph.lineage import GraphIndex
from studio.core.graph.snapshot import GraphSnapshot, NodeInfo
from studio.core.runs.lineage_reuse import SignedGraph, own_text, remember, sign_again, signature


@dataclass(frozen=True, slots=True)
class _Shape:
    """A graph's nodes in signing order, each with its parents sorted by name."""

    nodes: tuple[NodeInfo, ...]
    """The snapshot's nodes this was worked out from (kept: their identity is the key)."""
    order: tuple[NodeInfo, ...]
    """Parents before children; nodes on a cycle (a graph read from source alone may
    have one) come last, in the snapshot's order."""
    parents: tuple[tuple[str, ...], ...]
    """Each node's parents in `order`'s places, sorted by name."""
    acyclic: int
    """How many of `order` lead it in true topological order (the rest are on cycles)."""


def lineage_signatures(
    snapshot: GraphSnapshot,
    inputs: Mapping[str, str],
    config: Mapping[str, Any] | None = None,
    salts: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Signature of every node; `inputs` are the input expressions as typed, `salts` what
    changed of the files a node read (none: nothing)."""
    config = dict(snapshot.config if config is None else config)
    salts = dict(salts or {})
    key = (repr(sorted(inputs.items())), repr(sorted(config.items())), repr(sorted(salts.items())))
    with _LOCK:
        for kept, kept_key, signatures in _LAST:
            if kept is snapshot and kept_key == key:
                return dict(signatures)
    with _LOCK:
        last = _SIGNED[0] if _SIGNED else None
    again = sign_again(last, snapshot.nodes, inputs, config, salts) if last else None
    if again is not None:
        signatures = again.signatures
    else:
        signatures, acyclic = _signatures(snapshot, inputs, config, salts)
        if acyclic:
            again = remember(snapshot.nodes, inputs, config, salts, signatures)
    with _LOCK:
        _LAST[:] = [(snapshot, key, signatures), *_LAST[: _KEEP - 1]]
        _SIGNED[:] = [again] if again is not None else []
    return dict(signatures)


_KEEP = 2
"""Signatures kept: those of the window's stale marks and of a run's reads, say."""
_LAST: list[tuple[GraphSnapshot, tuple[str, str, str], dict[str, str]]] = []
"""The last snapshots' signatures, newest first: asked for several times per run of a
big graph, and by the window for each new graph, input, and file change."""
_SIGNED: list[SignedGraph] = []
"""The last signing of an acyclic graph: the next one hashes again only the nodes whose
lineage changed since (`lineage_reuse`), 20-40 of 20,000 after a save."""
_SHAPE: list[_Shape] = []
"""The last set of nodes' shape: a reload makes new nodes, versions that follow a first
load do not."""
_LOCK = threading.Lock()


def _shape(snapshot: GraphSnapshot) -> _Shape:
    with _LOCK:
        if _SHAPE and _SHAPE[0].nodes is snapshot.nodes:
            return _SHAPE[0]
    index = GraphIndex(snapshot)
    by_name = {n.name: n for n in snapshot.nodes}
    # Parents before children, without recursion (and without the cycle a recursive
    # closure makes: its garbage would wait for a full collection).
    names = _topological(index)
    acyclic = len(names)
    placed = set(names)
    names += [name for name in by_name if name not in placed]
    shape = _Shape(
        snapshot.nodes,
        tuple(by_name[name] for name in names),
        tuple(tuple(sorted(index.parents[name])) for name in names),
        acyclic,
    )
    with _LOCK:
        _SHAPE[:] = [shape]
    return shape


def _signatures(
    snapshot: GraphSnapshot,
    inputs: Mapping[str, str],
    config: dict[str, Any],
    salts: Mapping[str, str],
) -> tuple[dict[str, str], bool]:
    """Every node signed, parents first; and whether the graph is acyclic."""
    shape = _shape(snapshot)
    signatures: dict[str, str] = {}
    for info, parents in zip(shape.order, shape.parents, strict=True):
        own = own_text(info, inputs, config, salts)
        signatures[info.name] = signature(own, parents, signatures)
    return signatures, shape.acyclic == len(shape.order)


def given_salts(given: Mapping[str, Any]) -> dict[str, str]:
    """Salts for nodes a run is given values of (a notebook's `--overrides`): the value
    signs its node (and what is computed from it) with its code, so that results computed
    with another value, or with the node's own, are not taken for these."""
    return {name: f"given {value!r}" for name, value in given.items()}


def stale_reasons(
    snapshot: GraphSnapshot, own: Mapping[str, str], whole: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Why each node is stale from the files its lineage read: a node whose file changed
    has its own reason (`data.csv changed`); what was computed from it, the same with
    the node that read it (`data.csv changed, read by table`). `whole`: reasons that
    already name their node (a value the dataflow gives), passed down as they are."""
    whole = whole or {}
    reasons = {**own, **whole}
    if not reasons:
        return reasons  # nothing changed of any file or given value: no node has a reason
    shape = _shape(snapshot)
    for info, parents in zip(shape.order[: shape.acyclic], shape.parents, strict=False):
        name = info.name
        if name in reasons and (name in own or name in whole):
            continue
        for parent in parents:
            if parent in reasons:
                reason = reasons[parent]
                reasons[name] = reason if parent not in own else f"{reason}, read by {parent}"
                break
    return reasons


def given_reasons(given: Mapping[str, Any], driver: str | None) -> dict[str, str]:
    """Why a node given a value (a notebook's `--overrides`), and what is computed from
    it, is stale when that value changed."""
    where = Path(driver).name if driver else "the dataflow"
    return {name: f"the value {where} gives {name} (--overrides) changed" for name in given}


def _topological(index: GraphIndex) -> list[str]:
    remaining = {name: len(parents) for name, parents in index.parents.items()}
    ready = [name for name, count in remaining.items() if count == 0]
    order: list[str] = []
    while ready:
        name = ready.pop()
        order.append(name)
        for child in index.children[name]:
            remaining[child] -= 1
            if remaining[child] == 0:
                ready.append(child)
    return order
