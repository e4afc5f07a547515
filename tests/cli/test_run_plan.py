"""`studio run --plan`: what a run would compute, timed by the runs before it."""

import os
import subprocess
import sys

from studio.core.resources import example_path


def studio(*args: str, cache) -> subprocess.CompletedProcess:
    env = {**os.environ, "HAMILTON_TELEMETRY_ENABLED": "false", "STUDIO_CACHE_DIR": str(cache)}
    return subprocess.run(
        [sys.executable, "-m", "studio", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_plan_prints_without_running_and_learns_durations_from_runs(tmp_path):
    project = str(example_path("spaceflights"))
    before = studio("run", project, "evaluation_metrics", "--plan", cache=tmp_path)
    assert before.returncode == 0, before.stderr
    assert before.stdout.startswith("The run computes 19 nodes; never timed.")
    assert "== evaluation_metrics ==" not in before.stdout
    assert studio("run", project, "evaluation_metrics", cache=tmp_path).returncode == 0
    after = studio("run", project, "evaluation_metrics", "price_chart", "--plan", cache=tmp_path)
    assert "The run computes 21 nodes; about " in after.stdout
    assert "+ 2 never timed." in after.stdout
    lines = after.stdout.splitlines()
    order = [line.split()[1] for line in lines[1:]]
    assert order.index("model_input_table") < order.index("y_test") < order.index("max_error")
    assert any("price_chart" in line and "never timed" in line for line in lines)
