"""When a computed result stops being valid: signatures of a node's whole lineage.

A node's signature hashes its own code version with the signatures of
everything it depends on, down to the input values and config it was
computed with, and a salt for the files it read that changed since
(`studio.core.runs.file_reads`). A result computed under one signature is
stale as soon as the node's signature changes: its code, a file it read, or
something upstream, changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from studio.core.graph.lineage import GraphIndex
from studio.core.graph.snapshot import GraphSnapshot, NodeRole


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
    last = _LAST.get(id(snapshot))
    if last is not None and last[0] is snapshot and last[1] == key:
        return dict(last[2])
    signatures = _signatures(snapshot, inputs, config, salts)
    _LAST.clear()
    _LAST[id(snapshot)] = (snapshot, key, signatures)
    return dict(signatures)


_LAST: dict[int, tuple[GraphSnapshot, tuple[str, str, str], dict[str, str]]] = {}
"""The last snapshot's signatures: asked for several times per run of a big graph."""


def _signatures(
    snapshot: GraphSnapshot,
    inputs: Mapping[str, str],
    config: dict[str, Any],
    salts: Mapping[str, str],
) -> dict[str, str]:
    index = GraphIndex(snapshot)
    signatures: dict[str, str] = {}
    by_name = {n.name: n for n in snapshot.nodes}
    # Parents before children, without recursion (and without the cycle a recursive
    # closure makes: its garbage would wait for a full collection); nodes on a cycle,
    # which a graph read from source alone may have, come last, signed as they are.
    order = _topological(index)
    placed = set(order)
    order += [name for name in by_name if name not in placed]
    for name in order:
        info = by_name[name]
        if info.role is NodeRole.INPUT:
            own = f"input:{inputs.get(name, '<missing>')}"
        elif info.role is NodeRole.CONFIG:
            own = f"config:{config.get(name)!r}"
        else:
            own = f"code:{info.version}"
            if name in salts:
                own += f"|{salts[name]}"
        parts = [own, *(f"{p}={signatures.get(p, '?')}" for p in sorted(index.parents[name]))]
        signatures[name] = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:20]
    return signatures


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
    index = GraphIndex(snapshot)
    whole = whole or {}
    reasons = {**own, **whole}
    for name in _topological(index):
        if name in reasons and (name in own or name in whole):
            continue
        for parent in sorted(index.parents[name]):
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
