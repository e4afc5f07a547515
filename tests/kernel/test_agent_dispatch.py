"""The agent's dispatch, without a kernel: each request gets one reply, errors carry codes."""

import os
import sys
from pathlib import Path

import pytest

from studio.core import protocol
from studio.core.protocol import ErrorCode, Method, RunStatus
from studio.kernel.agent import Agent
from tests.helpers import as_received, chain_project


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

    def send(self, message: dict, buffers: list | None = None) -> None:
        self.sent.append(as_received(message, buffers))


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
    from studio.core.graph.snapshot import GraphSnapshot

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


def test_a_big_first_load_sends_the_graph_then_hamiltons_code_versions(tmp_path):
    """The graph goes out without code versions; the event right after the reply
    brings Hamilton's own versions for every node, and a save's reply has them."""
    from studio.kernel.loading.graph_builder import DEFER_VERSIONS_ABOVE

    folder = chain_project(tmp_path / "chain", DEFER_VERSIONS_ABOVE + 100)
    before = Path.cwd()
    try:
        agent, comm = Agent({}), _Comm()
        agent.comm = comm  # the comm the window opened: events go there
        load = {"content": {"data": protocol.request(1, Method.LOAD, {"root": str(folder)})}}
        agent._on_msg(comm, load)
        reply, event = comm.sent
        assert reply["result"]["versions_follow"]
        assert not any("version" in n for n in reply["result"]["snapshot"]["nodes"])
        assert event["event"] == protocol.EventName.VERSIONS
        assert event["data"]["token"] == reply["result"]["token"]
        hamiltons = {v.name: v.version for v in agent.loaded.driver.list_available_variables()}
        assert event["data"]["versions"] == hamiltons
        assert len(hamiltons) == DEFER_VERSIONS_ABOVE + 100

        module = folder / "chain.py"
        module.write_text(module.read_text().replace("return n9 + 10", "return n9 * 10"))
        token = event["data"]["token"]
        again = protocol.request(2, Method.LOAD, {"root": str(folder), "known": token})
        agent._on_msg(comm, {"content": {"data": again}})
        assert len(comm.sent) == 3, "a save's versions come with its reply"
        saved = comm.sent[2]["result"]
        assert not saved["versions_follow"]
        sent = [n for n in saved["snapshot"]["nodes"] if not isinstance(n, str)]
        assert [n["name"] for n in sent] == ["n10"]
        assert sent[0].get("version") not in (None, hamiltons["n10"])
    finally:
        os.chdir(before)


def test_a_run_asked_for_before_the_versions_went_out_waits_for_them(tmp_path):
    from studio.kernel.loading.graph_builder import DEFER_VERSIONS_ABOVE

    folder = chain_project(tmp_path / "chain", DEFER_VERSIONS_ABOVE + 1)
    before = Path.cwd()
    try:
        agent = Agent({})
        ask(agent, Method.LOAD, root=str(folder))
        assert agent.loaded.versions_pending
        ran = ask(agent, Method.RUN, nodes=["n3"])
        assert ran["result"]["status"] == RunStatus.DONE
        assert all(n.version for n in agent.loaded.snapshot.nodes)
        assert agent.user_namespace["results"]["n3"] == 1 + 1 + 2 + 3
    finally:
        os.chdir(before)


def test_in_a_kernel_a_big_first_loads_versions_follow_its_reply_by_themselves(tmp_path):
    """With an event loop (as in the kernel) the reply leaves at once, the versions are
    worked out on another thread and sent without any further request; a request that
    comes in between gets its reply only after them."""
    import asyncio

    from studio.kernel.loading.graph_builder import DEFER_VERSIONS_ABOVE

    folder = chain_project(tmp_path / "chain", DEFER_VERSIONS_ABOVE + 20)
    before = Path.cwd()

    async def scenario() -> None:
        agent, comm = Agent({}), _Comm()
        agent.comm = comm
        load = {"content": {"data": protocol.request(1, Method.LOAD, {"root": str(folder)})}}
        agent._on_msg(comm, load)
        assert [m["kind"] for m in comm.sent] == [protocol.REPLY], "the versions came later"
        for _ in range(1000):
            if len(comm.sent) == 2:
                break
            await asyncio.sleep(0.01)
        event = comm.sent[1]
        assert event["event"] == protocol.EventName.VERSIONS
        hamiltons = {v.name: v.version for v in agent.loaded.driver.list_available_variables()}
        assert event["data"]["versions"] == hamiltons

        agent._on_msg(comm, load)  # the same folder again: no versions left out
        assert len(comm.sent) == 3 and not comm.sent[2]["result"]["versions_follow"]

    async def request_in_between() -> None:
        agent, comm = Agent({}), _Comm()
        agent.comm = comm
        load = {"content": {"data": protocol.request(1, Method.LOAD, {"root": str(folder)})}}
        agent._on_msg(comm, load)
        odd = {"content": {"data": protocol.request(9, "format_disk", {})}}
        agent._on_msg(comm, odd)  # even a request that is refused comes after them
        run = {"content": {"data": protocol.request(2, Method.RUN, {"nodes": ["n3"]})}}
        agent._on_msg(comm, run)
        kinds = [m.get("event") or m["id"] for m in comm.sent]
        assert kinds[:3] == [1, protocol.EventName.VERSIONS, 9] and kinds[-1] == 2
        assert comm.sent[1]["data"]["versions"], "the versions themselves, not an empty set"
        assert comm.sent[-1]["result"]["status"] == RunStatus.DONE
        await asyncio.sleep(0.05)
        assert kinds.count(protocol.EventName.VERSIONS) == 1
        assert len(comm.sent) == len(kinds), "the versions are sent once"

    try:
        asyncio.run(scenario())
        asyncio.run(request_in_between())
    finally:
        os.chdir(before)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="thread priorities: Linux")
def test_the_after_load_thread_gives_way_to_every_other_thread():
    import threading

    from studio.kernel.loading.after_load import lower_this_threads_priority

    seen: list[int] = []

    def work() -> None:
        lower_this_threads_priority()
        seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen == [19]
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == 0, "this thread kept"


def test_versions_told_to_stop_are_finished_where_they_stopped(tmp_path):
    """The after-load thread stops when the main thread needs the versions; the main
    thread goes on from there, and the versions are Hamilton's all the same."""
    from studio.kernel.loading.graph_builder import DEFER_VERSIONS_ABOVE, complete_versions

    folder = chain_project(tmp_path / "chain", DEFER_VERSIONS_ABOVE + 250)
    before = Path.cwd()
    try:
        agent = Agent({})
        ask(agent, Method.LOAD, root=str(folder))
        loaded = agent.loaded
        asked = []
        assert complete_versions(loaded, lambda: len(asked.append(1) or asked) > 3) is None
        assert loaded.versions_pending and 0 < len(loaded.versions_found) < 400
        versions = complete_versions(loaded)
        hamiltons = {v.name: v.version for v in loaded.driver.list_available_variables()}
        assert versions == hamiltons and not loaded.versions_pending
        assert all(n.version == hamiltons[n.name] for n in loaded.snapshot.nodes)
    finally:
        os.chdir(before)


def test_params_that_do_not_fit_their_method_are_a_bad_request(agent):
    agent, _ = agent
    missing = ask(agent, Method.LOAD)
    assert (
        missing["error"]["code"] == ErrorCode.BAD_REQUEST and "root" in missing["error"]["message"]
    )
    wrong = ask(agent, Method.TABLE_ROWS, view="three", start=0, stop=5)
    assert wrong["error"]["code"] == ErrorCode.BAD_REQUEST
    assert ask(agent, Method.HELLO)["ok"]


def test_a_first_load_keeps_what_it_read_for_the_next_session_after_its_reply(tmp_path):
    """The files' readings and compiled code are written once the reply is out (a big
    first open waited for them), and a kernel started later on the project uses them."""
    from studio.core.cache import parsed_files
    from studio.core.cache.cache_paths import kept_files_dir
    from studio.core.discovery import discover as discovery
    from studio.kernel.loading import fresh_import

    folder = chain_project(tmp_path / "chain", 30).resolve()
    kept = kept_files_dir(folder)
    at_reply: list[list[Path]] = []

    class Comm(_Comm):
        def send(self, message: dict, buffers: list | None = None) -> None:
            if message.get("kind") == protocol.REPLY:
                at_reply.append([p for p in kept.rglob("*") if p.is_file()])
            super().send(message, buffers)

    def new_session() -> None:
        discovery._READ.clear()
        parsed_files._TREES.clear()
        fresh_import._COMPILED.clear()

    before = Path.cwd()
    try:
        new_session()
        agent, comm = Agent({}), Comm()
        agent.comm = comm
        load = {"content": {"data": protocol.request(1, Method.LOAD, {"root": str(folder)})}}
        agent._on_msg(comm, load)
        agent.finish_load()
        assert at_reply == [[]], "nothing was written before the reply"
        assert {p.parent.name for p in kept.rglob("*") if p.is_file()} >= {"reading", "code"}

        new_session()
        parsed: list[str] = []
        real_parse = discovery.parse

        def parse(text: str, relative: str):
            parsed.append(relative)
            return real_parse(text, relative)

        discovery.parse = parse
        try:
            again, comm = Agent({}), Comm()
            again.comm = comm
            again._on_msg(comm, load)
        finally:
            discovery.parse = real_parse
        assert parsed == [], "the next session read the kept readings"
        assert len(comm.sent[0]["result"]["snapshot"]["nodes"]) == 30
    finally:
        os.chdir(before)
