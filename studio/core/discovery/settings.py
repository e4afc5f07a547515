"""Project settings that override discovery: `[tool.studio]` or `studio.toml`.

    [tool.studio]
    interpreter = ".venv/bin/python"      # the project's Python (relative to the root)
    exclude = ["scratch", "*_old.py"]     # glob patterns, relative to the project root
    modules = ["features", "model"]       # replaces the discovered module list
    config = { region = "EU" }            # merged over what driver scripts say
    inputs = { data_dir = "data" }
    allow_module_overrides = false

    [tool.studio.dataflows.nightly]       # a named dataflow, new or overriding one found
    modules = ["features", "nightly"]
    config = { region = "US" }

Top-level keys apply to every dataflow; a `[dataflows.NAME]` table applies
to that one. In `studio.toml` the same keys sit at the top level (no
`[tool.studio]` header). `studio.toml` wins when both exist.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studio.core.discovery.project import FileProblem

_DATAFLOW_KEYS = {"modules", "config", "inputs", "allow_module_overrides", "search_path"}
_TOP_KEYS = _DATAFLOW_KEYS | {"exclude", "dataflows", "interpreter"}


@dataclass(frozen=True, slots=True)
class DataflowSettings:
    modules: tuple[str, ...] | None = None
    config: dict[str, Any] = field(default_factory=dict)
    inputs: dict[str, Any] = field(default_factory=dict)
    allow_module_overrides: bool | None = None
    search_path: str | None = None


@dataclass(frozen=True, slots=True)
class ProjectSettings:
    exclude: tuple[str, ...] = ()
    defaults: DataflowSettings = field(default_factory=DataflowSettings)
    dataflows: dict[str, DataflowSettings] = field(default_factory=dict)
    source: str | None = None
    """The file the settings came from, relative to the root."""
    interpreter: str | None = None
    """The project's own Python, as the settings name it (relative to the root)."""


def load_settings(root: Path) -> tuple[ProjectSettings, list[FileProblem]]:
    """Read the project's settings; a broken file is reported and ignored."""
    for name, table_path in (("studio.toml", ()), ("pyproject.toml", ("tool", "studio"))):
        path = root / name
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as error:
            return ProjectSettings(), [FileProblem(name, None, f"settings ignored: {error}")]
        for key in table_path:
            data = data.get(key, {})
        if not data and table_path:
            continue
        try:
            return _parse(data, name), []
        except (TypeError, ValueError) as error:
            return ProjectSettings(), [FileProblem(name, None, f"settings ignored: {error}")]
    return ProjectSettings(), []


def _parse(data: dict[str, Any], source: str) -> ProjectSettings:
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise ValueError(f"unknown key(s) {', '.join(sorted(unknown))}")
    flows = data.get("dataflows", {})
    if not isinstance(flows, dict):
        raise TypeError("'dataflows' must be a table")
    return ProjectSettings(
        exclude=tuple(_string_list(data.get("exclude", []), "exclude")),
        defaults=_dataflow_settings(data, "the top level"),
        dataflows={name: _dataflow_settings(table, name) for name, table in flows.items()},
        source=source,
        interpreter=_optional_string(data.get("interpreter"), "interpreter"),
    )


def _dataflow_settings(table: Any, where: str) -> DataflowSettings:
    if not isinstance(table, dict):
        raise TypeError(f"dataflow {where!r} must be a table")
    unknown = set(table) - _TOP_KEYS if where == "the top level" else set(table) - _DATAFLOW_KEYS
    if unknown:
        raise ValueError(f"unknown key(s) in {where}: {', '.join(sorted(unknown))}")
    modules = table.get("modules")
    overrides = table.get("allow_module_overrides")
    search_path = table.get("search_path")
    for key in ("config", "inputs"):
        if not isinstance(table.get(key, {}), dict):
            raise TypeError(f"'{key}' in {where} must be a table")
    return DataflowSettings(
        modules=None if modules is None else tuple(_string_list(modules, "modules")),
        config=dict(table.get("config", {})),
        inputs=dict(table.get("inputs", {})),
        allow_module_overrides=None if overrides is None else bool(overrides),
        search_path=None if search_path is None else str(search_path),
    )


def _optional_string(value: Any, key: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"'{key}' must be a string")
    return value


def _string_list(value: Any, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError(f"'{key}' must be a list of strings")
    return list(value)
