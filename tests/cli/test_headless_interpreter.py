"""`studio graph` and `studio run` run a project in its own environment, and say so."""

import json
import os
import subprocess
import sys
import venv

import pytest

from studio.core.interpreters.environments import project_environments

pytestmark = pytest.mark.timeout(240)


def studio(*args, cwd=None, **environ):
    env = {**os.environ, "HAMILTON_TELEMETRY_ENABLED": "false", **environ}
    return subprocess.run(
        [sys.executable, "-m", "studio", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=200,
        cwd=cwd,
    )


def test_graph_uses_the_projects_venv_without_being_told(project_venv):
    done = studio("graph", project_venv)
    assert done.returncode == 0, done.stderr
    python = project_environments(project_venv)[0].python
    assert f"running the project in the project's .venv ({python})" in done.stderr
    graph = json.loads(done.stdout)
    assert {n["name"] for n in graph["nodes"]} == {"width", "floor_area"}
    # In the studio's own Python, the project's library is missing.
    own = studio("graph", project_venv, "--interpreter", sys.executable)
    assert own.returncode == 2
    assert "No module named 'shapes'" in own.stderr


def test_graph_formats_are_drawn_from_the_other_pythons_load(project_venv, tmp_path):
    done = studio("graph", project_venv, "--format", "svg", "-o", tmp_path / "g.svg")
    assert done.returncode == 0, done.stderr
    assert "floor_area" in (tmp_path / "g.svg").read_text()


def test_run_computes_in_the_projects_venv(project_venv, tmp_path):
    done = studio("run", project_venv, "floor_area")
    assert done.returncode == 0, done.stderr
    assert "== floor_area ==\n12.0" in done.stdout
    output = tmp_path / "area.json"
    written = studio("run", project_venv, "floor_area", "-o", output, cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    assert json.loads(output.read_text()) == 12.0


def test_an_interpreter_without_hamilton_is_refused_with_the_install_command(tmp_path):
    venv.create(tmp_path / "bare", with_pip=False)
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "a.py").write_text("def a() -> int:\n    return 1\n")
    python = tmp_path / "bare" / "bin" / "python"
    done = studio("graph", tmp_path / "project", "--interpreter", python)
    assert done.returncode == 2
    assert "it lacks apache-hamilton, packaging" in done.stderr
    assert f"{python} -m pip install apache-hamilton packaging" in done.stderr or (
        f"uv pip install --python {python} apache-hamilton packaging" in done.stderr
    )


def test_a_missing_package_names_the_line_and_the_command_for_that_environment(
    project_venv, tmp_path
):
    project = tmp_path / "project"
    project.mkdir()
    (project / "model.py").write_text(
        '"""Needs scikit-learn."""\n\nfrom sklearn import linear_model\n\n\n'
        "def fit() -> int:\n    return 1\n"
    )
    python = project_venv / ".venv" / "bin" / "python"
    done = studio("graph", project, "--interpreter", python)
    assert done.returncode == 2
    assert "model.py:3: import error: ModuleNotFoundError: No module named 'sklearn'" in (
        done.stderr
    )
    assert f"install scikit-learn into this environment: uv pip install --python {python} " in (
        done.stderr
    )
    assert done.stderr.count("No module named 'sklearn'") == 1


def test_graph_runs_in_the_conda_environment_the_project_names(tmp_path):
    """The conda environment is the studio's own (a link to it), under another name."""
    home = tmp_path / "home"
    envs = home / "miniconda3" / "envs"
    envs.mkdir(parents=True)
    (envs / "studio-env").symlink_to(sys.prefix, target_is_directory=True)
    project = tmp_path / "project"
    project.mkdir()
    (project / "a.py").write_text("def a() -> int:\n    return 1\n")
    (project / "environment.yml").write_text("name: studio-env\ndependencies:\n  - python\n")
    python = envs / "studio-env" / "bin" / "python"
    assert python.exists()
    unset = {name: "" for name in os.environ if name.startswith(("CONDA_", "UV_", "POETRY_"))}
    done = studio("graph", project, HOME=str(home), **unset)
    assert done.returncode == 0, done.stderr
    assert (
        f"running the project in conda environment 'studio-env' (environment.yml) ({python})"
        in done.stderr
    )
    assert {n["name"] for n in json.loads(done.stdout)["nodes"]} == {"a"}
