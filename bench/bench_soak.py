"""Held under load: 1,000 save -> reload cycles and 200 runs in one window.

A real window (offscreen) on a 100-node synthetic project, a real kernel
and watchdog observer. Before and after: memory (RSS) of the window's
process and of the kernel, open files, threads and child processes; and
the longest stall of the event loop during the whole soak.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m bench.bench_soak [--saves 1000] [--runs 200]

Targets (issue 17): memory growth under 50 MB, no leaked file or process,
no stall over 100 ms. Then the process-leak cases (`bench/process_leaks.py`,
issue 31): no process a node started left running after `studio run` ends or
is killed, or the kernel restarts or shuts down (`--leaks-only` runs just them).
"""

from __future__ import annotations

import argparse
import gc
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("STUDIO_CONFIG_DIR", tempfile.mkdtemp(prefix="studio-soak-"))
os.environ.setdefault("STUDIO_CACHE_DIR", tempfile.mkdtemp(prefix="studio-soak-cache-"))

import psutil

from bench.event_loop import StallMeter, settle, wait_until
from bench.synthetic import generate

MB = 1024 * 1024


@dataclass
class Usage:
    gui_rss: int
    kernel_rss: int
    files: int
    threads: int
    children: int

    @staticmethod
    def now(kernel_pid: int) -> Usage:
        gc.collect()
        me, kernel = psutil.Process(), psutil.Process(kernel_pid)
        return Usage(
            me.memory_info().rss,
            kernel.memory_info().rss,
            me.num_fds() + kernel.num_fds(),
            me.num_threads() + kernel.num_threads(),
            len(kernel.children(recursive=True)),
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument(
        "--leak-rounds", type=int, default=10, help="rounds of each process-leak case"
    )
    parser.add_argument(
        "--leaks-only", action="store_true", help="only the process-leak cases (a minute)"
    )
    options = parser.parse_args()
    if options.leaks_only:
        return 0 if _process_leaks(options.leak_rounds) else 1

    from studio.ui.app import create_application, create_window

    create_application()
    folder = Path(tempfile.mkdtemp(prefix="studio-soak-")) / "features"
    generate(folder, 100)
    window = create_window(folder, trust=True)
    window.resize(1400, 900)
    scene, graph = window.scene, window.workspace.graph
    wait_until(lambda: graph.snapshot is not None and bool(scene.nodes))
    wait_until(lambda: not scene.animating)
    window.inputs_panel.set_value("rows", "100")
    warm = window.run_controller.run(["m0_agg_0"])
    wait_until(lambda: warm is not None and warm.finished)
    settle(1.5)  # the kernel's collection after the first loads
    kernel = window.session.pid
    meter = StallMeter()
    target = folder / "features_00.py"
    original = target.read_text()
    name = "soak_extra"

    def save(cycle: int) -> None:
        added = cycle % 2 == 0
        extra = f"\n\ndef {name}(m0_a: pd.Series) -> pd.Series:\n    return m0_a * {cycle}\n"
        target.write_text(original + extra if added else original)
        wait_until(lambda: (name in scene.nodes) == added, timeout=60)
        wait_until(lambda: not scene.animating and not window.controller._loading, timeout=60)

    save(0)  # the first reload opens what every later one reuses
    save(1)
    settle(1.5)
    before = Usage.now(kernel)
    started = time.perf_counter()
    with meter.phase("soak"):
        for cycle in range(options.saves):
            save(cycle)
        saves_done = time.perf_counter()
        for run in range(options.runs):
            window.inputs_panel.set_value("rows", str(100 + run % 7))
            record = window.run_controller.run(["m0_agg_0"])
            wait_until(lambda record=record: record is not None and record.finished, timeout=60)
            if record.status != "done":
                raise SystemExit(f"run {run} ended {record.status}: {record.message}")
    ended = time.perf_counter()
    settle(2.0)  # the kernel's collection after the last load
    after = Usage.now(kernel)
    stall = meter.worst.get("soak", 0.0)
    window.close()
    window.shutdown()

    rows = [
        ("window process memory (RSS)", before.gui_rss / MB, after.gui_rss / MB, "MB"),
        ("kernel memory (RSS)", before.kernel_rss / MB, after.kernel_rss / MB, "MB"),
        ("open files (window + kernel)", before.files, after.files, ""),
        ("threads (window + kernel)", before.threads, after.threads, ""),
        ("processes the kernel started", before.children, after.children, ""),
    ]
    print(
        f"{options.saves} save -> reload cycles in {saves_done - started:.0f} s, "
        f"{options.runs} runs in {ended - saves_done:.0f} s\n"
    )
    print("| | before | after | growth |\n|---|---|---|---|")
    for label, first, last, unit in rows:
        fmt = "{:.0f}" if unit else "{:d}"
        growth = last - first
        print(
            f"| {label} | {fmt.format(first)} {unit} | {fmt.format(last)} {unit} | "
            f"{growth:+.0f} {unit} |"
            if unit
            else f"| {label} | {first} | {last} | {growth:+d} |"
        )
    print(f"| longest UI stall | | {stall * 1000:.0f} ms | |\n")
    memory = (after.gui_rss - before.gui_rss + after.kernel_rss - before.kernel_rss) / MB
    checks = [
        (f"memory growth under 50 MB: {memory:.0f} MB", memory < 50),
        (f"no leaked file: {after.files - before.files:+d}", after.files <= before.files),
        (
            f"no leaked process: {after.children - before.children:+d}",
            after.children <= before.children,
        ),
        (f"no stall over 100 ms: {stall * 1000:.0f} ms", stall <= 0.1),
    ]
    for text, ok in checks:
        print(f"- {text}, {'met' if ok else 'missed'}")
    print()
    _process_leaks(options.leak_rounds)
    return 0


def _process_leaks(rounds: int) -> bool:
    from bench import process_leaks

    print("Processes nodes started, left running once what started them ended:\n")
    return process_leaks.print_table(process_leaks.measure(rounds))


if __name__ == "__main__":
    raise SystemExit(main())
