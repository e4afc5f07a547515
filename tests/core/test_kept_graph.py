"""The graph kept from the last session is read back only while nothing that decided it
changed: the project's files, the dataflow, its overrides, Hamilton, the interpreter."""

import json
import sys
from dataclasses import replace

from studio.core.cache.kept_graph import (
    GraphConditions,
    installed_hamilton_version,
    keep_graph,
    kept_graph_file,
    read_kept_graph,
)
from studio.core.discovery.discover import discover
from studio.core.discovery.static_graph import static_snapshot

FLOW = "def a() -> int:\n    return 1\n\n\ndef b(a: int) -> int:\n    return a + 1\n"


def kept_project(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    (root / "flow.py").write_text(FLOW)
    project = discover(root)
    flow = project.dataflow()
    conditions = GraphConditions(None, {"x": 1}, "1.90.0", sys.executable)
    snapshot = static_snapshot(project, flow)
    flows = [f.to_dict() for f in project.dataflows]
    assert keep_graph(root, replace(conditions, dataflow=flow.name), snapshot, flows, [])
    return root, conditions, snapshot


def test_the_kept_graph_is_read_back_while_nothing_changed(tmp_path):
    root, conditions, snapshot = kept_project(tmp_path)
    kept = read_kept_graph(root, conditions)
    assert kept is not None
    assert [n.name for n in kept.snapshot.nodes] == [n.name for n in snapshot.nodes]
    assert kept.snapshot.edges() == snapshot.edges()
    assert read_kept_graph(root, replace(conditions, dataflow=snapshot.dataflow)) is not None
    assert kept_graph_file(root).stat().st_mode & 0o077 == 0, "others may read it"


def test_anything_that_decides_the_graph_changed_means_no_kept_graph(tmp_path):
    root, conditions, _ = kept_project(tmp_path)
    assert read_kept_graph(root, replace(conditions, hamilton="1.91.0")) is None
    assert read_kept_graph(root, replace(conditions, interpreter="/other/python")) is None
    assert read_kept_graph(root, replace(conditions, overrides={"x": 2})) is None
    assert read_kept_graph(root, replace(conditions, dataflow="another")) is None
    (root / "extra.py").write_text("def c() -> int:\n    return 3\n")
    assert read_kept_graph(root, conditions) is None, "a new module"
    (root / "extra.py").unlink()
    assert read_kept_graph(root, conditions) is not None
    (root / "studio.toml").write_text("[tool.studio]\n")
    assert read_kept_graph(root, conditions) is None, "new settings"


def test_a_kept_file_of_another_format_or_cut_short_is_a_miss(tmp_path):
    root, conditions, _ = kept_project(tmp_path)
    path = kept_graph_file(root)
    text = path.read_text()
    header, rest = text.split("\n", 1)
    path.write_text(json.dumps({**json.loads(header), "format": 0}) + "\n" + rest)
    assert read_kept_graph(root, conditions) is None
    path.write_text(text[:100])
    assert read_kept_graph(root, conditions) is None
    path.write_bytes(b"\xff\x00")
    assert read_kept_graph(root, conditions) is None


def test_hamiltons_version_is_read_as_the_kernel_says_it():
    import hamilton.version

    assert installed_hamilton_version() == ".".join(map(str, hamilton.version.VERSION))
