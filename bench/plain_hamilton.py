"""Plain Hamilton on a project, the reference for the studio's loads and reloads.

In a fresh Python process with Hamilton already imported (as the studio's
kernel has it): the time to import the project's modules and build a
driver, then the time to import them again and rebuild, as a save would
need without the studio.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

_SCRIPT = """
import importlib, json, resource, sys, time
from pathlib import Path
from hamilton import driver
root = Path(sys.argv[1])
names = sorted(p.stem for p in root.glob("*.py"))
sys.path.insert(0, str(root))

def build():
    started = time.perf_counter()
    modules = [importlib.import_module(name) for name in names]
    driver.Builder().with_modules(*modules).build()
    return time.perf_counter() - started

load = build()
for name in names:
    del sys.modules[name]
rebuild = build()
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"load": load, "rebuild": rebuild, "peak": rss}))
"""


def measure(folder: Path) -> tuple[float, float, int]:
    """(import and build, import again and rebuild) in seconds, for a flat folder, and the
    process's peak memory (bytes)."""
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(folder)],
        capture_output=True,
        text=True,
        check=True,
        cwd=folder,
        env={"HAMILTON_TELEMETRY_ENABLED": "false", "PATH": "/usr/bin:/bin"},
    )
    data = json.loads(done.stdout.strip().splitlines()[-1])
    return data["load"], data["rebuild"], data["peak"]


_WHOLE = """
import importlib, sys
from pathlib import Path
root = Path(sys.argv[1])
sys.path.insert(0, str(root))
from hamilton import driver
names = sorted(p.stem for p in root.glob("*.py"))
driver.Builder().with_modules(*[importlib.import_module(n) for n in names]).build()
"""


def whole_process(folder: Path) -> float:
    """A fresh `python` that imports Hamilton (as it starts by default: every extension
    it finds installed) and the project's modules and builds the driver, start to exit."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", _WHOLE, str(folder)],
        capture_output=True,
        check=True,
        cwd=folder,
        env={"HAMILTON_TELEMETRY_ENABLED": "false", "PATH": "/usr/bin:/bin"},
    )
    return time.perf_counter() - started


def studio_graph_process(folder: Path) -> float:
    """`studio graph FOLDER --format json`, start to exit (its kernel-less load in a
    supervised child, as on the command line)."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "studio", "graph", str(folder), "--format", "json"],
        capture_output=True,
        check=True,
        cwd=folder,
    )
    return time.perf_counter() - started
