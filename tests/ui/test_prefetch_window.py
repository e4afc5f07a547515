"""The helper that reads a big folder while its kernel starts (`prefetch_launch`): it
starts for a big trusted folder only, and ends when another folder opens or the
window closes (here a stand-in that would run for a minute: a real helper is often
done before it could be seen to end)."""

import sys

import pytest

from studio.ui.project import prefetch_launch
from studio.ui.project.source_preview import SOURCE_LIMIT

FLOW = """
def raw() -> int:
    return 1


def doubled(raw: int) -> int:
    return raw * 2
"""


def big_folder(root):
    """A folder with more Python than the source preview reads."""
    root.mkdir()
    padding = "".join(f"# padding line {i:06d} {'x' * 80}\n" for i in range(SOURCE_LIMIT // 90))
    (root / "flow.py").write_text(FLOW + padding)
    return root


@pytest.fixture
def lingering(monkeypatch):
    """The helper's command replaced by one that waits a minute."""
    monkeypatch.setattr(
        prefetch_launch,
        "studio_command",
        lambda: [sys.executable, "-c", "import time; time.sleep(60)"],
    )


def helper(window):
    return window.controller.preview.prefetcher.process


def test_a_helper_for_a_big_trusted_folder_ends_when_another_opens_or_the_window_closes(
    open_window, qtbot, tmp_path, lingering
):
    big = big_folder(tmp_path / "big")
    window = open_window(big, wait=False)
    qtbot.waitUntil(lambda: helper(window) is not None, timeout=10_000)
    first = helper(window)
    assert first.poll() is None and first.args[-2:] == ["--prefetch", str(big.resolve())]

    small = tmp_path / "small"
    small.mkdir()
    (small / "flow.py").write_text(FLOW)
    with qtbot.waitSignal(window.controller.graph_shown, timeout=60_000):
        window.open_folder(small)
    assert first.poll() is not None, "the last folder's helper was ended"
    assert helper(window) is None, "a small folder's source preview reads it: no helper"

    window.open_folder(big)
    qtbot.waitUntil(lambda: helper(window) is not None, timeout=10_000)
    again = helper(window)
    window.close()
    assert again.poll() is not None, "the window's close ended its helper"


def test_no_helper_reads_an_untrusted_folder(open_window, qtbot, tmp_path, lingering):
    big = big_folder(tmp_path / "big")
    window = open_window(big, trust=False)
    assert window.controller.graph.snapshot is not None
    assert helper(window) is None


@pytest.fixture
def launches(monkeypatch, lingering):
    """Every helper started, in order."""
    started = []
    launch = prefetch_launch._launch

    def counted(root):
        started.append(launch(root))
        return started[-1]

    monkeypatch.setattr(prefetch_launch, "_launch", counted)
    yield started
    for process in started:
        prefetch_launch._kill(process)


def test_the_launchs_helper_is_the_windows_not_a_second_one(tmp_path, launches, qtbot):
    """`studio FOLDER` starts the helper beside its early kernel; the window's preview
    takes that one over and starts none of its own."""
    big = big_folder(tmp_path / "big")
    prefetch_launch.start_early(big, lambda root: True)
    qtbot.waitUntil(lambda: len(launches) == 1, timeout=5_000)
    window_side = prefetch_launch.Prefetcher()
    window_side.stop()  # the window opens a folder: the last folder's helper goes
    window_side.expect(big)  # it is the folder the launch named
    window_side.start(big)  # its preview finds the folder too big, no graph kept
    assert window_side.process is launches[0] and len(launches) == 1
    assert launches[0].poll() is None
    window_side.stop()  # the load replied
    assert launches[0].poll() is not None


def test_the_launchs_helper_ends_when_the_window_opens_another_folder(tmp_path, launches, qtbot):
    big = big_folder(tmp_path / "big")
    prefetch_launch.start_early(big, lambda root: True)
    qtbot.waitUntil(lambda: len(launches) == 1, timeout=5_000)
    prefetch_launch.Prefetcher().expect(tmp_path)
    assert launches[0].poll() is not None


def test_the_launch_starts_a_helper_only_where_the_window_would(tmp_path, monkeypatch):
    from studio.core.cache.kept_graph import kept_graph_file
    from studio.ui import app

    asked = {}
    monkeypatch.setattr(prefetch_launch, "start_early", lambda root, wanted: asked.update(w=wanted))
    app._early_prefetch(tmp_path)
    wanted = asked["w"]
    small = tmp_path / "small"
    small.mkdir()
    (small / "flow.py").write_text(FLOW)
    big = big_folder(tmp_path / "big")
    assert not wanted(small) and wanted(big)
    kept = kept_graph_file(big.resolve())
    kept.parent.mkdir(parents=True, exist_ok=True)
    kept.write_text("{}")  # a graph kept from the last session: the window reads that
    assert not wanted(big)
