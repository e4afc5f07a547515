"""Opening a folder runs none of its code until the user trusts it (issue 17)."""

import pytest

pytestmark = pytest.mark.timeout(120)

MODULE = """
from pathlib import Path

Path("imported.log").write_text("the module ran")


def base() -> int:
    return 2


def doubled(base: int, factor: int = 2) -> int:
    return base * factor
"""


def test_an_untrusted_folder_is_drawn_from_its_source_and_runs_only_once_trusted(
    open_window, qtbot, tmp_path
):
    folder = tmp_path / "strange"
    folder.mkdir()
    (folder / "flow.py").write_text(MODULE)
    window = open_window(folder, trust=False)  # waits for the graph: drawn from the source
    assert set(window.scene.nodes) == {"base", "doubled", "factor"}
    assert not (folder / "imported.log").exists()
    assert window.session.pid is None  # no kernel: nothing can run the code
    assert "Nothing of strange has run" in window.banner.text()
    assert window.run_controller.run(["doubled"]) is None
    assert not window.actions["run"].isEnabled() and not window.actions["run-all"].isEnabled()
    assert not window.settings.is_trusted(folder)

    with qtbot.waitSignal(window.controller.load_finished, timeout=60_000):
        window.project_session.trust(folder.resolve())
    assert window.settings.is_trusted(folder)
    assert (folder / "imported.log").read_text() == "the module ran"
    assert window.session.pid is not None and not window.banner.isVisible()
    assert window.actions["run"].isEnabled()
    record = window.run_controller.run(["doubled"])
    qtbot.waitUntil(lambda: record.finished, timeout=60_000)
    assert record.status == "done"


def test_the_bundled_examples_are_trusted(studio_config):
    from studio.core.resources import example_path
    from studio.ui.app_settings import AppSettings

    assert AppSettings().is_trusted(example_path("spaceflights"))


def test_an_untrusted_folder_gets_no_kernel_when_it_comes_back_or_on_restart(
    open_window, example_copy, qtbot, tmp_path
):
    """Found in review: a folder moved away and back started a kernel in it, and Restart
    Kernel in an untrusted folder started one in the folder opened before."""
    trusted = open_window(example_copy("spaceflights"))
    folder = tmp_path / "strange"
    folder.mkdir()
    (folder / "flow.py").write_text(MODULE)
    with qtbot.waitSignal(trusted.controller.graph_shown, timeout=60_000):
        trusted.open_folder(folder)
    window = trusted
    assert window.session.pid is None
    window.actions["restart-kernel"].trigger()
    assert "strange is not trusted: no kernel runs its code" in window.banner.text()
    assert window.session.pid is None
    away = folder.with_name("away")
    folder.rename(away)
    qtbot.waitUntil(lambda: "deleted or moved" in window.banner.text(), timeout=15_000)
    away.rename(folder)
    qtbot.waitUntil(lambda: not window.controller._folder_missing, timeout=15_000)
    qtbot.wait(2000)
    assert window.session.pid is None
    assert not (folder / "imported.log").exists()
