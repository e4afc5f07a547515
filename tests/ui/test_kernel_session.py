"""The kernel session on its own: one reply per request, failures with codes, no TCP port."""

import pytest

from studio.core.protocol import ErrorCode
from studio.core.protocol.events import Versions
from studio.core.protocol.requests import HelloParams, LoadParams, RunParams

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def session(qtbot, tmp_path):
    from studio.ui.kernel.session import KernelSession

    session = KernelSession(restart_on_death=False)
    with qtbot.waitSignal(session.ready, timeout=60_000) as ready:
        session.start(tmp_path)
    yield session, ready.args[0]
    session.shutdown()


def test_the_agent_answers_where_it_runs_over_private_ipc(session, tmp_path):
    session, info = session
    assert info.cwd == str(tmp_path)
    folder = session.connection_folder
    assert folder is not None and oct(folder.stat().st_mode & 0o777) == "0o700"
    connection = (folder / "connection.json").read_text()
    assert '"transport": "ipc"' in connection


def test_every_request_gets_its_reply_and_failures_carry_codes(session, qtbot):
    session, _ = session
    replies = []
    session.request(LoadParams("/nonexistent/folder"), replies.append)
    session.request(HelloParams(), replies.append)
    qtbot.waitUntil(lambda: len(replies) == 2, timeout=30_000)
    failed, hello = replies
    assert failed.code is ErrorCode.FOLDER_UNUSABLE and "does not exist" in failed.message
    assert hello.ok and hello.result.pid == session.pid
    pending = []
    session.request(RunParams(nodes=[]), pending.append)
    session.shutdown()
    assert pending and pending[0].code in (ErrorCode.KERNEL_SHUT_DOWN, ErrorCode.NOT_LOADED)


def test_a_kernel_started_before_the_window_is_the_one_it_opens_the_folder_in(
    qtbot, studio_config, example_copy
):
    """The app starts the kernel while it builds the window; opening that folder keeps
    the kernel (no second start) and loads the graph in it."""
    from studio.ui.app_settings import AppSettings
    from studio.ui.kernel.session import KernelSession
    from studio.ui.theme import LIGHT
    from studio.ui.window.main_window import MainWindow

    folder = example_copy("spaceflights").resolve()
    early = KernelSession()
    early.prestart(folder)
    manager = early.kernel_manager
    settings = AppSettings()
    settings.trust(folder)
    window = MainWindow(settings, LIGHT, early)
    try:
        with qtbot.waitSignal(window.controller.graph_shown, timeout=60_000):
            window.open_folder(folder)
        assert window.session is early and early.kernel_manager is manager
        assert early.info.cwd == str(folder)
        assert window.workspace.graph.snapshot.node("model_input_table") is not None
    finally:
        window.close()
        window.shutdown()


def test_a_console_cell_right_after_a_big_first_load_waits_for_its_last_steps(
    session, qtbot, tmp_path
):
    """The kernel finishes a big first load (code versions, Hamilton's extensions) on a
    thread after its reply; a console cell typed at once runs only after that."""
    from studio.kernel.loading.graph_builder import DEFER_VERSIONS_ABOVE
    from tests.helpers import chain_project

    session, _ = session
    folder = chain_project(tmp_path / "chain", DEFER_VERSIONS_ABOVE + 100)
    seen: list[str] = []

    class Listener:
        def _on_versions(self, _event: Versions) -> None:
            seen.append("event versions")

    listener = Listener()
    session.listen(listener)
    session.output.connect(lambda _stream, text: seen.append(text.strip()))
    replies = []
    session.request(LoadParams(str(folder)), replies.append)
    qtbot.waitUntil(lambda: bool(replies), timeout=60_000)
    assert replies[0].ok and replies[0].result.versions_follow
    session.kernel_client.execute(
        "import threading\n"
        "print('after-load running:', any(t.name == 'studio-after-load' and t.is_alive()"
        " for t in threading.enumerate()))"
    )
    qtbot.waitUntil(lambda: any("after-load running" in s for s in seen), timeout=30_000)
    printed = next(s for s in seen if "after-load running" in s)
    assert printed == "after-load running: False"
    assert "event versions" in seen[: seen.index(printed)]


def _open_files() -> int:
    from pathlib import Path

    return sum(1 for _ in Path("/proc/self/fd").iterdir())


@pytest.mark.linux_only
def test_restarts_leave_no_open_files_nor_threads_behind(session, qtbot):
    """Each kernel ended on a thread used to leave that thread's asyncio loop behind (a
    socket pair and an epoll file): a day of restarts and project switches, or the test
    suite's hundreds of windows, ran zmq out of files."""
    import threading

    from studio.ui.kernel.kernel_ending import wait_for_endings

    session, _ = session

    def restart() -> None:
        with qtbot.waitSignal(session.ready, timeout=60_000):
            session.restart()
        wait_for_endings()
        qtbot.wait(200)  # the subshell's worker thread ends after the kernel is ready

    restart()
    files, threads = _open_files(), threading.active_count()
    for _ in range(3):
        restart()
    assert _open_files() <= files + 2, "files left open by each restart"
    assert threading.active_count() <= threads


def test_a_big_graphs_nodes_come_beside_the_reply_and_decode_whole(session, qtbot, tmp_path):
    """A big load reply's nodes travel in frames the Jupyter client leaves undecoded (its
    one JSON decode of a 20,000-node reply held the window's interpreter up to 300 ms)."""
    from studio.core.graph.snapshot import GraphSnapshot
    from studio.core.protocol.node_frames import NODES_PER_FRAME, FramedNodes
    from tests.helpers import chain_project

    session, _ = session
    count = 2 * NODES_PER_FRAME + 7
    folder = chain_project(tmp_path / "chain", count)
    replies = []
    session.request(LoadParams(str(folder)), replies.append)
    qtbot.waitUntil(lambda: bool(replies), timeout=60_000)
    assert replies[0].ok
    assert isinstance(replies[0].result.snapshot["nodes"], FramedNodes)
    snapshot = GraphSnapshot.from_dict(replies[0].result.snapshot)
    assert sorted(n.name for n in snapshot.nodes) == sorted(f"n{i}" for i in range(count))
    assert snapshot.node(f"n{count - 1}").doc == f"Step {count - 1}."
