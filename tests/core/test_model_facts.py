"""One owner per fact: the workspace's evented fields, and saved choices they load from."""

from __future__ import annotations

from pathlib import Path

from studio.core.cache.cache_paths import DEFAULT_CACHE_LIMIT, durations_file, hamilton_cache_dir
from studio.core.layout import Direction
from studio.core.model import Workspace
from studio.core.model.project_model import ProjectModel
from studio.core.model.runs_model import RunsModel


def _announced(event) -> list:
    seen: list = []
    event.connect(lambda *args: seen.append(args[0] if args else None))
    return seen


def test_saved_interpreters_of_every_form_still_load_and_save_the_same(tmp_path):
    for saved, interpreter, chosen in (
        (None, None, False),
        ("", None, True),
        ("/opt/py/bin/python", Path("/opt/py/bin/python"), True),
    ):
        project = ProjectModel()
        project.open(tmp_path, {"interpreter": saved})
        assert (project.interpreter, project.interpreter_chosen) == (interpreter, chosen)
        assert project.state()["interpreter"] == saved
    project = ProjectModel()
    project.open(tmp_path, {})
    assert project.state()["interpreter"] is None


def test_the_projects_own_environment_runs_unsaved_and_never_over_a_choice(tmp_path):
    found = str(tmp_path / ".venv" / "bin" / "python")
    project = ProjectModel()
    project.open(tmp_path, {"interpreter": None, "environment": found})
    assert project.interpreter == Path(found) and not project.interpreter_chosen
    assert project.state()["interpreter"] is None  # found anew at each opening
    project.open(tmp_path, {"interpreter": "", "environment": found})
    assert project.interpreter is None and project.interpreter_chosen


def test_choosing_an_interpreter_announces_it_once():
    project = ProjectModel()
    seen = _announced(project.interpreter_changed)
    project.choose_interpreter(Path("/p/python"))
    project.choose_interpreter(Path("/p/python"))
    project.choose_interpreter(None)
    assert seen == [Path("/p/python"), None]
    assert project.interpreter_chosen and project.state()["interpreter"] == ""


def test_trust_is_the_project_models_and_opening_sets_it(tmp_path):
    workspace = Workspace()
    seen = _announced(workspace.project.trusted_changed)
    workspace.open(tmp_path, {}, trusted=False)
    assert workspace.project.trusted is False
    workspace.open(tmp_path, {}, trusted=False)
    workspace.project.trusted = True
    assert seen == [False, True]


def test_the_cache_folders_follow_the_folder(tmp_path):
    workspace = Workspace()
    assert workspace.project.cache_dir is None
    workspace.open(tmp_path, {})
    assert workspace.project.cache_dir == hamilton_cache_dir(tmp_path)
    assert workspace.runs.durations.path == durations_file(tmp_path)
    other = tmp_path / "other"
    workspace.open(other, {})
    assert workspace.project.cache_dir == hamilton_cache_dir(other)
    assert workspace.runs.durations.path == durations_file(other)


def test_the_cache_limit_is_the_runs_models():
    runs = RunsModel()
    assert runs.cache_limit == DEFAULT_CACHE_LIMIT
    seen = _announced(runs.cache_limit_changed)
    runs.cache_limit = 1
    runs.cache_limit = 1
    assert seen == [1]


def test_direction_and_engine_assignments_are_announced():
    workspace = Workspace()
    graph = workspace.graph
    directions = _announced(graph.direction_changed)
    engines = _announced(graph.engine_changed)
    graph.direction = Direction.TOP_BOTTOM
    graph.set_direction(Direction.TOP_BOTTOM)
    graph.engine = "dot"
    graph.set_engine("auto")
    assert directions == [Direction.TOP_BOTTOM]
    assert engines == ["dot", "auto"]


def test_the_executor_is_announced_only_when_it_changes(tmp_path):
    project = ProjectModel()
    seen = _announced(project.executor_changed)
    project.open(tmp_path, {"executor": "local"})
    project.open(tmp_path, {"executor": "threads"})
    project.set_executor(project.executor)
    assert [choice.text for choice in seen] == ["threads"]
