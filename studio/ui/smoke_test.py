"""`studio --smoke-test [PATH]`: prove an installed (or frozen) app works end to end.

Opens the main window (offscreen when there is no display), waits for the
graph to come from the kernel, runs one node, checks its result in the
kernel, and exits 0 — or prints the reason and exits 1. Settings and the
result cache go to a temporary folder, never the user's; `STUDIO_SMOKE_CACHE_DIR`
names a cache folder to use and leave in place instead, for a relaunch (see
`bench/launch_time.py`).

It prints when Hamilton's graph is first shown, and whether it was the one
kept from the last session (a relaunch, nothing changed) or built by the kernel.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from studio.core.protocol import RunStatus
from studio.core.protocol.data_requests import ResultInfoParams, ResultInfoResult

DEFAULT_NODE = "model_input_table"


def run_smoke_test(
    path: Path | None,
    node: str | None = None,
    timeout: float = 180.0,
    interpreter: Path | None = None,
) -> int:
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    scratch = Path(tempfile.mkdtemp(prefix="studio-smoke-"))
    os.environ["STUDIO_CONFIG_DIR"] = str(scratch / "config")
    os.environ["STUDIO_CACHE_DIR"] = os.environ.get("STUDIO_SMOKE_CACHE_DIR") or str(
        scratch / "cache"
    )
    os.environ["STUDIO_DATA_DIR"] = str(scratch / "data")  # the examples copy
    try:
        return _run(path, node, timeout, interpreter)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _process_started() -> float:
    """When the app was launched: as the launcher says (`STUDIO_LAUNCHED_AT`, seconds
    since the epoch), or as the system does (to within the second on Linux, whose
    boot time is kept in whole seconds)."""
    launched = os.environ.get("STUDIO_LAUNCHED_AT")
    if launched:
        with contextlib.suppress(ValueError):
            return float(launched)
    try:
        import psutil

        return psutil.Process().create_time()
    except Exception:
        return time.time()


def hamilton_text(marks: dict[str, float]) -> str:
    """When Hamilton's graph was first shown, and where it came from."""
    built = marks["hamilton"]
    if "kept" in marks:
        return (
            f"Hamilton's after {marks['kept']:.2f} s, kept from the last session; "
            f"built by the kernel after {built:.2f} s"
        )
    return f"Hamilton's after {built:.2f} s, built by the kernel"


def _run(path: Path | None, node: str | None, timeout: float, interpreter: Path | None) -> int:
    from PySide6.QtCore import QTimer

    from studio.ui.app import create_application, launch_window
    from studio.ui.kernel.session import Reply

    started = _process_started()
    app = create_application()
    window = launch_window(path, interpreter, trust=True)  # asked for on the command line
    shown_at = time.time()
    outcome: dict[str, object] = {"code": 1, "reason": f"timed out after {timeout:.0f} s"}
    marks: dict[str, float] = {"window": shown_at - started}

    def finish(code: int, reason: str) -> None:
        outcome["code"], outcome["reason"] = code, reason
        window.close()
        app.quit()

    def shown(what: str) -> float:
        seconds = time.time() - started
        print(f"Hamilton's graph shown after {seconds:.2f} s: {what}", flush=True)
        return seconds

    def preview_shown(_snapshot: object) -> None:
        marks.setdefault("graph", time.time() - started)
        if window.controller.loads.showing_kept and "kept" not in marks:
            marks["kept"] = shown("kept from the last session")

    def graph_shown(snapshot: object, first: bool) -> None:
        if not first or "hamilton" in marks:
            return
        marks["hamilton"] = shown("built by the kernel")
        marks.setdefault("graph", marks["hamilton"])
        if interpreter is not None and window.workspace.project.interpreter != interpreter:
            finish(1, f"the kernel did not start in {interpreter}: {window.banner.text()}")
            return
        names = [n.name for n in window.workspace.graph.snapshot.nodes if not n.is_external_input]
        target = node or (DEFAULT_NODE if DEFAULT_NODE in names else names[-1])
        if target not in names:
            finish(1, f"no node named {target!r} in the graph")
            return
        window.workspace.runs.running_changed.connect(lambda running: running or ran(target))
        window.run_controller.run([target])

    def ran(target: str) -> None:
        record = window.workspace.runs.records[-1]
        if record.status is not RunStatus.DONE:
            finish(1, f"running {target} failed: {record.message}")
            return
        marks["run"] = record.seconds or 0.0
        window.session.request(ResultInfoParams(target), lambda reply: checked(target, reply))

    def checked(target: str, reply: Reply) -> None:
        result: ResultInfoResult | None = reply.result
        if not reply.ok or result is None or not result.available or result.summary is None:
            finish(1, f"the kernel has no result for {target}: {reply.message}")
            return
        summary = result.summary
        shape = summary.shape or (summary.length if summary.length is not None else "")
        info = window.session.info
        python, executable = (info.python, info.executable) if info else (None, None)
        finish(
            0,
            f"{len(window.scene.nodes)} nodes; ran {target} ({summary.type} {shape}) in "
            f"{marks['run']:.2f} s in a kernel on Python {python} "
            f"({executable}); window after {marks['window']:.2f} s, "
            f"first graph after {marks['graph']:.2f} s "
            f"({hamilton_text(marks)})",
        )

    def load_problem(ok: bool) -> None:
        check = window.last_interpreter_check
        if interpreter is not None and check is not None and not check.ok:
            finish(1, check.describe())
        elif not ok and window.workspace.graph.errors:
            finish(1, f"the graph did not load: {window.workspace.graph.errors[0]}")

    window.controller.preview_shown.connect(preview_shown)
    window.controller.graph_shown.connect(graph_shown)
    window.controller.load_finished.connect(load_problem)

    def timed_out() -> None:
        banner = window.banner.text() if window.banner.isVisible() else "none"
        finish(
            1,
            f"timed out after {timeout:.0f} s (kernel {window.session.state.value}, "
            f"{len(window.scene.nodes)} nodes drawn, banner: {banner})",
        )

    QTimer.singleShot(int(timeout * 1000), timed_out)
    app.exec()
    window.shutdown()
    if outcome["code"] == 0:
        trouble = _layout_helper_trouble(timeout)
        if trouble is not None:
            outcome["code"], outcome["reason"] = 1, trouble
    code = int(outcome["code"])  # type: ignore[arg-type]
    verdict = "passed" if code == 0 else "FAILED"
    print(
        f"studio smoke test {verdict}: {outcome['reason']}",
        file=sys.stdout if code == 0 else sys.stderr,
    )
    return code


def _layout_helper_trouble(timeout: float) -> str | None:
    """Why the layout helper a big drawing starts (this executable, `--layout-helper`)
    did not lay out three boxes; None when it did."""
    from studio.core.layout.sugiyama_helper import SugiyamaHelper

    helper = SugiyamaHelper()
    helper.start()
    deadline = time.time() + timeout
    while not helper.ready and not helper.failed and time.time() < deadline:
        time.sleep(0.02)
    answer = helper.sugiyama(3, [(0, 1), (1, 2)], None)
    helper.stop()
    return None if answer is not None else "the layout helper did not answer"
