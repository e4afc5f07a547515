"""What runs print before the console is built is kept for it: the runs' own output
only, in order, a flood cut to what the console would show, and nothing of a kernel
that was replaced (a new kernel starts with an empty console)."""

from types import SimpleNamespace

from PySide6.QtCore import QObject, Signal

from studio.ui.panels.console_backlog import RUN_OUTPUT_KEPT, ConsoleBacklog


class Channel(QObject):
    message_received = Signal(object)


def client(session: str) -> SimpleNamespace:
    return SimpleNamespace(iopub_channel=Channel(), session=SimpleNamespace(session=session))


def stream(session: str, request: str, text: str) -> dict:
    return {
        "header": {"msg_type": "stream"},
        "parent_header": {"session": session, "msg_id": request},
        "content": {"name": "stdout", "text": text},
    }


def test_the_runs_output_is_kept_in_order_and_a_flood_cut(qtbot):
    ours = client("ours")
    backlog = ConsoleBacklog()
    backlog.follow(ours)
    send = ours.iopub_channel.message_received.emit
    send(stream("ours", "run-1", "first\n"))
    send(stream("subshell", "page", "not the console's\n"))
    send({"header": {"msg_type": "status"}, "parent_header": {}, "content": {}})
    for _ in range(1_000):
        send(stream("ours", "run-2", "x" * 1_000))
    send(stream("ours", "run-3", "last\n"))
    kept = backlog.take()
    texts = [m["content"]["text"] for m in kept]
    assert texts[0] == "first\n" and texts[-1] == "last\n"
    assert "not the console's\n" not in texts
    assert sum(len(t) for t in texts[1:-1]) == RUN_OUTPUT_KEPT  # 1 MB printed, 20 KB kept
    send(stream("ours", "run-4", "after the console took it\n"))
    assert len(backlog) == 0


def test_a_new_kernel_starts_with_nothing_kept(qtbot):
    old, new = client("old"), client("new")
    backlog = ConsoleBacklog()
    backlog.follow(old)
    old.iopub_channel.message_received.emit(stream("old", "run", "from the old kernel\n"))
    backlog.follow(new)
    old.iopub_channel.message_received.emit(stream("old", "run", "late\n"))
    new.iopub_channel.message_received.emit(stream("new", "run", "from the new one\n"))
    assert [m["content"]["text"] for m in backlog.take()] == ["from the new one\n"]


def test_a_message_queued_before_the_backlog_stopped_is_dropped(qtbot):
    ours = client("ours")
    backlog = ConsoleBacklog()
    backlog.follow(ours)
    backlog.take()  # the console took what was kept
    backlog._keep(stream("ours", "run", "queued from the channel's thread\n"))  # Qt delivers
    assert len(backlog) == 0
