"""Launch to the graph: `studio --smoke-test` on spaceflights, from the moment the
process is started to the graph on screen (the app's own figures).

Two kinds of launch, alternated so that a drift of the machine's speed touches
both alike: a first launch, with an empty cache folder (the first graph is the
source's, drawn while the kernel builds Hamilton's), and a relaunch with the
cache the first one left (Hamilton's graph kept from that session, shown until
the kernel's own replaces it). Each gives the first graph, Hamilton's graph
shown, and Hamilton's graph built by the kernel. Beside them, the same-run
reference: plain Hamilton's own process importing spaceflights' modules and
building its driver, from process start (`plain_build`).

The studio's modules are compiled to bytecode first (`compile_bytecode`), as an
installed or frozen app has them: a source tree run with PYTHONDONTWRITEBYTECODE
(this machine's environment) compiled some 220 modules on every launch, 0.2-0.3 s
no user waits for.

`--against DIR` measures another build beside this one, alternated launch by
launch (a first launch and its relaunch each, the order swapped every round), so
that both see the same machine: DIR holds that build's `studio` package, e.g.
`git archive main studio resources | tar -x -C DIR` (the icons and examples
sit beside the package). Its figures print first.

    python -m bench.launch_time [--runs N] [--against DIR]
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

_FIRST_GRAPH = re.compile(
    r"window after ([\d.]+) s, first graph after ([\d.]+) s \(Hamilton's after ([\d.]+) s, "
    r"(?:kept from the last session; built by the kernel after ([\d.]+) s|built by the kernel)\)"
)
STUDIO = Path(sys.executable).with_name("studio")


@dataclass(frozen=True, slots=True)
class Launch:
    """Seconds from process start to each graph of one launch."""

    window: float
    first_graph: float
    hamilton: float
    """Hamilton's graph on screen: kept from the last session, or built by the kernel."""
    built: float
    """The kernel's own graph on screen."""
    kept: bool


@dataclass(slots=True)
class LaunchTimes:
    first: list[Launch] = field(default_factory=list)
    """Launches with an empty cache folder."""
    again: list[Launch] = field(default_factory=list)
    """Relaunches with the cache the launch before left."""
    plain: list[float] = field(default_factory=list)
    """Plain Hamilton's process importing spaceflights and building its driver."""


PLAIN_BUILD = """
import time
from hamilton import driver
import data_loading, data_science, preprocessing, reporting
driver.Builder().with_modules(data_loading, preprocessing, data_science, reporting).build()
print(time.time())
"""


def plain_build() -> float:
    """Seconds from starting a plain Python to Hamilton's driver of spaceflights built."""
    from studio.core.resources import example_path

    started = time.time()
    done = subprocess.run(
        [sys.executable, "-c", PLAIN_BUILD],
        cwd=example_path("spaceflights"),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return float(done.stdout.split()[-1]) - started


def compile_bytecode(source: Path | None = None) -> None:
    """Compile a build's `studio` package (this one's without `source`) to bytecode."""
    package = (source / "studio") if source else Path(__file__).parents[1] / "studio"
    compileall.compile_dir(package, quiet=1)


def _launch(cache: Path, source: Path | None = None) -> Launch:
    """One launch of this build, or of the build whose `studio` package is in `source`
    (put first on the path of the app and of the kernel it starts)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "STUDIO_SMOKE_CACHE_DIR": str(cache)}
    if source is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(source), env.get("PYTHONPATH")]))
    env["STUDIO_LAUNCHED_AT"] = repr(time.time())
    done = subprocess.run(
        [str(STUDIO), "--smoke-test"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        cwd=cache,  # not a source tree's folder, whose `studio` would come first
    )
    found = _FIRST_GRAPH.search(done.stdout)
    if done.returncode != 0 or found is None:
        raise RuntimeError(f"the smoke test failed: {done.stdout}{done.stderr}")
    window, first, hamilton, built = (float(x) if x else None for x in found.groups())
    assert window is not None and first is not None and hamilton is not None
    return Launch(window, first, hamilton, built or hamilton, kept=built is not None)


def measure(runs: int = 3) -> LaunchTimes:
    """`runs` first launches, each followed by a relaunch on the cache it left."""
    compile_bytecode()
    times = LaunchTimes()
    for _ in range(runs):
        _pair(times, None)
        times.plain.append(plain_build())
    return times


def compare(other: Path, runs: int) -> tuple[LaunchTimes, LaunchTimes]:
    """`runs` pairs (a first launch, its relaunch) of the build in `other` and of this
    one, alternated, the one going first swapped each round."""
    compile_bytecode()
    compile_bytecode(other)
    theirs, ours = LaunchTimes(), LaunchTimes()
    for round_ in range(runs):
        builds = [(theirs, other), (ours, None)]
        for times, source in builds if round_ % 2 == 0 else builds[::-1]:
            _pair(times, source)
    return theirs, ours


def _pair(times: LaunchTimes, source: Path | None) -> None:
    cache = Path(tempfile.mkdtemp(prefix="studio-launch-cache-"))
    try:
        times.first.append(_launch(cache, source))
        times.again.append(_launch(cache, source))
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def median_max(values: list[float]) -> tuple[float, float]:
    return statistics.median(values), max(values)


def _print(times: LaunchTimes, build: str) -> None:
    for label, launches in (("first launch", times.first), ("relaunch", times.again)):
        for launch in launches:
            print(
                f"{build}{label}: window {launch.window:.2f} s, first graph "
                f"{launch.first_graph:.2f} s, Hamilton's "
                f"{launch.hamilton:.2f} s ({'kept' if launch.kept else 'built'}), "
                f"the kernel's {launch.built:.2f} s"
            )
        if launches:
            for name in ("window", "first_graph", "hamilton"):
                middle, top = median_max([getattr(launch, name) for launch in launches])
                print(f"{build}{label}, {name}: median {middle:.2f} s, max {top:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="first launches (each relaunched)")
    parser.add_argument(
        "--against", type=Path, help="a folder holding another build's `studio` and `resources`"
    )
    options = parser.parse_args()
    if options.against is not None:
        theirs, ours = compare(options.against.resolve(), options.runs)
        _print(theirs, f"{options.against.name}: ")
        _print(ours, "this build: ")
        return
    times = measure(options.runs)
    _print(times, "")
    print("plain Hamilton, import and build: " + ", ".join(f"{s:.2f} s" for s in times.plain))


if __name__ == "__main__":
    main()
