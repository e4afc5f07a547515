"""Environments a project's tool files name, kept outside the project folder.

uv, Poetry and conda keep a project's environment where their own rules
put it: uv where `UV_PROJECT_ENVIRONMENT` says, Poetry in its cache under a
name hashed from the project's path, conda under an envs folder by the name
`environment.yml` gives. Finding them only reads files and the process
environment; nothing of the project runs here (checking the interpreter found
does, and is for a trusted folder only).
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import sys
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from platformdirs import user_cache_path, user_config_path

from studio.core.interpreters.project_environment import ProjectEnvironment, python_in

CONDA_FILES = ("environment.yml", "environment.yaml")
CONDA_ENVS_FOLDERS = (
    "miniconda3/envs",
    "anaconda3/envs",
    "miniforge3/envs",
    "mambaforge/envs",
    ".conda/envs",
)
"""Where conda's installers put named environments, relative to the home folder."""


def named_environments(
    root: Path, environ: Mapping[str, str] | None = None
) -> list[ProjectEnvironment]:
    """The environments uv, Poetry and conda name for the project in `root`, in that
    order; one that does not exist is left out."""
    env = os.environ if environ is None else environ
    pyproject = _read_toml(root / "pyproject.toml")
    found = [
        uv_environment(root, pyproject, env),
        poetry_environment(root, pyproject, env),
        conda_environment(root, env),
    ]
    return [environment for environment in found if environment is not None]


def uv_environment(
    root: Path, pyproject: dict[str, Any], env: Mapping[str, str]
) -> ProjectEnvironment | None:
    """`UV_PROJECT_ENVIRONMENT` (relative to the project) of a project uv manages; uv's
    default `.venv` is an environment folder found by looking."""
    setting = env.get("UV_PROJECT_ENVIRONMENT")
    uses_uv = "uv" in pyproject.get("tool", {}) or (root / "uv.lock").is_file()
    if not setting or not uses_uv:
        return None
    folder = (root / Path(setting).expanduser()).absolute()
    python = python_in(folder)
    if python is None:
        return None
    return ProjectEnvironment(
        folder, python, described=f"uv's environment {setting} (UV_PROJECT_ENVIRONMENT)"
    )


def poetry_environment(
    root: Path, pyproject: dict[str, Any], env: Mapping[str, str]
) -> ProjectEnvironment | None:
    """The virtualenv Poetry made for the project in its own folder of environments:
    the one `poetry env use` made active, else the newest Python's."""
    poetry = pyproject.get("tool", {}).get("poetry")
    if poetry is None and not (root / "poetry.lock").is_file():
        return None
    project = pyproject.get("project", {})
    name = canonical_name(str(project.get("name") or (poetry or {}).get("name") or ""))
    name = name or "non-package-mode"  # Poetry's name for a project without one
    base = poetry_env_name(name, root)
    folder = poetry_virtualenvs_path(root, env)
    candidates = {path: _python_version(path.name) for path in folder.glob(f"{base}-py*")}
    active = _read_toml(folder / "envs.toml").get(base, {}).get("minor")
    ordered = sorted(
        candidates,
        key=lambda path: (".".join(map(str, candidates[path])) == active, candidates[path]),
        reverse=True,
    )
    for path in ordered:
        python = python_in(path)
        if python is not None:
            return ProjectEnvironment(path, python, described=f"Poetry's environment for {name}")
    return None


def canonical_name(name: str) -> str:
    """A distribution name as PEP 503 normalizes it (Poetry's package name)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def poetry_env_name(name: str, project_dir: Path) -> str:
    """The name Poetry gives a project's environments before `-pyX.Y`: its sanitized
    name and the start of a hash of its real path (Poetry's `generate_env_name`)."""
    sanitized = re.sub(r'[ $`!*@"\\\r\n\t]', "_", name.lower())[:42]
    normalized = os.path.normcase(os.path.realpath(project_dir))
    digest = hashlib.sha256(normalized.encode()).digest()
    return f"{sanitized}-{base64.urlsafe_b64encode(digest).decode()[:8]}"


def poetry_virtualenvs_path(root: Path, env: Mapping[str, str]) -> Path:
    """Poetry's `virtualenvs.path`: its environment variable, else the project's
    `poetry.toml`, else the user's Poetry config, else `{cache-dir}/virtualenvs`."""
    config_dir = env.get("POETRY_CONFIG_DIR") or user_config_path(
        "pypoetry", appauthor=False, roaming=True
    )
    configs = [_read_toml(root / "poetry.toml"), _read_toml(Path(config_dir) / "config.toml")]
    cache_dir = env.get("POETRY_CACHE_DIR") or next(
        (str(c["cache-dir"]) for c in configs if isinstance(c.get("cache-dir"), str)),
        str(user_cache_path("pypoetry", appauthor=False)),
    )
    path = env.get("POETRY_VIRTUALENVS_PATH") or next(
        (
            c["virtualenvs"]["path"]
            for c in configs
            if isinstance(c.get("virtualenvs"), dict)
            and isinstance(c["virtualenvs"].get("path"), str)
        ),
        str(Path(cache_dir) / "virtualenvs"),
    )
    return Path(path.replace("{cache-dir}", cache_dir)).expanduser()


def conda_environment(root: Path, env: Mapping[str, str]) -> ProjectEnvironment | None:
    """The conda environment `environment.yml` names: by `name:` under the envs folders
    conda looks in, else at its `prefix:`."""
    for file_name in CONDA_FILES:
        fields = conda_file_fields(root / file_name)
        if not fields:
            continue
        name = fields.get("name")
        if name:
            for envs in conda_envs_folders(env):
                python = conda_python(envs / name)
                if python is not None:
                    described = f"conda environment '{name}' ({file_name})"
                    return ProjectEnvironment(envs / name, python, described=described)
        prefix = fields.get("prefix")
        if prefix:
            folder = (root / Path(prefix).expanduser()).absolute()
            python = conda_python(folder)
            if python is not None:
                described = f"conda environment {folder} ({file_name})"
                return ProjectEnvironment(folder, python, described=described)
        return None
    return None


def conda_file_fields(path: Path) -> dict[str, str]:
    """The top-level `name:` and `prefix:` of a conda environment file (a line parser:
    these are plain scalars, and the studio carries no YAML library)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return {}
    fields = {}
    for line in lines:
        match = re.match(r"(name|prefix):\s*(.*?)\s*$", line)
        if match is None:
            continue
        value = re.sub(r"\s+#.*$", "", match.group(2))
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        if value:
            fields.setdefault(match.group(1), value)
    return fields


def conda_envs_folders(env: Mapping[str, str]) -> Iterator[Path]:
    """Where conda keeps named environments: beside (or inside) the active one,
    `CONDA_ENVS_PATH`, then the installers' default folders in the home folder."""
    prefix = env.get("CONDA_PREFIX")
    if prefix:
        active = Path(prefix)
        if active.parent.name == "envs":
            yield active.parent
        yield active / "envs"
    for variable in ("CONDA_ENVS_PATH", "CONDA_ENVS_DIRS"):
        for entry in env.get(variable, "").split(os.pathsep):
            if entry:
                yield Path(entry).expanduser()
    home = Path.home()
    for folder in CONDA_ENVS_FOLDERS:
        yield home / folder


def conda_python(folder: Path) -> Path | None:
    """A conda environment's interpreter, if `folder` has one."""
    python = folder / "python.exe" if sys.platform == "win32" else folder / "bin" / "python"
    return python if python.exists() else None


def _python_version(folder_name: str) -> tuple[int, ...]:
    """(3, 12) of `name-hash-py3.12`; () when the suffix is not a version."""
    suffix = folder_name.rpartition("-py")[2]
    try:
        return tuple(int(part) for part in suffix.split("."))
    except ValueError:
        return ()


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except (OSError, tomllib.TOMLDecodeError):
        return {}
