"""The kernel transport Windows gets (loopback TCP with an HMAC key), run for real here:
the GUI's session starts a kernel on it and the agent answers."""

import json

import pytest

from studio.core.platform import kernel_transport
from studio.core.protocol.requests import HelloParams


@pytest.fixture
def tcp_session(qtbot, tmp_path, monkeypatch):
    from studio.ui.kernel.session import KernelSession

    monkeypatch.setattr(kernel_transport, "is_windows", lambda: True)
    session = KernelSession(restart_on_death=False)
    with qtbot.waitSignal(session.ready, timeout=60_000):
        session.start(tmp_path)
    yield session
    session.shutdown()


def test_a_kernel_on_loopback_tcp_signs_its_messages_and_answers(tcp_session, qtbot):
    folder = tcp_session.connection_folder
    connection = json.loads((folder / "connection.json").read_text(encoding="utf-8"))
    assert connection["transport"] == "tcp" and connection["ip"] == "127.0.0.1"
    assert connection["signature_scheme"] == "hmac-sha256" and len(connection["key"]) >= 32
    assert oct(folder.stat().st_mode & 0o777) == "0o700"  # the key is the user's alone
    replies = []
    tcp_session.request(HelloParams(), replies.append)
    qtbot.waitUntil(lambda: len(replies) == 1, timeout=30_000)
    assert replies[0].ok and replies[0].result.pid == tcp_session.pid
