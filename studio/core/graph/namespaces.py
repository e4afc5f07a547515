"""Hamilton's namespaced nodes (`subdag`, `pipe`, `parameterized_subdag`): `space.local`.

A namespace's nodes are drawn in a region of their own, labelled once with
the namespace, and each card shows only the local name: the prefix is not
repeated on every card.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

REGION_SEPARATOR = " › "
"""Between a module and a namespace in a nested region's key."""


def split_namespace(name: str) -> tuple[str | None, str]:
    """(namespace, local name); no namespace for a plain node name."""
    space, dot, local = name.rpartition(".")
    if not dot or not space or not local:
        return None, name
    return space, local


def region_key(group: str, namespace: str) -> str:
    return f"{group}{REGION_SEPARATOR}{namespace}"


def region_title(key: str) -> tuple[str, str | None]:
    """(module, namespace) of a region key; no namespace for a module's own region."""
    group, separator, namespace = key.partition(REGION_SEPARATOR)
    return group, (namespace if separator else None)


def shared_namespaces(nodes: Iterable[tuple[str, str | None]]) -> frozenset[tuple[str, str]]:
    """(group, namespace) pairs that two or more of the (name, group) nodes share: only
    those are worth a region of their own."""
    counts: Counter[tuple[str, str]] = Counter()
    for name, group in nodes:
        space, _ = split_namespace(name)
        if space is not None and group is not None:
            counts[(group, space)] += 1
    return frozenset(pair for pair, count in counts.items() if count >= 2)
