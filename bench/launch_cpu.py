"""The app's CPU seconds up to the window and the first graph, beside the wall time.

On a machine shared with other work a launch's wall time moves by a second from
one launch to the next; the CPU seconds the app's own process spent up to the
window shown (`time.process_time()`, every thread of it) move far less, and
they are what a cut in the window's start cuts. Each round is a first launch
on an empty cache folder, which waits for the kernel's graph so that it is
kept, then a relaunch, which stops at the kept graph. With `--against DIR`
(another build's `studio` and `resources`, as for `bench.launch_time`) the
two builds alternate round by round.

    python -m bench.launch_cpu [--runs N] [--against DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.launch_time import compile_bytecode

CHILD = "bench.launch_cpu"
KEPT_WRITTEN_S = 2.5
"""After the kernel's graph, the first launch waits this long: the graph is kept 2 s
after it held still (`load_client.KEEP_AFTER_MS`)."""


def _child(cache: str) -> None:
    """One launch in this process (run by `_launch`): prints wall and CPU seconds."""
    started = float(os.environ["STUDIO_LAUNCHED_AT"])
    scratch = tempfile.mkdtemp(prefix="studio-launch-cpu-")
    os.environ.update(STUDIO_CONFIG_DIR=f"{scratch}/config", STUDIO_DATA_DIR=f"{scratch}/data")
    os.environ["STUDIO_CACHE_DIR"] = cache
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer

    from studio.ui.app import create_application, launch_window

    app = create_application()
    window = launch_window(None, trust=True)
    marks = {"window": (time.time() - started, time.process_time())}

    def first_graph() -> None:
        marks.setdefault("graph", (time.time() - started, time.process_time()))

    def preview(_snapshot: object) -> None:
        first_graph()
        if window.controller.loads.showing_kept:
            marks["kept"] = (1.0, 0.0)
            QTimer.singleShot(0, app.quit)

    def built(_snapshot: object, _first: bool) -> None:
        first_graph()
        QTimer.singleShot(int(KEPT_WRITTEN_S * 1000), app.quit)

    window.controller.preview_shown.connect(preview)
    window.controller.graph_shown.connect(built)
    QTimer.singleShot(120_000, app.quit)
    app.exec()
    window.close()
    window.shutdown()
    shutil.rmtree(scratch, ignore_errors=True)
    (wall, cpu), (graph_wall, graph_cpu) = marks["window"], marks["graph"]
    print("RESULT", wall, cpu, graph_wall, graph_cpu, int("kept" in marks))


def _launch(cache: Path, source: Path | None) -> list[float]:
    env = {**os.environ, "STUDIO_LAUNCHED_AT": repr(time.time())}
    if source is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(source), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-m", CHILD, "--child", str(cache)],
        env=env,
        cwd=cache,  # not a source tree's folder, whose `studio` would come first
        capture_output=True,
        text=True,
        timeout=300,
    )
    found = [line for line in done.stdout.splitlines() if line.startswith("RESULT")]
    if done.returncode != 0 or not found:
        raise RuntimeError(f"the launch failed: {done.stdout}{done.stderr}")
    return [float(x) for x in found[0].split()[1:]]


def _summary(rows: list[list[float]]) -> str:
    def of(column: int) -> str:
        values = [row[column] for row in rows]
        return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"

    kept = sum(int(row[4]) for row in rows)
    return (
        f"window: CPU {of(1)} s, wall {of(0)} s; first graph: CPU {of(3)} s, wall {of(2)} s; "
        f"kept graph in {kept} of {len(rows)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="first launches (each relaunched)")
    parser.add_argument("--against", type=Path, help="a folder holding another build's studio")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        _child(options.child)
        return
    other = options.against.resolve() if options.against else None
    compile_bytecode()
    builds: list[tuple[str, Path | None]] = [("this build", None)]
    if other is not None:
        compile_bytecode(other)
        builds.insert(0, (other.name, other))
    rows: dict[tuple[str, str], list[list[float]]] = {}
    for round_ in range(options.runs):
        for name, source in builds if round_ % 2 == 0 else builds[::-1]:
            cache = Path(tempfile.mkdtemp(prefix="studio-launch-cache-"))
            try:
                rows.setdefault((name, "first launch"), []).append(_launch(cache, source))
                rows.setdefault((name, "relaunch"), []).append(_launch(cache, source))
            finally:
                shutil.rmtree(cache, ignore_errors=True)
    for (name, kind), launches in rows.items():
        print(f"{name}, {kind}: {_summary(launches)}")


if __name__ == "__main__":
    main()
