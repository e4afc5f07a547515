"""Signing a graph again after a save: only the nodes whose lineage changed.

A node's lineage signature (`staleness`) is decided by its own part (its code
version, input value, config value or salt) and its parents' signatures. A
save changes one module's code versions, and the window gets the other nodes
back as the very same `NodeInfo` objects (the kernel sends unchanged nodes by
name alone), so after a reload of 20,000 nodes nearly every signature can be
taken from the last signing: those of nodes that are the same object with the
same version, the same own part, and no changed node upstream. Only the
changed nodes and what is computed from them are hashed again, in the same
way, so every signature is the one signing the whole graph would give.

A graph with a cycle (read from source alone) is always signed whole, as are
graphs that are mostly new.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from studio.core.graph.snapshot import NodeInfo, NodeRole


def own_text(
    info: NodeInfo, inputs: Mapping[str, str], config: Mapping[str, Any], salts: Mapping[str, str]
) -> str:
    """What of a node's signature is its own: its input value, config value or code."""
    name = info.name
    if info.role is NodeRole.INPUT:
        return f"input:{inputs.get(name, '<missing>')}"
    if info.role is NodeRole.CONFIG:
        return f"config:{config.get(name)!r}"
    own = f"code:{info.version}"
    return f"{own}|{salts[name]}" if name in salts else own


def signature(own: str, parents: Iterable[str], signatures: Mapping[str, str]) -> str:
    """A node's signature from its own part and its parents' (sorted by name) signatures;
    a parent not signed yet (on a cycle) counts as `?`."""
    signed = signatures.get
    text = "\n".join([own, *[f"{p}={signed(p, '?')}" for p in parents]])
    return hashlib.sha256(text.encode()).hexdigest()[:20]


@dataclass(frozen=True, slots=True)
class SignedGraph:
    """One signing of an acyclic graph, with what decided its signatures."""

    nodes: dict[str, NodeInfo]
    versions: dict[str, str | None]
    """Each node's code version when signed (a snapshot's versions may be filled in
    place later: `GraphSnapshot.fill_versions`)."""
    dependents: dict[str, tuple[str, ...]]
    """For every name a node depends on (in the graph or not), the nodes naming it."""
    owns: tuple[dict[str, str], dict[str, str], dict[str, str]]
    """The inputs, config (as signed: `repr`) and salts signed with."""
    signatures: dict[str, str]


def remember(
    nodes: Iterable[NodeInfo],
    inputs: Mapping[str, str],
    config: Mapping[str, Any],
    salts: Mapping[str, str],
    signatures: dict[str, str],
) -> SignedGraph:
    """What the next signing needs to reuse this one's signatures."""
    by_name = {n.name: n for n in nodes}
    dependents: dict[str, list[str]] = {}
    for info in by_name.values():
        for dependency in info.dependencies:
            dependents.setdefault(dependency, []).append(info.name)
    return SignedGraph(
        by_name,
        {name: info.version for name, info in by_name.items()},
        {name: tuple(names) for name, names in dependents.items()},
        _owns(inputs, config, salts),
        signatures,
    )


def sign_again(
    last: SignedGraph,
    nodes: tuple[NodeInfo, ...],
    inputs: Mapping[str, str],
    config: Mapping[str, Any],
    salts: Mapping[str, str],
) -> SignedGraph | None:
    """Every node's signature, hashing only the nodes whose lineage changed since `last`;
    None when it is cheaper, or only possible, to sign the graph whole (mostly new
    nodes, a cycle, a name given twice)."""
    by_name = {n.name: n for n in nodes}
    if len(by_name) != len(nodes):
        return None
    old, old_versions = last.nodes, last.versions
    changed = [
        name
        for name, info in by_name.items()
        if old.get(name) is not info or old_versions[name] != info.version
    ]
    gone = [name for name in old if name not in by_name]
    if 2 * (len(changed) + len(gone)) > len(by_name):
        return None
    dependents = _dependents(last.dependents, old, by_name, changed, gone)
    owns = _owns(inputs, config, salts)
    seeds = set(changed)
    for name in (*gone, *(n for n in changed if n not in old)):
        seeds.update(dependents.get(name, ()))  # their parents came or went
    for new, before in zip(owns, last.owns, strict=True):
        seeds.update(k for k in new.keys() | before.keys() if new.get(k) != before.get(k))
    dirty = _downstream({s for s in seeds if s in by_name}, dependents)
    signatures = dict(last.signatures)
    for name in gone:
        del signatures[name]
    if not _sign_dirty(dirty, by_name, inputs, config, salts, signatures):
        return None
    versions = {name: info.version for name, info in by_name.items()}
    return SignedGraph(by_name, versions, dependents, owns, signatures)


def _owns(
    inputs: Mapping[str, str], config: Mapping[str, Any], salts: Mapping[str, str]
) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    return dict(inputs), {k: repr(v) for k, v in config.items()}, dict(salts)


def _dependents(
    before: dict[str, tuple[str, ...]],
    old: Mapping[str, NodeInfo],
    by_name: Mapping[str, NodeInfo],
    changed: list[str],
    gone: list[str],
) -> dict[str, tuple[str, ...]]:
    """`before` with the changed and gone nodes' dependencies taken out, and the changed
    nodes' new ones put in (a new dict: `before` may be read by another thread)."""
    dependents = dict(before)
    for name in (*changed, *gone):
        info = old.get(name)
        if info is not None:
            for dependency in set(info.dependencies):
                dependents[dependency] = tuple(n for n in dependents[dependency] if n != name)
    for name in changed:
        for dependency in by_name[name].dependencies:
            dependents[dependency] = (*dependents.get(dependency, ()), name)
    return dependents


def _downstream(seeds: set[str], dependents: Mapping[str, tuple[str, ...]]) -> set[str]:
    dirty = set(seeds)
    stack = list(seeds)
    while stack:
        for child in dependents.get(stack.pop(), ()):
            if child not in dirty:
                dirty.add(child)
                stack.append(child)
    return dirty


def _sign_dirty(
    dirty: set[str],
    by_name: Mapping[str, NodeInfo],
    inputs: Mapping[str, str],
    config: Mapping[str, Any],
    salts: Mapping[str, str],
    signatures: dict[str, str],
) -> bool:
    """Sign the `dirty` nodes into `signatures`, parents first; False on a cycle."""
    done: set[str] = set()
    entered: set[str] = set()
    for start in dirty:
        stack = [start]
        while stack:
            name = stack[-1]
            if name in done:
                stack.pop()
                continue
            info = by_name[name]
            parents = sorted(d for d in info.dependencies if d in by_name)
            waiting = [p for p in parents if p in dirty and p not in done]
            if waiting:
                if name in entered:
                    return False  # its own ancestor: a cycle
                entered.add(name)
                stack.extend(waiting)
                continue
            signatures[name] = signature(own_text(info, inputs, config, salts), parents, signatures)
            done.add(name)
            stack.pop()
    return True
