"""The standalone app: build the PyInstaller bundle and run it as a user would.

Slow (the build takes a couple of minutes), so it runs only with
STUDIO_TEST_BUNDLE=1: `make bundle-test`, and in CI (.ci/run sets it).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from studio.core.interpreters.environments import project_environments

REPO = Path(__file__).resolve().parents[2]
BUNDLE = REPO / "dist" / "dataflow-studio"
EXECUTABLE = BUNDLE / "dataflow-studio"
APPDIR = REPO / "dist" / "AppDir"

pytestmark = [
    pytest.mark.bundle,
    pytest.mark.timeout(900),
    pytest.mark.skipif(
        os.environ.get("STUDIO_TEST_BUNDLE") != "1",
        reason="builds the desktop bundle: run with STUDIO_TEST_BUNDLE=1 (make bundle-test)",
    ),
]


def clean_environment() -> dict[str, str]:
    """What a desktop session gives an app: no virtual environment, no PYTHONPATH."""
    return {"HOME": os.environ["HOME"], "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}


@pytest.fixture(scope="module")
def bundle():
    subprocess.run([sys.executable, str(REPO / "packaging" / "build.py")], check=True, cwd=REPO)
    assert EXECUTABLE.exists()
    return EXECUTABLE


def run(*args, cwd=None, timeout=300):
    return subprocess.run(
        [str(EXECUTABLE), *args],
        capture_output=True,
        text=True,
        env=clean_environment(),
        cwd=cwd or "/",
        timeout=timeout,
    )


def test_the_bundle_passes_its_smoke_test(bundle):
    done = run("--smoke-test")
    assert done.returncode == 0, done.stderr
    assert "smoke test passed" in done.stdout
    assert f"({EXECUTABLE})" in done.stdout  # the kernel is the bundle itself


def test_the_bundle_runs_on_a_real_display(bundle, x_display):
    env = {**clean_environment(), "DISPLAY": x_display}
    done = subprocess.run(
        [str(EXECUTABLE), "--smoke-test"], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "smoke test passed" in done.stdout


def test_the_bundle_runs_headless_commands(bundle, tmp_path):
    assert run("--version").stdout.startswith("studio ")
    graph = run(
        "graph", str(REPO / "resources" / "examples" / "decorators"), "--config", "scaling=minmax"
    )
    assert graph.returncode == 0, graph.stderr
    assert "revenue_scaled" in {n["name"] for n in json.loads(graph.stdout)["nodes"]}
    target = tmp_path / "metrics.json"
    done = run(
        "run",
        str(REPO / "resources" / "examples" / "spaceflights"),
        "evaluation_metrics",
        "-o",
        str(target),
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(target.read_text())["r2_score"] > 0.6
    picture = tmp_path / "graph.png"
    drawn = run(
        "graph",
        str(REPO / "resources" / "examples" / "spaceflights"),
        "--format",
        "png",
        "-o",
        str(picture),
    )
    assert drawn.returncode == 0, drawn.stderr
    assert picture.read_bytes()[:4] == b"\x89PNG"


def test_the_bundle_runs_a_project_in_its_own_environment(bundle, project_venv):
    python = project_environments(project_venv)[0].python
    done = run(
        "--smoke-test", str(project_venv), "--node", "floor_area", "--interpreter", str(python)
    )
    assert done.returncode == 0, done.stderr
    assert f"({python})" in done.stdout


def test_every_command_of_the_bundle_works_on_a_copy_of_an_example(bundle):
    """`build.py smoke`, as the release workflow runs it on each system: the window's
    smoke test, graph, run, edit --dry-run and diff (in a git repository)."""
    done = subprocess.run(
        [sys.executable, str(REPO / "packaging" / "build.py"), "smoke"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    for command in ("--smoke-test", "graph", "run", "edit", "diff"):
        assert f"smoke: studio {command}" in done.stdout


def test_the_appdir_is_ready_for_appimagetool(bundle):
    assert os.access(APPDIR / "AppRun", os.X_OK)
    desktop = (APPDIR / "dataflow-studio.desktop").read_text()
    assert "Exec=dataflow-studio" in desktop and "Icon=dataflow-studio" in desktop
    assert (APPDIR / "dataflow-studio.svg").exists() and (APPDIR / ".DirIcon").exists()
    for size in (16, 32, 48, 256, 512):
        assert (APPDIR / f"usr/share/icons/hicolor/{size}x{size}/apps/dataflow-studio.png").exists()
    done = subprocess.run(
        [str(APPDIR / "AppRun"), "--version"],
        capture_output=True,
        text=True,
        env=clean_environment(),
    )
    assert done.stdout.startswith("studio ")
