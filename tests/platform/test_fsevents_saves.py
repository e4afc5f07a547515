"""The folder watcher fed the events macOS' FSEvents gives: "modified" (coalesced: a slow
write makes fewer events than writes), "created", "moved", "deleted", and never "closed".
A save is reported once its file holds still, not while it is still being written.

The watcher's handler is driven directly (no observer runs: this machine's inotify would
add the close events FSEvents lacks); its quiet timer is set long and `_flush`, what that
timer calls, is called by the test, so the order of writes and checks is exact."""

from pathlib import Path

import pytest
from watchdog.events import (
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
)

from studio.ui.project import file_watcher
from studio.ui.project.file_watcher import FolderWatcher

FIRST = "def a() -> int:\n    return 1\n"
REST = "\n\ndef b(a: int) -> int:\n    return a + 1\n"


@pytest.fixture
def watched(qtbot, tmp_path):
    """A watcher on `tmp_path` that hears only the events the test gives it, and what it
    reported, each with the file's text at that moment."""
    root = tmp_path.resolve()
    watcher = FolderWatcher(quiet_ms=60_000)
    watcher.root = root
    reports: list[tuple[list[str], str]] = []
    flow = root / "flow.py"
    watcher.changed.connect(lambda paths: reports.append((paths, _text(flow))))
    handler = file_watcher._Handler(watcher)
    yield watcher, handler, flow, reports
    watcher.stop()


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.exists() else ""


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as stream:
        stream.write(text)


def test_a_file_still_being_written_is_not_reported_until_it_holds_still(as_macos, watched):
    watcher, handler, flow, reports = watched
    flow.write_text(FIRST, encoding="utf-8")
    handler.on_any_event(FileCreatedEvent(str(flow)))
    _append(flow, REST[:10])  # coalesced by FSEvents: no event of its own

    watcher._flush()  # the quiet period is over, but the file moved meanwhile
    assert reports == []
    _append(flow, REST[10:])
    watcher._flush()
    assert reports == []

    watcher._flush()  # held still through a whole quiet period: saved
    assert reports == [(["flow.py"], FIRST + REST)]


def test_a_write_longer_than_the_cap_is_reported_anyway(as_macos, watched, monkeypatch):
    watcher, handler, flow, reports = watched
    flow.write_text(FIRST, encoding="utf-8")
    handler.on_any_event(FileModifiedEvent(str(flow)))
    monkeypatch.setattr(file_watcher, "MAX_WRITING_MS", 0)
    _append(flow, REST)
    watcher._flush()
    assert reports == [(["flow.py"], FIRST + REST)]


def test_an_editors_rename_into_place_is_reported_at_once(as_macos, watched, qtbot):
    _watcher, handler, flow, reports = watched
    scratch = flow.with_name("flow.py.tmp.1234")
    scratch.write_text(FIRST, encoding="utf-8")
    scratch.replace(flow)
    handler.on_any_event(FileMovedEvent(str(scratch), str(flow)))
    qtbot.waitUntil(lambda: bool(reports), timeout=5_000)  # settled: not the long quiet
    assert reports == [(["flow.py"], FIRST)]


def test_a_deleted_file_is_reported_when_the_folder_is_quiet(as_macos, watched):
    watcher, handler, flow, reports = watched
    handler.on_any_event(FileDeletedEvent(str(flow)))
    watcher._flush()
    assert reports == [(["flow.py"], "")]


@pytest.mark.linux_only
def test_linux_reports_at_the_end_of_the_quiet_period_as_before(watched):
    """inotify's close event ends a save there; a modified file is not waited for."""
    watcher, handler, flow, reports = watched
    flow.write_text(FIRST, encoding="utf-8")
    handler.on_any_event(FileModifiedEvent(str(flow)))
    _append(flow, REST)
    watcher._flush()
    assert reports == [(["flow.py"], FIRST + REST)]


def test_close_events_are_what_linux_has_and_macos_lacks(as_macos, watched, qtbot):
    """The filter keeps handling a close event as the end of a save (FSEvents just never
    sends one)."""
    _watcher, handler, flow, reports = watched
    flow.write_text(FIRST, encoding="utf-8")
    handler.on_any_event(FileClosedEvent(str(flow)))
    qtbot.waitUntil(lambda: bool(reports), timeout=5_000)
    assert reports == [(["flow.py"], FIRST)]
