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
from pathlib import Path

_SCRIPT = """
import importlib, json, sys, time
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
print(json.dumps({"load": load, "rebuild": build()}))
"""


def measure(folder: Path) -> tuple[float, float]:
    """(import and build, import again and rebuild) in seconds, for a flat folder."""
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(folder)],
        capture_output=True,
        text=True,
        check=True,
        cwd=folder,
        env={"HAMILTON_TELEMETRY_ENABLED": "false", "PATH": "/usr/bin:/bin"},
    )
    data = json.loads(done.stdout.strip().splitlines()[-1])
    return data["load"], data["rebuild"]
