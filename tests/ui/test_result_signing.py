"""Stale marks are signed on a thread of their own (issue 33): they come after the
refresh that asked for them, only the newest refresh's are applied, never those of
a graph no longer shown, and a run asking for signatures meanwhile gets them with
their marks."""

import threading

import pytest

from studio.core.graph.snapshot import GraphSnapshot, NodeRole
from studio.core.model import Workspace
from studio.core.runs.run_state import NodeState
from studio.core.runs.staleness import lineage_signatures
from tests.helpers import make_node

pytestmark = pytest.mark.timeout(60)


def flow(version: str) -> GraphSnapshot:
    """a (input) -> b -> c, with b's code at `version` (a new snapshot each call)."""
    return GraphSnapshot(
        "flow",
        (
            make_node("a", role=NodeRole.INPUT),
            make_node("b", ["a"], version=version),
            make_node("c", ["b"]),
        ),
    )


@pytest.fixture
def signing(qtbot, monkeypatch):
    """A signing over a workspace whose b and c were computed with b at v1 and a = 1, and a gate
    that holds the signing thread while `held` is set."""
    from studio.ui.runs import result_signing

    workspace = Workspace()
    workspace.project.set_discovered([], "flow", [])
    workspace.project.set_inputs({"a": "1"})
    workspace.graph.accept(flow("v1"))
    computed = lineage_signatures(workspace.graph.snapshot, {"a": "1"})
    for name in ("b", "c"):
        workspace.runs.state.node_finished(name, NodeState.DONE, 1.0, computed[name])
    signing = result_signing.ResultSigning(workspace, lambda: False)
    gate = threading.Event()
    gate.set()
    threads: list[str] = []
    sign = result_signing.sign

    def gated(job):
        threads.append(threading.current_thread().name)
        assert gate.wait(20)
        return sign(job)

    monkeypatch.setattr(result_signing, "sign", gated)
    marks: list[set[str]] = []
    workspace.runs.states_changed.connect(lambda names: marks.append(set(names or ())))
    yield signing, workspace, gate, threads, marks
    gate.set()
    signing.shutdown()


def states(workspace: Workspace) -> dict[str, NodeState]:
    return {name: workspace.runs.state.state(name) for name in ("b", "c")}


def test_marks_come_from_the_signing_thread_after_the_refresh(signing, qtbot):
    signing, workspace, _, threads, marks = signing
    workspace.graph.accept(flow("v2"))
    signing.refresh()
    assert states(workspace) == {"b": NodeState.DONE, "c": NodeState.DONE}  # not yet
    qtbot.waitUntil(lambda: not signing.signing)
    assert states(workspace) == {"b": NodeState.STALE, "c": NodeState.STALE}
    assert marks == [{"b", "c"}]
    assert threads == ["studio-signing_0"]


def test_an_older_refresh_is_dropped_once_a_newer_one_is_asked_for(signing, qtbot):
    signing, workspace, gate, threads, marks = signing
    gate.clear()
    workspace.project.set_inputs({"a": "2"})
    signing.refresh()  # another input: b and c would be stale...
    workspace.project.set_inputs({"a": "1"})
    signing.refresh()  # ...but it was set back before that was signed
    gate.set()
    qtbot.waitUntil(lambda: len(threads) == 2 and not signing.signing)
    qtbot.wait(50)
    assert marks == []  # b and c never showed stale, not even for a moment
    assert states(workspace) == {"b": NodeState.DONE, "c": NodeState.DONE}


def test_marks_of_a_graph_no_longer_shown_are_not_applied(signing, qtbot):
    """The graph changed without a refresh (code versions that follow a first load):
    the marks signed for the one before are dropped and the one shown is signed."""
    signing, workspace, gate, threads, marks = signing
    gate.clear()
    workspace.graph.accept(flow("v2"))
    signing.refresh()
    workspace.graph.accept(flow("v1"))  # no refresh asked
    gate.set()
    qtbot.waitUntil(lambda: len(threads) == 2 and not signing.signing)
    assert marks == []
    assert states(workspace) == {"b": NodeState.DONE, "c": NodeState.DONE}


def test_a_run_asking_for_signatures_meanwhile_gets_them_with_their_marks(signing):
    signing, workspace, gate, threads, marks = signing
    gate.clear()
    workspace.graph.accept(flow("v2"))
    signing.refresh()
    threading.Timer(0.2, gate.set).start()
    signatures = signing.signatures(workspace.graph.snapshot)  # waits for the signing
    assert signatures == lineage_signatures(flow("v2"), {"a": "1"})
    assert states(workspace) == {"b": NodeState.STALE, "c": NodeState.STALE}  # no event loop
    assert marks == [{"b", "c"}] and len(threads) == 1  # signed once, not again


def test_a_run_asking_while_a_refresh_is_signed_is_answered_after_its_marks(signing, qtbot):
    """A run does not wait for the signing (it is sent once answered), and starts from
    the refresh's marks."""
    signing, workspace, gate, threads, _ = signing
    got: list[tuple[dict, dict]] = []
    signing.signatures_soon(workspace.graph.snapshot, lambda s: got.append((s, states(workspace))))
    assert len(got) == 1 and threads == []  # nothing being signed: answered at once
    gate.clear()
    workspace.graph.accept(flow("v2"))
    signing.refresh()
    signing.signatures_soon(workspace.graph.snapshot, lambda s: got.append((s, states(workspace))))
    assert len(got) == 1  # not waited for
    gate.set()
    qtbot.waitUntil(lambda: len(got) == 2)
    assert got[1] == (
        lineage_signatures(flow("v2"), {"a": "1"}),
        {"b": NodeState.STALE, "c": NodeState.STALE},
    )
