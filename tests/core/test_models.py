"""The window's state without a window: each model owns its part and announces changes."""

from pathlib import Path

from studio.core.discovery.project import Dataflow
from studio.core.graph.display_graph import COLLAPSE_ABOVE, Focus, FocusDirection, module_key
from studio.core.graph.snapshot import ErrorKind, GraphSnapshot, LoadError
from studio.core.model import Workspace
from studio.core.model.graph_model import DisplayChange
from studio.core.protocol import NodeStatus, RunStatus
from studio.core.protocol.requests import RunResult
from studio.core.runs.run_records import RunRecord
from studio.core.runs.run_state import NodeState
from tests.helpers import make_node

node = make_node


def chain() -> GraphSnapshot:
    """a -> b -> c in module m, d (uses b) in module n."""
    return GraphSnapshot(
        "flow",
        nodes=(
            node("a"),
            node("b", ["a"]),
            node("c", ["b"]),
            node("d", ["b"], group="n"),
        ),
    )


def recorder(event):
    seen = []
    event.connect(lambda *args: seen.append(args))
    return seen


def test_the_graph_model_announces_first_redraw_and_keeps_the_last_good_graph():
    workspace = Workspace()
    graph = workspace.graph
    changes = recorder(graph.display_changed)
    failures = recorder(graph.load_failed)
    graph.accept(chain())
    assert [c[0].change for c in changes] == [DisplayChange.FIRST]
    assert {n.name for n in graph.display.nodes} == {"a", "b", "c", "d"}
    edited = GraphSnapshot("flow", nodes=(node("a", version="v2"), *chain().nodes[1:]))
    graph.accept(edited)
    assert changes[-1][0].change is DisplayChange.REDRAW
    assert graph.changed == {"a"}
    broken = GraphSnapshot("flow", errors=(LoadError(ErrorKind.SYNTAX, "bad", "m.py", 3),))
    graph.accept(broken)
    assert failures == [(broken.errors, True)]
    assert graph.snapshot is edited  # the last good graph stays
    graph.clear()
    assert graph.snapshot is None and graph.changed == set()


def test_versions_that_follow_a_graph_fill_it_in_without_a_redraw_or_change_marks():
    """They are not drawn: taking them must not lay out or redraw a 5,000-node canvas."""
    graph = Workspace().graph
    unversioned = GraphSnapshot(
        "flow",
        nodes=tuple(node(n.name, n.dependencies, n.group, version=None) for n in chain().nodes),
    )
    graph.accept(unversioned)
    changes = recorder(graph.display_changed)
    completed = graph.take_versions({"a": "v1", "b": "v1", "c": "v1", "d": "v1"})
    assert completed is graph.snapshot and all(n.version == "v1" for n in completed.nodes)
    assert changes == [] and graph.changed == set()
    graph.accept(GraphSnapshot("flow", nodes=(node("a", version="v2"), *chain().nodes[1:])))
    assert graph.changed == {"a"}


def test_collapsing_and_focus_derive_the_display_and_name_the_anchor():
    graph = Workspace().graph
    graph.accept(chain())
    changes = recorder(graph.display_changed)
    graph.collapse("m", anchor="d")
    assert [m.module for m in graph.display.modules] == ["m"]
    assert graph.display.owner["b"] == module_key("m")
    assert changes[-1][0].anchor == "d"
    graph.set_collapsed(set())
    graph.set_focus(Focus(frozenset({"c"}), FocusDirection.UPSTREAM), anchor="c")
    assert {n.name for n in graph.display.nodes} == {"a", "b", "c"}
    assert graph.display.hidden == 1
    graph.set_focus(Focus(frozenset({"c"}), FocusDirection.UPSTREAM))
    assert len(changes) == 3  # the same focus again changes nothing
    graph.accept(GraphSnapshot("flow", nodes=chain().nodes[:2]))
    assert graph.focus is None  # its root is gone


def test_a_big_graph_opens_with_its_big_modules_collapsed():
    names = [f"f{i}" for i in range(COLLAPSE_ABOVE + 10)]
    nodes = tuple(
        node(n, group="big" if i < 300 else f"small{i % 20}") for i, n in enumerate(names)
    )
    graph = Workspace().graph
    graph.accept(GraphSnapshot("flow", nodes=nodes))
    assert "big" in graph.collapsed


def test_selection_is_kept_as_display_keys_and_resolved_to_nodes():
    workspace = Workspace()
    graph, selection = workspace.graph, workspace.selection
    graph.accept(chain())
    changed = recorder(selection.changed)
    selection.select_nodes(["b"])
    assert selection.keys == ("b",) and selection.names() == ["b"]
    graph.collapse("m")
    assert selection.keys == ()  # b is drawn inside the module box now
    selection.select_nodes(["b"])
    assert selection.keys == (module_key("m"),)
    assert sorted(selection.names()) == ["a", "b", "c"]
    selection.set_search_hits(["a", "zzz"])
    assert selection.search_hits == {"a"}
    assert len(changed) == 3


def test_the_runs_model_names_the_nodes_each_change_touches():
    runs = Workspace().runs
    changes = recorder(runs.states_changed)
    running = recorder(runs.running_changed)
    record = RunRecord(1, ["c"], "upstream")
    runs.start(record)
    runs.planned(["a", "b", "c"])
    assert changes[-1] == ({"a", "b", "c"},)
    runs.node_started("a")
    runs.node_finished("a", NodeState.DONE, 0.1, "sig-a", "")
    assert changes[-1] == ({"a"},)
    record.node_finished("a", NodeStatus.COMPUTED, 0.1)
    record.finish(RunResult(run_id=1, status=RunStatus.FAILED, message="b raised"))
    runs.end()
    assert runs.state.state("a") is NodeState.DONE
    assert runs.state.state("b") is NodeState.NOT_COMPUTED  # queued, never run: back as it was
    assert running == [(True,), (False,)]
    runs.forget_results()
    assert changes[-1] == (None,)
    runs.clear()
    assert runs.records == []


def test_the_project_model_keeps_choices_per_dataflow_and_builds_input_expressions():
    project = Workspace().project
    project.open(Path("/p"), {"dataflow": "run", "inputs": {"run": {"rows": "10"}}})
    flow = Dataflow("run", ("m",), inputs={"data_dir": "data", "rows": 5})
    project.set_discovered([flow, Dataflow("other", ("m",))], "run", [])
    assert project.input_expressions() == {"data_dir": "'data'", "rows": "10"}
    project.set_inputs({"rows": "10", "data_dir": ""})
    assert project.input_expressions() == {"rows": "10"}
    project.set_overrides({"region": "EU"})
    assert project.choose("other") and project.overrides == {}
    project.choose("run")
    assert project.overrides == {"region": "EU"}
    assert project.state()["config"] == {"run": {"region": "EU"}}


def test_opening_another_folder_forgets_the_graph_the_selection_and_the_run_log():
    workspace = Workspace()
    workspace.graph.accept(chain())
    workspace.selection.select_nodes(["a"])
    workspace.runs.start(RunRecord(1, ["a"], "upstream"))
    workspace.open(Path("/other"), {})
    assert workspace.graph.snapshot is None
    assert workspace.selection.keys == ()
    assert workspace.runs.records == [] and not workspace.runs.running
    assert workspace.project.root == Path("/other")
