"""The console lets go of its kernel when the window closes: a message its channels
had already queued for it is dropped, not an error in the event loop (it failed a CI
run as the window of a busy console closed)."""

from studio.ui.kernel.session import KernelSession
from studio.ui.panels.console_panel import ConsolePanel
from studio.ui.theme import LIGHT


def test_a_message_queued_before_the_console_let_go_of_its_kernel_is_dropped(qtbot):
    session = KernelSession()
    panel = ConsolePanel(session, LIGHT)
    qtbot.addWidget(panel)
    console = panel.widget  # built, as when the user first brings it forward
    panel.detach()
    queued = {
        "header": {"msg_type": "execute_input", "session": "ours", "msg_id": "1"},
        "parent_header": {"session": "ours", "msg_id": "1"},
        "content": {"code": "import time; time.sleep(30)", "execution_count": 1},
        "metadata": {},
        "msg_type": "execute_input",
    }
    console._dispatch(queued)  # what Qt delivers from the channel's thread
    assert "time.sleep" not in panel.text()
    session.shutdown()
