"""What a run will do before it starts: nodes computed, nodes reused, and how long it may take.

The estimate adds up what each node to compute took in earlier runs
(`DurationBook`, kept across restarts, per node and code version: a node
whose code changed counts as never timed). Reuse is what the run will
certainly reuse (valid results in memory); nodes whose code version has a
stored result in Hamilton's disk cache are counted apart, as reused only
if their inputs turn out unchanged.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from graphlib import TopologicalSorter
from pathlib import Path

from studio.core.graph.lineage import GraphIndex
from studio.core.graph.snapshot import GraphSnapshot, NodeRole
from studio.core.runs.run_plan import RunMode, needed_nodes, run_targets
from studio.core.time_text import format_seconds


class DurationBook:
    """Seconds each node took to compute, by node and code version, in a JSON file."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._seconds: dict[str, dict[str, float]] = {}
        if path is not None:
            with contextlib.suppress(OSError, ValueError):
                data = json.loads(path.read_text(encoding="utf-8"))
                self._seconds = {
                    str(name): {str(v): float(s) for v, s in versions.items()}
                    for name, versions in data.items()
                    if isinstance(versions, dict)
                }

    def record(self, name: str, version: str | None, seconds: float) -> None:
        self._seconds.setdefault(name, {})[version or ""] = round(seconds, 6)

    def seconds(self, name: str, version: str | None) -> float | None:
        return self._seconds.get(name, {}).get(version or "")

    def save(self) -> None:
        """Write the file (in one step); a cache folder that cannot be written is not an error."""
        if self.path is None:
            return
        temporary = self.path.with_suffix(".tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            temporary.write_text(json.dumps(self._seconds, sort_keys=True), encoding="utf-8")
            temporary.replace(self.path)
        except OSError:  # a full disk: no half-written file stays behind
            with contextlib.suppress(OSError):
                temporary.unlink()


@dataclass
class RunForecast:
    targets: list[str]
    computed: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    """Valid results in memory: the run stops there."""
    given: list[str] = field(default_factory=list)
    """Nodes the dataflow gives values of (a notebook's `--overrides`): the run stops there
    too, computing neither them nor what only they need."""
    maybe_cached: list[str] = field(default_factory=list)
    """To compute, but the disk cache has a result of this code: reused if the inputs match."""
    seconds: float = 0.0
    """Recorded durations of the nodes to compute, added up."""
    untimed: list[str] = field(default_factory=list)
    """Nodes to compute that never ran with this code."""
    durations: dict[str, float] = field(default_factory=dict)

    def headline(self) -> str:
        """One line: what runs, what is reused, how long."""
        parts = [f"computes {_count(len(self.computed), 'node')}"]
        if self.reused:
            parts.append(f"reuses {len(self.reused)}")
        if self.given:
            parts.append(f"{len(self.given)} given")
        if self.maybe_cached:
            parts.append(f"{len(self.maybe_cached)} maybe from the disk cache")
        line = ", ".join(parts)
        if not self.computed:
            return f"{line}: nothing to compute"
        if len(self.untimed) == len(self.computed):
            return f"{line}; never timed"
        estimate = f"about {format_seconds(self.seconds)}"
        if self.untimed:
            estimate += f" + {len(self.untimed)} never timed"
        return f"{line}; {estimate}"

    def table(self) -> list[str]:
        """A line per node, in graph order: what happens to it and its recorded time."""
        width = max((len(n) for n in (*self.reused, *self.computed)), default=0)
        lines = [f"  given    {name}" for name in self.given]
        lines += [f"  reuse    {name}" for name in self.reused]
        for name in self.computed:
            took = self.durations.get(name)
            when = format_seconds(took) if took is not None else "never timed"
            note = "  (disk cache if inputs match)" if name in self.maybe_cached else ""
            lines.append(f"  compute  {name:<{width}}  {when:>11}{note}")
        return lines


def forecast(
    snapshot: GraphSnapshot,
    names: Iterable[str],
    mode: RunMode,
    valid: Iterable[str],
    book: DurationBook,
    on_disk: Iterable[str] = (),
    given: Iterable[str] = (),
) -> RunForecast:
    """The plan of a run of `names`, given the valid results and the recorded durations;
    `given`: the nodes the dataflow gives values of (a notebook's `--overrides`)."""
    targets = run_targets(snapshot, names, mode)
    handed = set(given)
    valid = set(valid) - handed
    index = GraphIndex(snapshot)
    needed = needed_nodes(snapshot, targets, handed)
    frontier = {
        name
        for name in valid & needed
        if name in targets or any(c in needed and c not in valid for c in index.children[name])
    }
    visited = needed_nodes(snapshot, targets, frontier | handed)
    nodes = {n.name: n for n in snapshot.nodes}
    chosen = {n for n in visited - frontier - handed if nodes[n].role is not NodeRole.INPUT}
    sorter = TopologicalSorter({n: [p for p in index.parents[n] if p in chosen] for n in chosen})
    to_compute = list(sorter.static_order())
    plan = RunForecast(targets, computed=to_compute, reused=sorted(frontier))
    plan.given = sorted(handed & visited)
    disk = set(on_disk)
    plan.maybe_cached = [name for name in to_compute if name in disk]
    for name in to_compute:
        took = book.seconds(name, nodes[name].version)
        if took is None:
            plan.untimed.append(name)
        else:
            plan.durations[name] = took
            plan.seconds += took
    return plan


def cached_code_versions(cache_dir: Path | None, versions: Mapping[str, str | None]) -> set[str]:
    """Nodes whose current code version has a result in Hamilton's disk cache."""
    database = cache_dir / "metadata_store.db" if cache_dir is not None else None
    if database is None or not database.exists():
        return set()
    try:
        connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=0.2)
        try:
            rows = connection.execute("SELECT DISTINCT node_name, code_version FROM cache_metadata")
            stored = set(rows.fetchall())
        finally:
            connection.close()
    except sqlite3.Error:
        return set()
    return {name for name, version in versions.items() if (name, version) in stored}


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"
