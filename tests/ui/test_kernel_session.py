"""The kernel session on its own: one reply per request, failures with codes, no TCP port."""

import pytest

from studio.core.protocol import ErrorCode, Method

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
    assert info["cwd"] == str(tmp_path)
    folder = session.connection_folder
    assert folder is not None and oct(folder.stat().st_mode & 0o777) == "0o700"
    connection = (folder / "connection.json").read_text()
    assert '"transport": "ipc"' in connection


def test_every_request_gets_its_reply_and_failures_carry_codes(session, qtbot):
    session, _ = session
    replies = []
    session.request(Method.LOAD, {"root": "/nonexistent/folder"}, replies.append)
    session.request(Method.HELLO, {}, replies.append)
    qtbot.waitUntil(lambda: len(replies) == 2, timeout=30_000)
    failed, hello = replies
    assert failed.code is ErrorCode.FOLDER_UNUSABLE and "does not exist" in failed.message
    assert hello.ok and hello.result["pid"] == session.pid
    pending = []
    session.request(Method.RUN, {"nodes": []}, pending.append)
    session.shutdown()
    assert pending and pending[0].code in (ErrorCode.KERNEL_SHUT_DOWN, ErrorCode.NOT_LOADED)
