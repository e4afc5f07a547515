"""Environments a project's uv, Poetry or conda files name, found without running anything."""

import base64
import hashlib
import os
import sys
from pathlib import Path

import pytest

from studio.core.interpreters.environments import environment_to_run, environments_to_run
from studio.core.interpreters.named_environments import (
    conda_file_fields,
    named_environments,
    poetry_env_name,
)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="fake environments use bin/")


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A home folder of the test's own, and none of the tools' variables set."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for name in list(os.environ):
        if name.startswith(("CONDA_", "POETRY_", "UV_", "XDG_", "MAMBA_")):
            monkeypatch.delenv(name)
    return home


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "myproj"
    root.mkdir()
    (root / "a.py").write_text("def a() -> int:\n    return 1\n")
    return root


def fake_env(folder: Path, venv: bool = True) -> Path:
    """An environment whose Python is this one (a symlink); a virtualenv has pyvenv.cfg,
    a conda environment does not."""
    (folder / "bin").mkdir(parents=True)
    python = folder / "bin" / "python"
    python.symlink_to(sys.executable)
    if venv:
        (folder / "pyvenv.cfg").write_text(f"home = {Path(sys.executable).parent}\n")
    return python


def poetry_project(root: Path, name: str = "MyProj") -> None:
    (root / "pyproject.toml").write_text(f'[tool.poetry]\nname = "{name}"\nversion = "0.1"\n')


def test_poetry_env_name_is_poetrys():
    # Poetry's generate_env_name (src/poetry/utils/env/env_manager.py) run on this path.
    assert poetry_env_name("myproj", Path("/nonexistent/projects/myproj")) == "myproj-YMBm_hL9"
    assert poetry_env_name("my project!", Path("/nonexistent/projects/myproj")) == (
        "my_project_-YMBm_hL9"
    )


def test_poetrys_environment_is_found_in_its_virtualenvs_path(home, project, monkeypatch):
    poetry_project(project, "My_Proj")
    envs = home / "poetry-envs"
    monkeypatch.setenv("POETRY_VIRTUALENVS_PATH", str(envs))
    digest = hashlib.sha256(os.path.normcase(os.path.realpath(project)).encode()).digest()
    base = f"my-proj-{base64.urlsafe_b64encode(digest).decode()[:8]}"
    fake_env(envs / f"{base}-py3.9")
    newest = fake_env(envs / f"{base}-py3.12")
    fake_env(envs / "my-proj-AAAAAAAA-py3.13")  # another folder's project of that name
    (found,) = named_environments(project)
    assert found.python == newest
    assert found.label == "Poetry's environment for my-proj"
    (envs / "envs.toml").write_text(f'[{base}]\nminor = "3.9"\nfull = "3.9.18"\n')
    (active,) = named_environments(project)
    assert active.folder == envs / f"{base}-py3.9"  # the one `poetry env use` chose


@pytest.mark.skipif(sys.platform != "linux", reason="Poetry's cache folder on Linux")
def test_poetrys_default_folder_is_its_cache(home, project):
    poetry_project(project)
    (project / "poetry.lock").write_text("")
    base = poetry_env_name("myproj", project)
    python = fake_env(home / ".cache" / "pypoetry" / "virtualenvs" / f"{base}-py3.12")
    assert environment_to_run(project).python == python


def test_conda_environment_by_name(home, project):
    (project / "environment.yml").write_text(
        "# the analysis environment\nname: 'analysis'  # conda's name\n"
        "channels:\n  - conda-forge\ndependencies:\n  - python=3.12\n  - pip:\n"
        "    - name: not-this\n"
    )
    python = fake_env(home / "miniforge3" / "envs" / "analysis", venv=False)
    (found,) = named_environments(project)
    assert found.python == python
    assert found.label == "conda environment 'analysis' (environment.yml)"


def test_conda_environment_in_the_active_envs_folder_and_conda_envs_path(
    home, project, tmp_path, monkeypatch
):
    (project / "environment.yaml").write_text("name: analysis\n")
    assert named_environments(project) == []
    elsewhere = fake_env(tmp_path / "shared" / "analysis", venv=False)
    monkeypatch.setenv("CONDA_ENVS_PATH", f"{tmp_path / 'none'}{os.pathsep}{tmp_path / 'shared'}")
    assert named_environments(project)[0].python == elsewhere
    beside = fake_env(tmp_path / "conda" / "envs" / "analysis", venv=False)
    monkeypatch.setenv("CONDA_PREFIX", str(tmp_path / "conda" / "envs" / "other"))
    assert named_environments(project)[0].python == beside


def test_conda_environment_by_prefix(home, project, tmp_path):
    python = fake_env(tmp_path / "somewhere" / "env", venv=False)
    (project / "environment.yml").write_text(
        f'name: missing\nprefix: "{tmp_path / "somewhere" / "env"}"\n'
    )
    (found,) = named_environments(project)
    assert found.python == python
    assert found.label == f"conda environment {tmp_path / 'somewhere' / 'env'} (environment.yml)"


def test_conda_file_fields_are_read_at_the_top_level_only(tmp_path):
    path = tmp_path / "environment.yml"
    path.write_text('dependencies:\n  name: nested\nname: "x y"\nprefix: /opt/env # there\n')
    assert conda_file_fields(path) == {"name": "x y", "prefix": "/opt/env"}
    assert conda_file_fields(tmp_path / "missing.yml") == {}


def test_uv_project_environment_of_a_uv_project(home, project, monkeypatch):
    python = fake_env(project / "envs" / "dev")
    monkeypatch.setenv("UV_PROJECT_ENVIRONMENT", "envs/dev")
    assert named_environments(project) == []  # not a uv project
    (project / "pyproject.toml").write_text('[project]\nname = "myproj"\n[tool.uv]\n')
    (found,) = named_environments(project)
    assert found.python == python
    assert found.label == "uv's environment envs/dev (UV_PROJECT_ENVIRONMENT)"
    monkeypatch.setenv("UV_PROJECT_ENVIRONMENT", str(project / "envs" / "dev"))
    assert named_environments(project)[0].python == python


def test_the_order_settings_then_folders_then_uv_poetry_conda(home, project, monkeypatch):
    (project / "pyproject.toml").write_text(
        '[project]\nname = "myproj"\n[tool.poetry]\n[tool.uv]\n'
    )
    (project / "environment.yml").write_text("name: analysis\n")
    conda = fake_env(home / "miniconda3" / "envs" / "analysis", venv=False)
    monkeypatch.setenv("POETRY_VIRTUALENVS_PATH", str(home / "poetry"))
    poetry = fake_env(home / "poetry" / f"{poetry_env_name('myproj', project)}-py3.12")
    monkeypatch.setenv("UV_PROJECT_ENVIRONMENT", ".uv-env")
    uv = fake_env(project / ".uv-env")
    assert [e.python for e in environments_to_run(project)] == [uv, poetry, conda]
    venv = fake_env(project / ".venv")
    assert [e.python for e in environments_to_run(project)] == [venv, uv, poetry, conda]
    assert environment_to_run(project).label == ".venv"
    (project / "studio.toml").write_text('interpreter = "../home/poetry/x/bin/python"\n')
    (chosen,) = environments_to_run(project)
    assert chosen.named_by == "studio.toml"


def test_a_named_environment_that_does_not_exist_is_not_found(home, project, monkeypatch):
    poetry_project(project)
    (project / "uv.lock").write_text("")
    (project / "environment.yml").write_text("name: nowhere\nprefix: /nonexistent/env\n")
    monkeypatch.setenv("UV_PROJECT_ENVIRONMENT", "missing-env")
    monkeypatch.setenv("CONDA_PREFIX", str(home / "nonexistent" / "envs" / "base"))
    assert named_environments(project) == []
    assert environment_to_run(project) is None
    (project / "pyproject.toml").write_text("not toml [")
    assert environment_to_run(project) is None
