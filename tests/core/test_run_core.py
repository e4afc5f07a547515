"""Run planning, staleness and run state: the Qt-free rules behind click-to-run."""

from studio.core.graph.snapshot import GraphSnapshot, NodeRole
from studio.core.protocol import RunStatus
from studio.core.protocol.requests import RunResult
from studio.core.runs.run_plan import RunMode, missing_inputs, needed_nodes, run_targets
from studio.core.runs.run_records import RunRecord
from studio.core.runs.run_state import NodeState, RunState
from studio.core.runs.staleness import lineage_signatures
from tests.helpers import make_node


def node(name, deps=(), role=NodeRole.FUNCTION, version="v1", optional=()):
    return make_node(name, deps, role=role, version=version, optional=optional)


def graph(*nodes, config=None):
    return GraphSnapshot("flow", nodes=nodes, config=config or {})


#   path(input) -> raw -> clean -> model -> report
#                           \-> stats (sink)         limit(input, optional) -> report
FLOW = graph(
    node("path", role=NodeRole.INPUT),
    node("limit", role=NodeRole.INPUT),
    node("raw", ["path"]),
    node("clean", ["raw"]),
    node("model", ["clean"]),
    node("stats", ["clean"]),
    node("report", ["model", "limit"], optional=["limit"]),
)


def test_targets_by_mode():
    assert run_targets(FLOW, ["model"], RunMode.UPSTREAM) == ["model"]
    assert run_targets(FLOW, ["clean"], RunMode.DOWNSTREAM) == ["clean", "model", "stats", "report"]
    assert run_targets(FLOW, [], RunMode.ALL) == ["stats", "report"]
    assert run_targets(FLOW, ["path"], RunMode.UPSTREAM) == []


def test_needed_nodes_stop_at_available_results():
    assert needed_nodes(FLOW, ["report"]) == {"report", "model", "clean", "raw", "path", "limit"}
    assert needed_nodes(FLOW, ["report"], available={"clean"}) == {
        "report",
        "model",
        "clean",
        "limit",
    }


def test_missing_inputs_skip_optional_and_reused_parts():
    assert missing_inputs(FLOW, ["report"], provided=[]) == ["path"]
    assert missing_inputs(FLOW, ["report"], provided=["path"]) == []
    assert missing_inputs(FLOW, ["report"], provided=[], available={"raw"}) == []


def test_signatures_change_downstream_of_a_code_change_only():
    before = lineage_signatures(FLOW, {"path": '"a.csv"'})
    edited = graph(
        *(node("clean", ["raw"], version="v2") if n.name == "clean" else n for n in FLOW.nodes)
    )
    after = lineage_signatures(edited, {"path": '"a.csv"'})
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"clean", "model", "stats", "report"}
    other_input = lineage_signatures(FLOW, {"path": '"b.csv"'})
    assert {n for n in before if before[n] != other_input[n]} == {
        "path",
        "raw",
        "clean",
        "model",
        "stats",
        "report",
    }


def test_run_state_follows_a_run_and_marks_stale_results():
    state = RunState()
    signatures = lineage_signatures(FLOW, {"path": '"a.csv"'})
    state.run_started(["raw", "clean", "model"])
    assert state.state("clean") is NodeState.QUEUED
    state.node_started("raw")
    assert state.state("raw") is NodeState.RUNNING
    state.node_finished("raw", NodeState.DONE, 0.5, signatures["raw"])
    state.node_finished("clean", NodeState.REUSED, 0.01, signatures["clean"])
    state.run_ended()
    assert state.state("model") is NodeState.NOT_COMPUTED  # queued, never reached
    assert state.get("raw").seconds == 0.5
    edited = graph(
        *(node("clean", ["raw"], version="v2") if n.name == "clean" else n for n in FLOW.nodes)
    )
    changed = state.apply_signatures(lineage_signatures(edited, {"path": '"a.csv"'}))
    assert changed == {"clean"}
    assert state.state("clean") is NodeState.STALE and state.state("raw") is NodeState.DONE
    assert state.valid_results(lineage_signatures(edited, {"path": '"a.csv"'})) == {"raw"}
    state.apply_signatures(signatures)  # the edit was undone
    assert state.state("clean") is NodeState.DONE


def test_run_record_summary_counts_computed_and_reused():
    record = RunRecord(1, ["report"], "upstream")
    record.node_finished("raw", "computed", 0.2)
    record.finish(
        RunResult.from_wire(
            {
                "run_id": 1,
                "status": "done",
                "seconds": 0.3,
                "nodes": [
                    {"name": "raw", "status": "computed", "seconds": 0.2},
                    {"name": "model", "status": "reused", "seconds": 0.01},
                ],
                "reused_from_memory": ["clean"],
            }
        )
    )
    assert record.computed() == ["raw"]
    assert record.reused() == ["clean", "model"]
    assert "done in 0.30 s: 1 computed, 2 reused" in record.summary()


def test_a_run_that_could_not_start_says_why_once():
    record = RunRecord(1, ["total"], "upstream")
    record.finish(
        RunResult(
            run_id=1, status=RunStatus.MISSING_INPUTS, message="missing inputs: spend (Series)"
        )
    )
    assert record.summary().endswith(" · missing inputs: spend (Series)")


def test_run_all_asks_for_what_it_is_given_and_falls_back_to_the_sinks():
    assert run_targets(FLOW, ["stats"], RunMode.ALL) == ["stats"]
    assert run_targets(FLOW, ["not_a_node"], RunMode.ALL) == ["stats", "report"]


def test_a_failure_upstream_marks_the_requested_nodes_it_kept_from_running():
    state = RunState()
    state.run_started(["a", "b", "c"])
    state.node_finished("a", NodeState.DONE, 0.1, "sig")
    state.node_finished("b", NodeState.FAILED, 0.1, None, "URLError: no route\nmore")
    state.run_ended()
    changed = state.blocked(["c", "b", "a"], "b", state.get("b").error)
    assert changed == {"c"}
    blocked = state.get("c")
    assert blocked.state is NodeState.FAILED
    assert blocked.failed_upstream == "b"
    assert blocked.error == "failed upstream: b raised URLError: no route"
    assert state.get("a").state is NodeState.DONE
    assert state.get("b").failed_upstream is None
