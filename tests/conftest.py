"""Test configuration: Qt runs offscreen, Hamilton stays quiet, examples are copied."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")
os.environ.setdefault("HAMILTON_TELEMETRY_ENABLED", "false")

import shutil
from pathlib import Path

import pytest

from studio.core.resources import example_path


@pytest.fixture
def example_copy(tmp_path: Path):
    """A function that copies a bundled example into a temporary folder."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(example_path(name), target, ignore=shutil.ignore_patterns("__pycache__"))
        return target

    return copy
