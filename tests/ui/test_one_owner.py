"""One owner per fact: the window's parts read the workspace model, never a copy."""

import sys

import pytest

from studio.core.layout import Direction

pytestmark = pytest.mark.timeout(120)


def test_a_saved_interpreter_that_fails_leaves_the_model_at_what_runs(
    open_window, example_copy, studio_config, tmp_path
):
    from studio.ui.app_settings import AppSettings

    folder = example_copy("spaceflights").resolve()
    missing = tmp_path / "nowhere" / "bin" / "python"
    AppSettings().save_project_state(folder, {"interpreter": str(missing)})
    window = open_window(folder)
    assert "The studio's own Python runs the project meanwhile" in window.banner.text()
    assert window.workspace.project.interpreter is None  # what the kernel was started with
    assert window.session.info.executable == sys.executable
    window.project_session.save()
    assert window.settings.project_state(folder)["interpreter"] is None


def test_the_actions_and_the_title_follow_the_model(open_window, example_copy):
    from studio.ui.window.view_commands import direction_label

    window = open_window(example_copy("spaceflights"))
    workspace, actions = window.workspace, window.actions
    assert window.windowTitle() == "spaceflights · run — Dataflow Studio"

    workspace.graph.engine = "dot"
    assert actions["engine-dot"].isChecked() and not actions["engine-auto"].isChecked()
    workspace.graph.direction = Direction.TOP_BOTTOM
    assert actions["direction"].text() == direction_label(Direction.TOP_BOTTOM)

    assert actions["run"].isEnabled()
    workspace.project.trusted = False
    assert not actions["run"].isEnabled() and not actions["run-all"].isEnabled()
    workspace.project.trusted = True
    assert actions["run"].isEnabled()


def test_the_saved_cache_limit_is_put_into_the_runs_model(open_window, example_copy):
    from studio.ui.app_settings import AppSettings

    AppSettings().set("cache_limit_gb", "2")
    window = open_window(example_copy("spaceflights"))
    assert window.workspace.runs.cache_limit == 2 * 1024**3
    assert window.cache_limit.limit == window.workspace.runs.cache_limit
