"""A project module named like a standard-library module (issue 31, case 5): the load
names the file and the clash; the kernel and the command line never run the project's
file in place of the standard module."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from studio.kernel.loading.project_load import load_project

FLOW = """
def base() -> int:
    return 2


def doubled(base: int) -> int:
    return base * 2
"""


@pytest.fixture
def folder(tmp_path):
    before = Path.cwd()
    yield tmp_path / "shadow"
    os.chdir(before)


@pytest.mark.parametrize("name", ["numbers", "random", "json", "types", "logging"])
def test_the_command_line_names_the_file_and_the_clash_with_exit_2(folder, name):
    folder.mkdir()
    (folder / f"{name}.py").write_text(FLOW)
    done = subprocess.run(  # in the project folder, as a user types it
        [Path(sys.executable).with_name("studio"), "graph", ".", "--format", "json"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "HAMILTON_TELEMETRY_ENABLED": "false"},
    )
    assert done.returncode == 2, done.stderr
    assert f"{name}.py has the name of the standard library's module `{name}`" in done.stderr
    assert "Traceback" not in done.stderr
    error = json.loads(done.stdout)["errors"][0]
    assert error["file"] == f"{name}.py"


def test_the_other_modules_load_and_the_clash_is_a_located_error(folder):
    folder.mkdir()
    (folder / "numbers.py").write_text(FLOW)
    (folder / "features.py").write_text("def tripled(doubled: int) -> int:\n    return 3\n")
    snapshot = load_project(folder).snapshot
    assert [(e.file, e.hint) for e in snapshot.errors] == [
        ("numbers.py", "rename numbers.py (for example to numbers_nodes) and the imports of it")
    ]
    import numbers  # the process's own stays the standard one

    assert hasattr(numbers, "Number")


def test_the_project_folder_goes_after_the_standard_library_before_installed_ones(folder):
    from studio.kernel.loading.fresh_import import use_search_path

    folder.mkdir()
    saved = list(sys.path)
    try:
        use_search_path([folder])
        at = sys.path.index(str(folder))
        standard = Path(json.__file__).parent.parent  # json is a package
        assert sys.path.index(str(standard)) < at
        installed = [i for i, p in enumerate(sys.path) if p.endswith("site-packages")]
        assert installed and at < installed[0]
    finally:
        sys.path[:] = saved


def test_a_helper_named_like_a_standard_module_is_named_when_it_breaks_an_import(folder):
    folder.mkdir()
    (folder / "logging.py").write_text("def setup() -> None:\n    pass\n")
    (folder / "flow.py").write_text(
        "from logging import setup\n\n\ndef base() -> int:\n    setup()\n    return 1\n"
    )
    errors = {e.file: e for e in load_project(folder).snapshot.errors}
    assert set(errors) == {"flow.py", "logging.py"}  # both the project's modules
    assert "cannot import name 'setup' from 'logging'" in errors["flow.py"].message
    hint = errors["flow.py"].hint
    assert "logging.py has the name of the standard library's module `logging`" in hint
