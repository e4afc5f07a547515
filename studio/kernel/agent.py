"""The studio's agent inside the Jupyter kernel: answers the GUI's requests.

It registers the `studio` comm target; each request (see
`studio.core.protocol` for the messages) is routed to a `_handle_<method>`
method. Handlers run on the kernel's shell thread, like any cell, so an
interrupt reaches them and the kernel shows busy while they work.
"""

from __future__ import annotations

import asyncio
import atexit
import gc
import os
import shutil
import sys
import threading
import traceback
from pathlib import Path
from typing import Any

from studio.core import protocol
from studio.core.discovery.discover import imported_packages
from studio.core.discovery.project import Project
from studio.core.graph.snapshot import NodeInfo
from studio.core.runs.executors import (
    LOCAL,
    ExecutorChoice,
    ExecutorError,
    ExecutorKind,
    engine_installed,
)
from studio.core.runs.run_plan import RunMode
from studio.core.runs.value_diff_text import describe_diff
from studio.kernel.executors.clusters import Clusters, ClusterState
from studio.kernel.executors.task_driver import TaskDrivers
from studio.kernel.loading import fresh_import
from studio.kernel.loading.after_load import AfterLoad
from studio.kernel.loading.extensions import extensions_missing, load_extensions_for
from studio.kernel.loading.graph_builder import LoadedDataflow, complete_versions
from studio.kernel.loading.project_load import load_project
from studio.kernel.results.namespace import Results
from studio.kernel.results.tables import TableError, TableViews
from studio.kernel.results.value_diff import compare
from studio.kernel.results.viewers import describe_result
from studio.kernel.running import cache_trim
from studio.kernel.running.event_batches import EventBatches
from studio.kernel.running.runner import Runner
from studio.kernel.running.running_marker import RunningMarker, kernel_folder
from studio.kernel.running.tracebacks import describe

_COLLECT_AFTER_S = 0.3
"""Garbage left by a load is collected this long after it, if no other load came: once
the window has drawn the reply (a save shows in ~0.3 s at 5,000 nodes), and before the
user's next save or click is likely (a collection then would delay it by its length)."""


class RequestError(Exception):
    """A request that cannot be served; its message is shown to the user."""

    def __init__(self, code: protocol.ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code


class Agent:
    def __init__(self, user_namespace: dict[str, Any] | None = None) -> None:
        self.comm: Any = None
        self.user_namespace = user_namespace if user_namespace is not None else {}
        self.project: Project | None = None
        self.loaded: LoadedDataflow | None = None
        self.clusters = Clusters()
        self.runner = Runner(Results(), task_drivers=TaskDrivers(self.clusters))
        self.user_namespace["results"] = self.runner.results
        self.tables = TableViews()
        self._run_ids = 0
        self._collection: asyncio.TimerHandle | None = None
        self.marker = RunningMarker(None)
        self._sent_nodes: dict[str, NodeInfo] = {}
        """The nodes of the last snapshot sent, by name (see `protocol`: load, known)."""
        self._sent_token: str | None = None
        self._sent_count = 0
        self._extensions_pending: set[str] | None = None
        """The packages whose Hamilton extensions a load left for after its reply."""
        self._after_load = AfterLoad()
        self._versions_out: dict[str, Any] | None = None
        """A deferred load's code versions, worked out and not yet sent."""
        self._versions_lock = threading.Lock()
        self._hurry = threading.Event()
        """Set when the main thread needs the after-load work done: it takes the rest over
        at its own priority (a machine busy elsewhere would starve the thread's)."""

    # -- comm plumbing -------------------------------------------------------

    def open(self, comm: Any, _open_msg: dict[str, Any]) -> None:
        """Comm target: the GUI opened its main comm (again, after a reconnect)."""
        self.comm = comm
        comm.on_msg(lambda msg: self._on_msg(comm, msg))

    def open_data(self, comm: Any, _open_msg: dict[str, Any]) -> None:
        """Comm target for data requests, which the GUI sends to a subshell."""
        comm.on_msg(lambda msg: self._on_msg(comm, msg))

    def send(self, message: dict[str, Any]) -> None:
        """An event, on the main comm."""
        if self.comm is not None:
            self.comm.send(message)

    def _on_msg(self, comm: Any, msg: dict[str, Any]) -> None:
        data = msg["content"]["data"]
        if data.get("kind") == protocol.REQUEST:
            # A load makes and drops a whole graph's objects: collecting garbage while
            # it runs scans them again and again (a third of a big load's time). It
            # is collected once, after the reply is out.
            is_load = data.get("method") == protocol.Method.LOAD
            paused = is_load and gc.isenabled()
            if paused:
                gc.disable()
            collect_later = False
            try:
                reply = self.dispatch(data)
                # Output printed while serving the request goes out before its reply.
                for stream in (sys.stdout, sys.stderr):
                    stream.flush()
                comm.send(reply)
                if is_load and self._load_unfinished():
                    # Waits for the IOPub thread to send the reply: the rest would slow it.
                    sys.stdout.flush()
                    collect_later = self._start_finishing_load()
            finally:
                if paused:
                    gc.enable()
                    if not collect_later:
                        self._collect_when_idle()

    def _collect_when_idle(self) -> None:
        """A full collection of a big graph's garbage takes ~0.2 s: not while the window
        takes in the reply, nor between two quick saves (the second cancels it)."""
        if self._collection is not None:
            self._collection.cancel()
        loop = _running_loop()
        if loop is None:
            gc.collect()
            return
        self._collection = loop.call_later(_COLLECT_AFTER_S, gc.collect)

    def dispatch(self, data: dict[str, Any]) -> dict[str, Any]:
        """Run one request and build its reply; nothing raised escapes."""
        request_id = data.get("id", -1)
        method = data.get("method")
        handler = getattr(self, f"_handle_{method}", None)
        try:
            self.finish_load()  # a request that came before it was done waits for it
            if method not in set(protocol.Method) or handler is None:
                return protocol.reply_error(
                    request_id, protocol.ErrorCode.BAD_REQUEST, f"unknown method {method!r}"
                )
            return protocol.reply_ok(request_id, handler(data.get("params") or {}))
        except RequestError as error:
            return protocol.reply_error(request_id, error.code, str(error))
        except TableError as error:
            return protocol.reply_error(request_id, protocol.ErrorCode.TABLE, str(error))
        except KeyboardInterrupt:
            return protocol.reply_error(request_id, protocol.ErrorCode.INTERRUPTED, "interrupted")
        except Exception as error:
            detail = "".join(traceback.format_exception(error))
            message = f"{type(error).__name__}: {error}"
            return protocol.reply_error(request_id, protocol.ErrorCode.FAILED, message, detail)

    # -- handlers ------------------------------------------------------------

    def _handle_hello(self, _params: dict[str, Any]) -> dict[str, Any]:
        import hamilton.version

        return {
            "pid": os.getpid(),
            "python": sys.version.split()[0],
            "executable": sys.executable,
            "hamilton": ".".join(str(p) for p in hamilton.version.VERSION),
            "cwd": str(Path.cwd()),
            "engines": {
                choice.kind.value: engine_installed(choice)
                for choice in (ExecutorChoice(ExecutorKind.DASK), ExecutorChoice(ExecutorKind.RAY))
            },
        }

    def _handle_load(self, params: dict[str, Any]) -> dict[str, Any]:
        root = Path(params["root"])
        cache_dir = params.get("cache_dir")
        self.runner.cache_path = Path(cache_dir) if cache_dir else None
        if self.runner.cache_path is not None:
            spill = self.runner.cache_path.parent / "previous" / str(os.getpid())
            if self.runner.previous.folder != spill:
                self.runner.previous.folder = spill
                atexit.register(self.runner.previous.clear)
        cache, hook = self.runner.adapters()
        adapters = [a for a in (cache, hook) if a is not None]
        # The same folder again (a save): what did not change is not imported again.
        reuse = self.project is not None and self.project.root == root.resolve()
        # A first load sends the graph before what it does not need (see `_start_finishing_load`).
        load = load_project(
            root, params.get("dataflow"), params.get("config") or {}, adapters, reuse, not reuse
        )
        if load.project is None:
            raise RequestError(protocol.ErrorCode.FOLDER_UNUSABLE, load.snapshot.errors[0].message)
        self.project = load.project
        packages = imported_packages(load.project)
        self._extensions_pending = packages if extensions_missing(packages) else None
        loaded = load.loaded
        if loaded.driver is not None:
            loaded.hook = hook
            self.loaded = loaded
            self.user_namespace["dr"] = loaded.driver
        chosen = load.dataflow.name if load.dataflow is not None else None
        snapshot = loaded.snapshot
        known = self._sent_nodes if params.get("known") == self._sent_token else {}
        self._sent_count += 1
        self._sent_token = f"{os.getpid()}-{self._sent_count}"
        self._sent_nodes = {n.name: n for n in snapshot.nodes}
        return {
            "project": _project_summary(load.project, chosen),
            "snapshot": snapshot.to_wire(known),
            "token": self._sent_token,
            "versions_follow": loaded.versions_pending,
        }

    def _load_unfinished(self) -> bool:
        pending = self.loaded is not None and self.loaded.versions_pending
        return pending or bool(self._extensions_pending)

    def _start_finishing_load(self, in_background: bool = True) -> bool:
        """Start what a first load left out, on its own thread (see `after_load`); whether
        the load's garbage is collected once its versions are out. Without an event loop
        to send them from (the agent outside a kernel), it is done here and now."""
        packages, self._extensions_pending = self._extensions_pending, None
        loaded = self.loaded if self.loaded is not None and self.loaded.versions_pending else None
        token = self._sent_token
        loop = _running_loop() if in_background else None

        def imports() -> None:
            if packages is not None:
                load_extensions_for(packages)

        def background() -> None:
            if loaded is not None:
                versions = complete_versions(loaded, self._hurry.is_set)
                if versions is None:
                    return  # the main thread goes on with them
                nodes = {n.name: n for n in loaded.snapshot.nodes}
                with self._versions_lock:
                    self._versions_out = {"token": token, "versions": versions, "nodes": nodes}
            if loop is not None:
                loop.call_soon_threadsafe(self._versions_done)

        if loop is None:
            imports()
            background()
            self._send_versions()
            return False
        self._after_load.start(imports, background)
        return True

    def _versions_done(self) -> None:
        self._send_versions()
        self._collect_when_idle()  # on this thread, at its priority: see `after_load`

    def finish_load(self) -> None:
        """Wait for what a first load left out, and send its versions if not yet sent:
        runs, reloads and the console need Hamilton's extensions and the versions. The
        kernel's main thread takes the versions over at its own priority; a data request
        on another thread only waits (it may come while a load is half done)."""
        on_main = threading.current_thread() is threading.main_thread()
        if on_main and self._after_load.busy:
            self._hurry.set()
        self._after_load.wait()
        self._hurry.clear()
        if on_main and self._load_unfinished():
            self._start_finishing_load(in_background=False)
            self._collect_when_idle()
        self._send_versions()

    def _send_versions(self) -> None:
        with self._versions_lock:
            out, self._versions_out = self._versions_out, None
            if out is None:
                return
            nodes = out.pop("nodes")
            if out["token"] == self._sent_token:
                self._sent_nodes = nodes
        self.send(protocol.event(protocol.EventName.VERSIONS, out))

    def _handle_run(self, params: dict[str, Any]) -> dict[str, Any]:
        loaded = self.loaded
        if loaded is None or loaded.driver is None:
            raise RequestError(
                protocol.ErrorCode.NOT_LOADED, "the graph did not load; fix the errors first"
            )
        try:
            executor = ExecutorChoice.parse(params.get("executor"))
        except ExecutorError as error:
            raise RequestError(protocol.ErrorCode.BAD_REQUEST, str(error)) from None
        self._run_ids += 1
        listener = _EventListener(self, self._run_ids)
        before = self.clusters.state()
        try:
            outcome = self._run(params, loaded, listener, executor)
        finally:
            listener.batches.flush()
            after = self.clusters.state()
            if after != before:
                self._send_cluster(after)
        cached = None
        if self.runner.cache_path is not None:
            limit = int(params.get("cache_limit") or cache_trim.DEFAULT_LIMIT)
            cached, _ = cache_trim.trim(self.runner.cache_path, limit)
        return {"run_id": self._run_ids, **outcome.to_dict(), "cache_bytes": cached}

    def _run(
        self,
        params: dict[str, Any],
        loaded: LoadedDataflow,
        listener: Any,
        executor: ExecutorChoice = LOCAL,
    ) -> Any:
        return self.runner.run(
            loaded,
            list(params.get("nodes") or []),
            RunMode(params.get("mode", RunMode.UPSTREAM.value)),
            params.get("inputs") or {},
            recompute=bool(params.get("recompute")),
            listener=listener,
            namespace=self.user_namespace,
            root=self.project.root if self.project else None,
            executor=executor,
        )

    def _handle_cluster(self, params: dict[str, Any]) -> dict[str, Any]:
        """The cluster runs go to; `stop` stops it (a cluster the studio started)."""
        if params.get("stop") and self.clusters.current is not None:
            self.clusters.stop()
            self.runner.task_drivers.forget()
            self._send_cluster(None)
        state = self.clusters.state()
        return {"cluster": state.to_dict() if state else None}

    def _send_cluster(self, state: ClusterState | None) -> None:
        data = {"cluster": state.to_dict() if state else None}
        self.send(protocol.event(protocol.EventName.CLUSTER, data))

    def _handle_clear_results(self, _params: dict[str, Any]) -> dict[str, Any]:
        """Forget results in memory and on disk (Hamilton's cache folder)."""
        self.runner.clear()
        removed = False
        path = self.runner.cache_path
        if path is not None and path.exists():
            shutil.rmtree(path, ignore_errors=True)
            removed = True
        loaded = self.loaded
        if loaded is not None and loaded.dataflow is not None and loaded.driver is not None:
            from studio.kernel.loading.graph_builder import build_driver

            cache, hook = self.runner.adapters()
            adapters = [a for a in (cache, hook) if a is not None]
            loaded.driver = build_driver(
                loaded.modules, loaded.dataflow, loaded.config or {}, adapters
            )
            loaded.hook = hook
            self.user_namespace["dr"] = loaded.driver
        return {"cache_removed": removed}

    # -- results (data comm, served on a subshell) ------------------------------

    def _handle_result_info(self, params: dict[str, Any]) -> dict[str, Any]:
        """What the results panel shows; a table comes with its first page of rows."""
        name = params["name"]
        if name not in self.runner.results:
            return {"name": name, "available": False}
        value = self.runner.results[name]
        info = describe_result(value)
        info["has_previous"] = name in self.runner.previous
        if info["kind"] == "table":
            info["table"] = self.tables.open(name, value, first_rows=int(params.get("rows", 0)))
        return {"name": name, "available": True, **info}

    def _handle_compare(self, params: dict[str, Any]) -> dict[str, Any]:
        """How the node's output changed since the value its last recompute replaced."""
        name = params["name"]
        if name not in self.runner.results or name not in self.runner.previous:
            raise RequestError(
                protocol.ErrorCode.FAILED,
                f"{name} has no previous result: it was not computed again after a change",
            )
        report = compare(self.runner.previous.get(name), self.runner.results[name])
        return {"name": name, "report": report, "text": describe_diff(report, "previous", "now")}

    def _handle_table_rows(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.tables.rows(int(params["view"]), int(params["start"]), int(params["stop"]))

    def _handle_table_sort(self, params: dict[str, Any]) -> dict[str, Any]:
        column = params.get("column")
        return self.tables.sort(
            int(params["view"]),
            None if column is None else int(column),
            bool(params.get("ascending", True)),
        )

    def _handle_table_filter(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.tables.filter(int(params["view"]), str(params.get("expression", "")))

    def _handle_table_summaries(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.tables.summaries(int(params["view"]))

    def _handle_table_export(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.tables.export(int(params["view"]), params["path"], params["format"])

    def _handle_table_close(self, params: dict[str, Any]) -> dict[str, Any]:
        self.tables.close(int(params["view"]))
        return {}


class _EventListener:
    """Sends a run's progress to the GUI as events."""

    def __init__(self, agent: Agent, run_id: int) -> None:
        self.agent = agent
        self.run_id = run_id
        self.batches = EventBatches(agent.send)

    def run_started(self, execution_path: list[str]) -> None:
        data = {"run_id": self.run_id, "planned": execution_path}
        self.agent.send(protocol.event(protocol.EventName.RUN_STARTED, data))

    def node_started(self, name: str) -> None:
        self.agent.marker.mark(name)
        data = {"run_id": self.run_id, "name": name}
        self.batches.add(protocol.EventName.NODE_STARTED, data)

    def node_finished(
        self,
        name: str,
        status: protocol.NodeStatus,
        seconds: float,
        error: BaseException | None,
        _result: Any,
    ) -> None:
        data = {
            "run_id": self.run_id,
            "name": name,
            "status": str(status),
            "seconds": seconds,
            "error": describe(error) if error else "",
        }
        self.batches.add(protocol.EventName.NODE_FINISHED, data)


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _project_summary(project: Project, chosen: str | None) -> dict[str, Any]:
    return {
        "root": str(project.root),
        "dataflow": chosen,
        "dataflows": [flow.to_dict() for flow in project.dataflows],
        "problems": [str(problem) for problem in project.problems],
    }


def install(kernel: Any) -> Agent:
    """Register the agent's comm target in a running ipykernel."""
    agent = Agent(kernel.shell.user_ns if kernel.shell is not None else None)
    agent.marker = RunningMarker(kernel_folder())
    fresh_import.IMPORTING.append(
        lambda name: agent.send(protocol.event(protocol.EventName.IMPORTING, {"module": name}))
    )
    if kernel.shell is not None:
        # A console cell waits for the load's last steps too, like a request.
        kernel.shell.events.register("pre_execute", agent.finish_load)
    kernel.comm_manager.register_target(protocol.COMM_TARGET, agent.open)
    kernel.comm_manager.register_target(protocol.DATA_COMM_TARGET, agent.open_data)
    return agent
