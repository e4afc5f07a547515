"""`studio run --plan`: what a run would compute, timed by the runs before it."""

import os
import subprocess
import sys

STEPS = """import time


def raw() -> int:
    time.sleep(0.05)
    return 1


def doubled(raw: int) -> int:
    return raw * 2


def report(doubled: int, raw: int) -> str:
    return f"{raw} -> {doubled}"


def extra(raw: int) -> int:
    return raw + 1
"""


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
    project = tmp_path / "flow"
    project.mkdir()
    (project / "steps.py").write_text(STEPS)
    cache = tmp_path / "cache"
    before = studio("run", str(project), "report", "--plan", cache=cache)
    assert before.returncode == 0, before.stderr
    assert before.stdout.splitlines() == [
        "The run computes 3 nodes; never timed.",
        "  compute  raw      never timed",
        "  compute  doubled  never timed",
        "  compute  report   never timed",
    ]
    assert studio("run", str(project), "report", cache=cache).returncode == 0
    after = studio("run", str(project), "report", "extra", "--plan", cache=cache).stdout
    lines = after.splitlines()
    assert lines[0].startswith("The run computes 4 nodes; about ")
    assert lines[0].endswith(" + 1 never timed.")
    assert lines[1].split()[1] == "raw"
    assert lines[1].endswith(" ms") and int(lines[1].split()[-2]) >= 50
    assert any("extra" in line and "never timed" in line for line in lines)
