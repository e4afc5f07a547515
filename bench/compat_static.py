"""The `--static` side of `bench_compatibility.py`: the graph read from source
(`studio graph --static`) against plain Hamilton's.

Each case ends in one of three results:

- `equal`: the same node names, each with the same dependencies;
- `confined`: every difference belongs to a function drawn as one node
  marked not expanded (the card itself, a node Hamilton makes from that
  function, or a dependency on such a node);
- `other`: any other difference (a phantom node, input or edge, or a
  decorator expanded wrongly); the bench prints it.

The table goes into the "Static graph" section of docs/COMPATIBILITY.md.
"""

from __future__ import annotations

from dataclasses import dataclass

HEADING = "## Static graph (`studio graph --static`)"


@dataclass
class StaticOutcome:
    example: str
    driver: str
    nodes: int | None = None
    read: int | None = None
    unexpanded: tuple[str, ...] = ()
    result: str = "n/a"
    why: str = ""


def classify(
    reference: dict[str, list[str]],
    origins: dict[str, list[str]],
    studio: dict[str, set[str]],
    unexpanded: set[str],
) -> tuple[str, str]:
    """(`equal` | `confined` | `other`, the differences not confined, in a line)."""

    def from_unexpanded(name: str) -> bool:
        return name in unexpanded or any(o in unexpanded for o in origins.get(name) or ())

    missing = sorted(reference.keys() - studio.keys())
    extra = sorted(studio.keys() - reference.keys())
    changed = sorted(n for n in reference.keys() & studio.keys() if set(reference[n]) != studio[n])
    if not (missing or extra or changed):
        return "equal", ""
    other: list[str] = []
    for name in missing:
        users = [n for n, deps in reference.items() if name in deps]
        if not from_unexpanded(name) and not (users and all(from_unexpanded(u) for u in users)):
            other.append(f"lacks `{name}`")
    for name in extra:
        if name not in unexpanded:
            other.append(f"extra `{name}`")
    for name in changed:
        if from_unexpanded(name):
            continue
        differing = set(reference[name]) ^ studio[name]
        if not all(from_unexpanded(d) for d in differing):
            plus = sorted(studio[name] - set(reference[name]))
            minus = sorted(set(reference[name]) - studio[name])
            delta = " ".join([*(f"+{d}" for d in plus), *(f"-{d}" for d in minus)][:4])
            other.append(f"`{name}` deps {delta}")
    if other:
        shown = "; ".join(other[:4]) + (f" +{len(other) - 4} more" if len(other) > 4 else "")
        return "other", shown
    return "confined", ""


def table(outcomes: list[StaticOutcome]) -> list[str]:
    lines = [
        "| example | driver script | Hamilton's nodes | read from source | not expanded | result |",
        "|---|---|---:|---:|---|---|",
    ]
    for o in outcomes:
        nodes = "—" if o.nodes is None else str(o.nodes)
        read = "—" if o.read is None else str(o.read)
        cards = ", ".join(f"`{n}`" for n in o.unexpanded[:4])
        if len(o.unexpanded) > 4:
            cards += f" +{len(o.unexpanded) - 4} more"
        result = o.result + (f": {o.why}" if o.why else "")
        lines.append(
            f"| {o.example} | {o.driver} | {nodes} | {read} | {cards or '—'} | "
            f"{result.replace('|', '\\|')} |"
        )
    return lines


def summary(outcomes: list[StaticOutcome]) -> str:
    counted = [o for o in outcomes if o.result in ("equal", "confined", "other")]
    equal = sum(o.result == "equal" for o in counted)
    confined = sum(o.result == "confined" for o in counted)
    other = sum(o.result == "other" for o in counted)
    return (
        f"**{equal} of {len(counted)} equal**, {confined} with differences confined to "
        f"functions not expanded, {other} with other differences (cases whose reference "
        "graph built; the others are n/a)."
    )


def section(outcomes: list[StaticOutcome], today: str) -> str:
    intro = f"""{HEADING}

The graph a folder shows before it is trusted, and `studio graph --static`
prints: read from the source alone, nothing imported or run. Decorators with
literal arguments are applied as Hamilton applies them; a function whose
decorators only running could expand is drawn as one node marked not
expanded. Compared with the same reference as above (plain Hamilton, the
script's config): **equal** (same nodes, same dependencies), **confined**
(every difference belongs to a function not expanded: its card, the nodes
Hamilton makes from it, or dependencies on those), or **other**. Not read
from source, so drawn as one card: `@load_from…`/`@dataloader`, `@save_to`,
`@with_columns`, `@mutate` (and the functions it changes), `@pipe_output`,
`@resolve`, `@unpack_fields`, `@check_output_custom`, decorators of other
libraries, and arguments computed at import. Measured on
{today}:

```sh
.venv/bin/python bench/bench_compatibility.py --examples PATH/TO/hamilton/examples --static --write
```
"""
    return "\n".join([intro, *table(outcomes), "", summary(outcomes), ""])
