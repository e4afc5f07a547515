"""The bundled examples are real Hamilton projects: they run with plain Hamilton."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from studio.core.resources import example_path


def run_script(folder: Path, *args: str) -> str:
    env = {**os.environ, "HAMILTON_TELEMETRY_ENABLED": "false"}
    done = subprocess.run(
        [sys.executable, "run.py", *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_spaceflights_runs_and_its_model_explains_most_of_the_price():
    out = run_script(example_path("spaceflights"))
    metrics = {
        line.split(":")[0].strip(): float(line.split(":")[1].replace(",", ""))
        for line in out.splitlines()
        if ":" in line
    }
    assert 0.6 < metrics["r2_score"] <= 1.0
    assert 0 < metrics["mean_absolute_error"] < metrics["max_error"]
    assert "Type V5" in out


@pytest.mark.parametrize(("scaling", "low", "high"), [("standard", -1.5, 3.5), ("minmax", 0, 1)])
def test_decorators_runs_in_both_configurations(scaling, low, high):
    out = run_script(example_path("decorators"), scaling)
    assert f"scaling: {scaling}" in out
    minimum = float(next(line.split()[1] for line in out.splitlines() if line.startswith("min ")))
    maximum = float(next(line.split()[1] for line in out.splitlines() if line.startswith("max ")))
    assert low <= minimum < maximum <= high
    assert "revenue summary: {'total':" in out
    assert sorted(line.split()[0] for line in out.splitlines()[3:7]) == [
        "east",
        "north",
        "south",
        "west",
    ]


def test_spaceflights_data_is_generated_deterministically(tmp_path):
    folder = example_path("spaceflights") / "data"
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, pathlib; sys.path.insert(0, sys.argv[1]); import generate_data; "
            "generate_data.write_all(pathlib.Path(sys.argv[2]))",
            str(folder),
            str(tmp_path),
        ],
        check=True,
    )
    for name in ("companies.csv", "shuttles.csv", "reviews.csv"):
        assert (tmp_path / name).read_bytes() == (folder / name).read_bytes(), name
        rows = len((folder / name).read_text().splitlines()) - 1
        assert 200 <= rows <= 500
