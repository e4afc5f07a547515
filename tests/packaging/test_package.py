"""The installable package carries what the app needs at run time."""

import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_wheel_ships_the_example_projects(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "hatchling",
            "build",
            "--target",
            "wheel",
            "--directory",
            str(tmp_path),
        ],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "studio/resources/examples/spaceflights/run.py",
        "studio/resources/examples/spaceflights/data/shuttles.csv",
        "studio/resources/examples/decorators/summary_helpers.py",
        "studio/resources/examples/decorators/data/orders.csv",
        "studio/cli/__init__.py",
        "studio/core/discovery/discover.py",
    ):
        assert expected in names
    assert not any("__pycache__" in name for name in names)
