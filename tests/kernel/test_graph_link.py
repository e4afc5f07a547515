"""A save's graph linked from the last one (`graph_link`) is the graph Hamilton builds
afresh: the same nodes in the same order, edges, inputs and their types; and where the
change is not plainly local, Hamilton's own full build runs instead."""

import os
import re
from pathlib import Path

import pytest

from studio.kernel.loading import graph_builder
from studio.kernel.loading.project_load import load_project

BASE = """
FACTOR = 2


def scale() -> float:
    return 2.0


def rows(count: int) -> list:
    return list(range(count))
"""

FEATURES = """
from base import FACTOR
from hamilton.function_modifiers import config, extract_fields, parameterize, tag, value


@parameterize(double={"k": value(2)}, triple={"k": value(3)})
def times(scale: float, k: int) -> float:
    return scale * k * FACTOR


@extract_fields({"low": int, "high": int})
def bounds(rows: list) -> dict:
    return {"low": min(rows), "high": max(rows)}


@tag(owner="features")
def spread(high: int, low: int) -> int:
    return high - low


@config.when(mode="fast")
def total__fast(double: float) -> float:
    return double


@config.when_not(mode="fast")
def total__slow(double: float, triple: float) -> float:
    return double + triple
"""

REPORT = """
def summary(total: float, spread: int, threshold: float) -> str:
    return f"{total} {spread} {threshold}"


def flagged(summary: str, threshold: float) -> bool:
    return len(summary) > threshold
"""

SIDE = """
import base

base.FACTOR = 5


def side(summary: str) -> int:
    return len(summary)
"""

EXTRA = "\n\ndef later(spread: int, margin: float) -> float:\n    return spread + margin\n"

TWICE = """

from hamilton.function_modifiers import extract_fields


@extract_fields({"spread": int})
def spreads(threshold: float) -> dict:
    return {"spread": 1}
"""

SAVES: list[tuple[dict[str, str], dict[str, str], bool]] = [
    ({}, {}, False),
    ({"report.py": REPORT + EXTRA}, {}, True),  # a function added
    ({"report.py": REPORT}, {}, True),  # and removed
    ({"report.py": REPORT.replace("def flagged", "def is_flagged")}, {}, True),  # renamed
    # a parameter changed: a new input, and an input's type tightened by another module
    ({"report.py": REPORT.replace("threshold: float) -> bool", "level: int) -> bool")}, {}, True),
    (
        {"features.py": FEATURES.replace("triple={", "quadruple={'k': value(4)}, triple={")},
        {},
        True,
    ),
    ({"features.py": FEATURES.replace('@tag(owner="features")', "")}, {}, True),  # decorator gone
    ({"base.py": BASE.replace("2.0", "3.0")}, {}, True),  # a module another imports
    ({"report.py": REPORT}, {"mode": "fast"}, False),  # another configuration
    ({}, {"mode": "fast"}, True),
    ({"report.py": REPORT + TWICE}, {"mode": "fast"}, False),  # a node named twice
    ({"report.py": REPORT.replace("spread: int", "spread: str")}, {"mode": "fast"}, False),
    ({"report.py": REPORT}, {"mode": "fast"}, True),  # fixed: linked again
]
"""Files written, the configuration of the load after them, and whether that load links
the last graph (else Hamilton builds it whole: a name defined twice, a type mismatch)."""


@pytest.fixture
def project(tmp_path):
    before = Path.cwd()
    yield tmp_path
    os.chdir(before)


def write_start(folder: Path) -> None:
    for name, text in (("base.py", BASE), ("features.py", FEATURES), ("report.py", REPORT)):
        (folder / name).write_text(text)
    (folder / "side.py").unlink(missing_ok=True)


def hamilton_graph(load) -> list[tuple]:
    """Hamilton's nodes as built, in order, with everything a node holds."""
    driver = load.loaded.driver
    if driver is None:
        return [re.sub(r" at 0x[0-9a-f]+", "", e.message) for e in load.snapshot.errors]
    return [
        (
            name,
            repr(n.type),
            n.node_role.name,
            n.user_defined,
            repr(sorted(n.tags.items())),
            repr(n.input_types),
            [d.name for d in n.dependencies],
            [d.name for d in n.depended_on_by],
            [f"{f.__module__}.{f.__qualname__}" for f in n.originating_functions or ()],
        )
        for name, n in driver.graph.nodes.items()
    ]


def graphs_after_each_save(folder: Path, reuse: bool) -> list[tuple[list, dict, bool]]:
    write_start(folder)
    found = []
    for files, config, _ in SAVES:
        for name, text in files.items():
            (folder / name).write_text(text)
        load = load_project(folder, None, config, reuse=reuse)
        snapshot = {n.name: n.to_dict() for n in load.snapshot.nodes}
        found.append((hamilton_graph(load), snapshot, graph_builder.GRAPH_LINK.linked))
    return found


def test_a_linked_graph_is_the_graph_hamilton_builds_afresh_after_each_kind_of_save(project):
    linked = graphs_after_each_save(project, reuse=True)
    fresh = graphs_after_each_save(project, reuse=False)
    for step, ((graph, snapshot, was_linked), (full, full_snapshot, _)) in enumerate(
        zip(linked, fresh, strict=True)
    ):
        assert graph == full, f"save {step}"
        assert snapshot == full_snapshot, f"save {step}"
        assert was_linked is SAVES[step][2], f"save {step}"
    names = [[row[0] for row in graph if isinstance(row, tuple)] for graph, _, _ in fresh]
    assert "later" in names[1] and "later" not in names[2]
    assert "is_flagged" in names[3] and "flagged" not in names[3]
    assert "level" in names[4] and "quadruple" in names[5]
    assert any("defined" in str(m) or "more than once" in str(m) for m in fresh[10][0])
    assert any("spread" in str(m) for m in fresh[11][0])


def test_a_module_whose_import_changes_a_kept_module_is_built_whole(project):
    write_start(project)
    (project / "side.py").write_text(SIDE)
    load_project(project, reuse=True)
    (project / "side.py").write_text(SIDE.replace("= 5", "= 7"))
    load = load_project(project, reuse=True)
    assert not graph_builder.GRAPH_LINK.linked, "base's namespace changed under it"
    assert "side" in load.loaded.driver.graph.nodes
    (project / "report.py").write_text(REPORT + EXTRA)
    load = load_project(project, reuse=True)
    assert graph_builder.GRAPH_LINK.linked
    assert "later" in load.loaded.driver.graph.nodes


COUNT = "\n\ndef count(summary: str) -> int:\n    return len(summary)\n"
"""Makes `count`, an input of base's `rows` until now, a node that needs the summary: a
cycle through nodes of every module (rows -> count -> summary -> spread -> ... -> rows)."""


def test_a_save_checks_for_cycles_only_through_new_nodes_when_the_graph_before_had_none(
    project,
):
    write_start(project)
    (project / "other.py").write_text("def other() -> int:\n    return 1\n")
    load_project(project, reuse=True)
    (project / "report.py").write_text(REPORT + EXTRA)
    load = load_project(project, reuse=True)
    nodes = load.loaded.driver.graph.nodes
    starts = graph_builder.GRAPH_LINK.cycle_starts(nodes)
    assert starts is not None and "later" in starts and "scale" not in starts
    (project / "report.py").write_text(REPORT + COUNT)
    load = load_project(project, reuse=True)
    assert graph_builder.GRAPH_LINK.linked
    assert [e.message for e in load.snapshot.errors if "cycle" in e.message]
    # The cycle is of kept nodes only now: found all the same (the graph before had one).
    (project / "other.py").write_text("def other() -> int:\n    return 2\n")
    load = load_project(project, reuse=True)
    assert graph_builder.GRAPH_LINK.linked
    assert [e.message for e in load.snapshot.errors if "cycle" in e.message]
    (project / "report.py").write_text(REPORT)
    assert load_project(project, reuse=True).snapshot.ok
