"""Function cards: the nodes one function of the user's code makes, as one card.

Hamilton draws nodes; the user wrote functions. A decorator turns one
function into several nodes (`@extract_columns` adds a node per column,
`@parameterize` one per parameterization, `@check_output` a validator and
a `_raw` node, `@subdag` and `@pipe` the nodes of their namespace), and a
project of 19 functions becomes 106 nodes nobody can find their code in.
A card stands for all the nodes of one function: they share its
`origin`, or sit in the namespace of a node it makes (`sub.a` belongs to
the function that makes `sub`).
"""

from __future__ import annotations

from dataclasses import dataclass

from studio.core.graph.snapshot import GraphSnapshot, NodeInfo

VALIDATOR_TAG = "hamilton.data_quality.contains_dq_results"
"""Hamilton's tag on the nodes `@check_output` adds to validate a function's result."""


@dataclass(frozen=True, slots=True)
class FunctionCard:
    """One function that makes more than one node."""

    origin: str
    """`module.function`, as the nodes' `origin` names it."""
    title: str
    """The function's name as the user reads it (a `@config.when` suffix dropped)."""
    members: tuple[str, ...]
    """Its nodes, the one named like the function first."""
    validators: int = 0
    """How many of them are `@check_output` validators."""

    @property
    def key(self) -> str:
        """The display key: the card is drawn as its first member's node."""
        return self.members[0]

    @property
    def function(self) -> str:
        return self.origin.rpartition(".")[2]

    def subtitle(self, type_name: str) -> str:
        """The card's second line: how many nodes it folds, its checks, the type."""
        parts = [f"{len(self.members)} nodes"]
        if self.validators:
            parts.append(f"{self.validators} check" + ("s" if self.validators > 1 else ""))
        return " · ".join([*parts, type_name])


def function_cards(snapshot: GraphSnapshot) -> dict[str, FunctionCard]:
    """The functions of `snapshot` that make several nodes, by origin."""
    members: dict[str, list[NodeInfo]] = {}
    by_name = {n.name: n for n in snapshot.nodes}
    for info in snapshot.nodes:
        origin = _origin(info, by_name)
        if origin is not None:
            members.setdefault(origin, []).append(info)
    cards: dict[str, FunctionCard] = {}
    for origin, infos in members.items():
        if len(infos) < 2:
            continue
        function = origin.rpartition(".")[2]
        names = {i.name for i in infos}
        title = function
        if function not in names and "__" in function:
            stripped = function.rpartition("__")[0]
            title = stripped if stripped in names else function
        ordered = sorted(infos, key=lambda i: i.name != title)
        cards[origin] = FunctionCard(
            origin,
            title,
            tuple(i.name for i in ordered),
            sum(1 for i in infos if i.tags.get(VALIDATOR_TAG)),
        )
    return cards


def _origin(info: NodeInfo, by_name: dict[str, NodeInfo]) -> str | None:
    if info.is_external_input or info.origin is None:
        return None
    space, dot, _ = info.name.partition(".")
    if dot:
        owner = by_name.get(space)
        if owner is not None and owner.origin is not None and not owner.is_external_input:
            return owner.origin
    return info.origin
