"""The built desktop bundle: its size, and how fast it starts.

Runs `dist/dataflow-studio/dataflow-studio --smoke-test` several times in a
clean environment (no virtual environment, no PYTHONPATH) and reports the
median time from launch to the window, and to the first graph drawn from
the kernel; beside it, the same from the source checkout (.venv).
Build the bundle first: `make bundle`.

    .venv/bin/python bench/bench_bundle.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BUNDLE = REPO / "dist" / "dataflow-studio"
TIMES = re.compile(r"window after ([\d.]+) s, first graph after ([\d.]+) s")


def clean_environment() -> dict[str, str]:
    return {"HOME": os.environ["HOME"], "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}


def measure(command: list[str], runs: int) -> tuple[float, float]:
    windows, graphs = [], []
    for _ in range(runs):
        env = {**clean_environment(), "STUDIO_LAUNCHED_AT": repr(time.time())}
        done = subprocess.run(
            command, capture_output=True, text=True, env=env, cwd="/", timeout=300
        )
        found = TIMES.search(done.stdout)
        if done.returncode != 0 or found is None:
            raise SystemExit(f"smoke test failed: {done.stdout}{done.stderr}")
        windows.append(float(found.group(1)))
        graphs.append(float(found.group(2)))
    return statistics.median(windows), statistics.median(graphs)


def size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    if not (BUNDLE / "dataflow-studio").exists():
        raise SystemExit("no bundle: run `make bundle` first")
    archives = sorted((REPO / "dist").glob("dataflow-studio-*.tar.gz"))
    bundled = measure([str(BUNDLE / "dataflow-studio"), "--smoke-test"], options.runs)
    source = measure([str(REPO / ".venv" / "bin" / "studio"), "--smoke-test"], options.runs)
    print(f"bundle on disk:           {size(BUNDLE) / 2**20:7.0f} MB")
    if archives:
        print(f"compressed (.tar.gz):     {archives[-1].stat().st_size / 2**20:7.0f} MB")
    print(f"median of {options.runs} launches      bundle   source checkout")
    print(f"  launch -> window        {bundled[0]:6.2f} s  {source[0]:6.2f} s")
    print(f"  launch -> first graph   {bundled[1]:6.2f} s  {source[1]:6.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
