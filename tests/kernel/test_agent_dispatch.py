"""The agent's dispatch, without a kernel: each request gets one reply, errors carry codes."""

import os
from pathlib import Path

import pytest

from studio.core import protocol
from studio.core.protocol import ErrorCode, Method, RunStatus
from studio.kernel.agent import Agent


@pytest.fixture
def agent(example_copy):
    folder = example_copy("spaceflights")
    before = Path.cwd()
    yield Agent({}), folder
    os.chdir(before)


def ask(agent: Agent, method: str, **params):
    reply = agent.dispatch(protocol.request(7, method, params))
    assert reply["kind"] == protocol.REPLY and reply["id"] == 7
    return reply


def test_unknown_methods_and_unusable_folders_are_refused_with_a_code(agent, tmp_path):
    agent, _ = agent
    reply = ask(agent, "format_disk")
    assert not reply["ok"] and reply["error"]["code"] == ErrorCode.BAD_REQUEST
    reply = ask(agent, Method.LOAD, root=str(tmp_path / "gone"))
    assert reply["error"]["code"] == ErrorCode.FOLDER_UNUSABLE
    assert "does not exist" in reply["error"]["message"]
    reply = ask(agent, Method.RUN, nodes=["x"])
    assert reply["error"]["code"] == ErrorCode.NOT_LOADED


def test_load_run_and_a_table_in_one_request(agent):
    agent, folder = agent
    loaded = ask(agent, Method.LOAD, root=str(folder))
    assert loaded["ok"]
    assert [d["name"] for d in loaded["result"]["project"]["dataflows"]] == ["run"]
    names = {n["name"] for n in loaded["result"]["snapshot"]["nodes"]}
    assert {"model_input_table", "evaluation_metrics"} <= names
    assert agent.user_namespace["dr"] is not None
    ran = ask(
        agent,
        Method.RUN,
        nodes=["model_input_table"],
        inputs={"data_dir": "'data'", "test_size": "0.2", "random_state": "3"},
    )
    assert ran["ok"] and ran["result"]["status"] == RunStatus.DONE
    info = ask(agent, Method.RESULT_INFO, name="model_input_table", rows=10)["result"]
    assert info["available"] and info["kind"] == "table"
    table = info["table"]
    assert table["rows"] == len(agent.user_namespace["results"]["model_input_table"])
    assert len(table["first"]["index"]) == 10
    more = ask(agent, Method.TABLE_ROWS, view=table["view"], start=10, stop=20)["result"]
    assert more["start"] == 10 and len(more["index"]) == 10
    gone = ask(agent, Method.TABLE_ROWS, view=999, start=0, stop=5)
    assert gone["error"]["code"] == ErrorCode.TABLE
    assert not ask(agent, Method.RESULT_INFO, name="evaluation_metrics")["result"]["available"]


class _Comm:
    def __init__(self) -> None:
        self.sent: list[dict] = []

    def send(self, message: dict) -> None:
        self.sent.append(message)


def test_a_loads_garbage_is_collected_though_the_load_itself_pauses_collection(agent):
    """Loads run with the garbage collector paused; what the last graph leaves behind
    (modules and functions referring to each other) is still freed afterwards."""
    import gc
    import sys
    import weakref

    agent, folder = agent
    comm = _Comm()
    message = {"content": {"data": protocol.request(1, Method.LOAD, {"root": str(folder)})}}
    agent._on_msg(comm, message)
    old_function = weakref.ref(sys.modules["data_loading"].companies)
    module = folder / "data_loading.py"
    module.write_text(module.read_text() + "\n# saved again\n")
    agent._on_msg(comm, message)
    assert [reply["ok"] for reply in comm.sent] == [True, True]
    assert gc.isenabled()
    assert old_function() is None, "the previous load's functions were never collected"


def test_a_reload_sends_only_the_nodes_that_changed_and_they_rebuild_the_whole_graph(agent):
    """After a save of one module the reply names the other nodes; with the nodes the
    window holds they make the very snapshot a full reply makes."""
    from studio.core.snapshot import GraphSnapshot

    agent, folder = agent
    first = ask(agent, Method.LOAD, root=str(folder))["result"]
    held = GraphSnapshot.from_dict(first["snapshot"])
    reporting = folder / "reporting.py"
    reporting.write_text(reporting.read_text().replace("float(np.max", "1 + float(np.max"))
    delta = ask(agent, Method.LOAD, root=str(folder), known=first["token"])["result"]
    sent = [n for n in delta["snapshot"]["nodes"] if not isinstance(n, str)]
    assert [n["name"] for n in sent] == ["max_error"]
    known = {n.name: n for n in held.nodes}
    rebuilt = GraphSnapshot.from_dict(delta["snapshot"], known)
    unknown = ask(agent, Method.LOAD, root=str(folder), known="another kernel's")["result"]
    assert all(isinstance(n, dict) for n in unknown["snapshot"]["nodes"])
    assert rebuilt == GraphSnapshot.from_dict(unknown["snapshot"])
    assert rebuilt.node("max_error").version != held.node("max_error").version
