"""Launch to the first graph: `studio --smoke-test` on spaceflights, from the moment
the process is started to the graph on screen (the app's own figure): the first
graph (the source's, drawn while the kernel builds Hamilton's) and Hamilton's."""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

_FIRST_GRAPH = re.compile(r"first graph after ([\d.]+) s \(Hamilton's after ([\d.]+) s\)")
STUDIO = Path(sys.executable).with_name("studio")


def measure(runs: int = 3) -> tuple[float, float]:
    """Median seconds from process start to the first graph and to Hamilton's, over
    `runs` launches."""
    seconds, hamilton = [], []
    for _ in range(runs):
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        env["STUDIO_LAUNCHED_AT"] = repr(time.time())
        done = subprocess.run(
            [str(STUDIO), "--smoke-test"], capture_output=True, text=True, env=env, timeout=300
        )
        found = _FIRST_GRAPH.search(done.stdout)
        if done.returncode != 0 or found is None:
            raise RuntimeError(f"the smoke test failed: {done.stdout}{done.stderr}")
        seconds.append(float(found.group(1)))
        hamilton.append(float(found.group(2)))
    return statistics.median(seconds), statistics.median(hamilton)
